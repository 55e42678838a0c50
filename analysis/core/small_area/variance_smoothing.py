"""Smoothing the direct variances of proportions with a generalised variance function (GVF).

Design variances of proportions in small domains are unstable (a domain with p = 0 or 1 has a
zero variance, which the Fay-Herriot model cannot take). Before fitting, they can be replaced
by a GVF fitted across the domains (Wolter 2007, Introduction to Variance Estimation, 2nd ed.,
chapter 7; Rao & Molina 2015, section 6.4.1):

    log v_d = b0 + b1 log n_d + b2 log(p_d (1 - p_d))

fitted by ordinary least squares on the domains with 0 < p_d < 1, v_d > 0 and n_d >= 2, then
v~_d = exp(b0) n_d^b1 (p_d (1 - p_d))^b2 for every domain with a sample. A p_d of 0 or 1 is
taken as 1 / (2 n_d) or 1 - 1 / (2 n_d) in the prediction. With b1 = -1 and b2 = 1 the GVF is
the binomial variance p (1 - p) / n times a design effect exp(b0) common to all domains.
No retransformation (smearing) factor is applied: v~ is the GVF's median on the log scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import SmallAreaError

MIN_DOMAINS = 4


@dataclass(frozen=True, eq=False)
class SmoothedVariance:
    """Smoothed variances (NaN where there is no sample) and the GVF's b0, b1, b2."""

    variance: np.ndarray
    coefficients: tuple[float, float, float]
    domains_used: int

    def __post_init__(self) -> None:
        self.variance.setflags(write=False)

    def describe(self) -> str:
        b0, b1, b2 = self.coefficients
        return (f"variance smoothed by the GVF log v = {b0:.6g} + {b1:.6g} log n + "
                f"{b2:.6g} log(p(1-p)), fitted on {self.domains_used} domains")


def smooth_proportion_variance(proportion: np.ndarray, variance: np.ndarray,
                               size: np.ndarray) -> SmoothedVariance:
    """GVF-smoothed variances of direct proportions; NaN proportions stay NaN (no sample)."""
    p = np.asarray(proportion, dtype=float)
    v = np.asarray(variance, dtype=float)
    n = np.asarray(size, dtype=float)
    if not p.shape == v.shape == n.shape:
        raise SmallAreaError("proportion, variance and size must have one value per domain")
    sampled = ~np.isnan(p)
    for i in np.flatnonzero(sampled):
        if not 0.0 <= p[i] <= 1.0:
            raise SmallAreaError(f"domain {i + 1}: proportion {float(p[i])!r} is not in [0, 1]")
        if not (np.isfinite(n[i]) and n[i] >= 1):
            raise SmallAreaError(f"domain {i + 1}: sample size {float(n[i])!r} must be >= 1")
    with np.errstate(invalid="ignore"):
        usable = sampled & (p > 0) & (p < 1) & (v > 0) & np.isfinite(v) & (n >= 2)
    used = int(usable.sum())
    if used < MIN_DOMAINS:
        raise SmallAreaError(f"the variance function needs at least {MIN_DOMAINS} domains with "
                             f"0 < p < 1, a variance > 0 and n >= 2; there are {used}")
    design = np.column_stack([np.ones(used), np.log(n[usable]),
                              np.log(p[usable] * (1 - p[usable]))])
    if np.linalg.matrix_rank(design) < 3:
        raise SmallAreaError("the variance function cannot be fitted: the domains' sizes or "
                             "proportions do not vary enough")
    coef, *_ = np.linalg.lstsq(design, np.log(v[usable]), rcond=None)
    smoothed = np.full(p.shape, np.nan)
    ns = n[sampled]
    ps = np.clip(p[sampled], 0.5 / ns, 1.0 - 0.5 / ns)
    smoothed[sampled] = np.exp(coef[0] + coef[1] * np.log(ns) + coef[2] * np.log(ps * (1 - ps)))
    return SmoothedVariance(smoothed, (float(coef[0]), float(coef[1]), float(coef[2])), used)
