"""The one registry of confidence-interval methods. The CLI, API, pages and exports take
their choices from here; a new method is one entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import EstimationError
from .intervals import beta_interval, logit_interval, t_interval, wilson_interval

Interval = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class CIMethod:
    name: str
    label: str
    description: str
    interval: Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float], Interval]
    for_proportions: bool


def _t(est: np.ndarray, se: np.ndarray, df: np.ndarray, n_rows: np.ndarray,
       level: float) -> Interval:
    return t_interval(est, se, df, level)


def _logit(p: np.ndarray, se: np.ndarray, df: np.ndarray, n_rows: np.ndarray,
           level: float) -> Interval:
    return logit_interval(p, se, df, level)


def _wilson(p: np.ndarray, se: np.ndarray, df: np.ndarray, n_rows: np.ndarray,
            level: float) -> Interval:
    return wilson_interval(p, se, df, level)


def _beta(p: np.ndarray, se: np.ndarray, df: np.ndarray, n_rows: np.ndarray,
          level: float) -> Interval:
    return beta_interval(p, se, df, n_rows, level)


CI_METHODS: dict[str, CIMethod] = {m.name: m for m in (
    CIMethod("t", "t", "estimate +/- t(design df) x SE (R confint(df = degf()))", _t, False),
    CIMethod("logit", "Logit", "Wald interval on the logit scale, back-transformed "
             "(R svyciprop's default)", _logit, True),
    CIMethod("wilson", "Wilson", "Wilson score interval with the design's effective sample "
             "size and t on the design degrees of freedom", _wilson, True),
    CIMethod("beta", "Korn-Graubard (beta)", "Clopper-Pearson with the effective sample size "
             "(R svyciprop(method = \"beta\"))", _beta, True),
)}
DEFAULT_PROPORTION_CI = "logit"
PROPORTION_CI_METHODS: tuple[str, ...] = tuple(n for n, m in CI_METHODS.items()
                                               if m.for_proportions)


def ci_method(name: str) -> CIMethod:
    """The method called `name`; an error listing the choices otherwise."""
    method = CI_METHODS.get(name)
    if method is None:
        raise EstimationError(f"CI method must be one of {', '.join(CI_METHODS)}, not {name!r}")
    return method


def proportion_ci_choices() -> list[tuple[str, str]]:
    """(name, label) of the methods for proportions, for forms and API choices."""
    return [(n, CI_METHODS[n].label) for n in PROPORTION_CI_METHODS]
