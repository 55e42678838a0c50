"""Ratio benchmarking of small-area estimates to a direct total.

The benchmarked estimates t_d c are such that sum_d N_d t_d c = T, the direct estimate for
the whole area (e.g. London), with N_d the domain counts (e.g. businesses per borough) and
c = T / sum_d N_d t_d (Rao & Molina 2015, section 6.3.1; Pfeffermann 2013, Statistical
Science 28/1). The MSE reported alongside is the EBLUP's: benchmarking's own contribution is
not added.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import SmallAreaError


@dataclass(frozen=True, eq=False)
class Benchmarked:
    """Benchmarked estimates, the total they add up to and the common ratio applied."""

    estimates: np.ndarray
    total: float
    ratio: float

    def __post_init__(self) -> None:
        self.estimates.setflags(write=False)

    def describe(self) -> str:
        return (f"ratio-benchmarked to the total {self.total:.10g}: every estimate multiplied "
                f"by {self.ratio:.8g}; MSE not adjusted")


def ratio_benchmark(estimates: np.ndarray, counts: np.ndarray, total: float) -> Benchmarked:
    """Scale every estimate by one ratio so that counts-weighted estimates add up to total."""
    t = np.asarray(estimates, dtype=float)
    n = np.asarray(counts, dtype=float)
    if t.shape != n.shape:
        raise SmallAreaError("estimates and counts must have one value per domain")
    if not np.isfinite(total):
        raise SmallAreaError(f"benchmark total {total!r} must be a finite number")
    for i in range(n.size):
        if not (np.isfinite(n[i]) and n[i] >= 0):
            raise SmallAreaError(f"domain {i + 1}: count {float(n[i])!r} must be a number >= 0")
        if not np.isfinite(t[i]):
            raise SmallAreaError(f"domain {i + 1}: estimate {float(t[i])!r} is not finite")
    weighted = float(n @ t)
    if weighted == 0:
        raise SmallAreaError("the counts-weighted sum of the estimates is 0: no ratio scales "
                             "it to the total")
    ratio = float(total) / weighted
    return Benchmarked(t * ratio, float(total), ratio)
