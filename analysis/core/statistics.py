"""The one registry of statistics. Each says how to compute its point estimates per domain,
each row's linearised value (influence) for the variance, its point estimates for many weight
columns at once (replicates) and the deff denominator; estimators.estimate reads it, and the
CLI, API, pages and exports take their choices from it. A new statistic is one entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import EstimationError
from .grouping import indicator

# (weights, y, denominator or None, domain codes, number of domains) -> (estimates, u)
PointAndLinearised = Callable[[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, int],
                              tuple[np.ndarray, np.ndarray]]
# (weights n x R, y, denominator or None, domain codes, number of domains) -> k x R
PointMany = Callable[[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, int], np.ndarray]


@dataclass(frozen=True)
class Statistic:
    name: str
    label: str
    description: str
    point_and_linearised: PointAndLinearised
    point_many: PointMany
    binary: bool = False  # a 0/1 variable; intervals from the proportion CI methods
    needs_denominator: bool = False
    # R's deff denominator: the SRS variance of the values (or of the linearised values u),
    # for a mean (or, scaled by the squared population size, a total)
    deff_of_linearised: bool = False
    deff_of_total: bool = False


def _mean(w: np.ndarray, y: np.ndarray, den: np.ndarray | None, d: np.ndarray, k: int
          ) -> tuple[np.ndarray, np.ndarray]:
    total_y = np.bincount(d, weights=w * y, minlength=k)
    total_w = np.bincount(d, weights=w, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = total_y / total_w
        return mean, (y - mean[d]) / total_w[d]


def _total(w: np.ndarray, y: np.ndarray, den: np.ndarray | None, d: np.ndarray, k: int
           ) -> tuple[np.ndarray, np.ndarray]:
    return np.bincount(d, weights=w * y, minlength=k), y


def _ratio(w: np.ndarray, y: np.ndarray, den: np.ndarray | None, d: np.ndarray, k: int
           ) -> tuple[np.ndarray, np.ndarray]:
    assert den is not None
    total_y = np.bincount(d, weights=w * y, minlength=k)
    total_x = np.bincount(d, weights=w * den, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = total_y / total_x
        return ratio, (y - ratio[d] * den) / total_x[d]


def _mean_many(w: np.ndarray, y: np.ndarray, den: np.ndarray | None, d: np.ndarray, k: int
               ) -> np.ndarray:
    ind = indicator(d, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (ind @ (w * y[:, None])) / (ind @ w)


def _total_many(w: np.ndarray, y: np.ndarray, den: np.ndarray | None, d: np.ndarray, k: int
                ) -> np.ndarray:
    return indicator(d, k) @ (w * y[:, None])


def _ratio_many(w: np.ndarray, y: np.ndarray, den: np.ndarray | None, d: np.ndarray, k: int
                ) -> np.ndarray:
    assert den is not None
    ind = indicator(d, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (ind @ (w * y[:, None])) / (ind @ (w * den[:, None]))


STATISTICS: dict[str, Statistic] = {s.name: s for s in (
    Statistic("mean", "Mean", "weighted mean (R svymean)", _mean, _mean_many),
    Statistic("proportion", "Proportion", "share of 1s of a 0/1 variable (R svyciprop)",
              _mean, _mean_many, binary=True),
    Statistic("total", "Total", "weighted total (R svytotal)", _total, _total_many,
              deff_of_total=True),
    Statistic("ratio", "Ratio", "ratio of two totals (R svyratio)", _ratio, _ratio_many,
              needs_denominator=True, deff_of_linearised=True, deff_of_total=True),
)}
# Statistics of one variable (what the estimate command offers as --mean, --proportion...).
SINGLE_VARIABLE: tuple[str, ...] = tuple(n for n, s in STATISTICS.items()
                                         if not s.needs_denominator)


def statistic(name: str) -> Statistic:
    """The statistic called `name`; an error listing the choices otherwise."""
    found = STATISTICS.get(name)
    if found is None:
        raise EstimationError(f"statistic must be one of {', '.join(STATISTICS)}, not {name!r}")
    return found


def statistic_choices() -> list[tuple[str, str]]:
    return [(n, s.label) for n, s in STATISTICS.items()]
