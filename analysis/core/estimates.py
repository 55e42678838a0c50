"""Immutable results of an estimator: one entry per domain."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .ci_methods import DEFAULT_PROPORTION_CI, PROPORTION_CI_METHODS, ci_method
from .errors import EstimationError
from .statistics import statistic

RESULT_COLUMNS = ["variable", "by", "domain", "estimate", "se", "ci_low", "ci_high", "n", "deff"]


@dataclass(frozen=True)
class Estimates:
    """Estimates of one statistic of one variable for each domain of one `by`."""

    statistic: str
    variable: str
    by: str
    domains: tuple[str, ...]
    estimate: np.ndarray
    variance: np.ndarray
    n: np.ndarray
    df: np.ndarray
    deff: np.ndarray
    n_rows: np.ndarray

    @property
    def se(self) -> np.ndarray:
        return np.sqrt(self.variance)

    def confint(self, method: str | None = None, level: float = 0.95
                ) -> tuple[np.ndarray, np.ndarray]:
        """t interval for means, totals and ratios; for proportions `method`, one of the
        registry's proportion methods (default logit)."""
        name = "t"
        if statistic(self.statistic).binary:
            name = method or DEFAULT_PROPORTION_CI
            if name not in PROPORTION_CI_METHODS:
                raise EstimationError(f"CI method for proportions must be one of "
                                      f"{', '.join(PROPORTION_CI_METHODS)}, not {name!r}")
        return ci_method(name).interval(self.estimate, self.se, self.df, self.n_rows, level)

    def to_frame(self, ci: str | None = None, level: float = 0.95) -> pd.DataFrame:
        low, high = self.confint(ci, level)
        return pd.DataFrame({
            "variable": self.variable,
            "by": self.by,
            "domain": list(self.domains),
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": low,
            "ci_high": high,
            "n": self.n.astype(np.int64),
            "deff": self.deff,
        }, columns=RESULT_COLUMNS)
