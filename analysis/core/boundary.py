"""Intervals for proportions estimated at exactly 0 or 1 (pure).

Where every respondent in a domain answered the same way, the estimate is 0 or 1, its
standard error is 0 and the logit interval is undefined (R's svyciprop gives NaN for one
bound, Wilson and Korn-Graubard with Kish's effective sample size do too). Such rows get the
Korn-Graubard interval with the effective sample size taken as the unweighted base, as the
NCHS data presentation standards for proportions do: Clopper-Pearson, so the interval at 0 is
[0, 1 - (alpha/2)^(1/n)] and at 1 is [(alpha/2)^(1/n), 1]. The rows say which interval they
carry (BOUNDARY_METHOD), so the publication's notes can state it."""

from __future__ import annotations

import numpy as np

BOUNDARY_METHOD = "korn_graubard_n"
BOUNDARY_NOTE = ("Where an estimate is 0% or 100% the logit interval is undefined; those "
                 "intervals are Korn-Graubard (Clopper-Pearson) intervals with the effective "
                 "sample size taken as the unweighted base.")


def boundary_interval(p: np.ndarray, n: np.ndarray, level: float = 0.95
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Clopper-Pearson bounds for x = p n successes of n (p 0 or 1), NaN where n < 1."""
    from scipy import special

    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        x = p * n
        low = np.where(x <= 0, 0.0, special.betaincinv(x, n - x + 1, alpha / 2))
        high = np.where(x >= n, 1.0, special.betaincinv(x + 1, n - x, 1 - alpha / 2))
    bad = ~(n >= 1)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def at_boundary(p: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.isfinite(p) & ((p <= tol) | (p >= 1 - tol))


def with_boundary_intervals(rows: list[dict], method: str, level: float = 0.95) -> list[dict]:
    """Estimate rows (estimate, ci_low, ci_high, n) with each row's interval method in
    `ci_method`; rows at 0 or 1 get the boundary interval."""
    if not rows:
        return rows
    p = np.array([np.nan if r.get("estimate") is None else r["estimate"] for r in rows],
                 dtype=float)
    n = np.array([0 if r.get("n") is None else r["n"] for r in rows], dtype=float)
    edge = at_boundary(p) & (n >= 1)
    low, high = boundary_interval(np.where(edge, p, 0.0), np.where(edge, n, 1.0), level)
    out = []
    for i, row in enumerate(rows):
        if edge[i]:
            out.append({**row, "ci_low": float(low[i]), "ci_high": float(high[i]),
                        "ci_method": BOUNDARY_METHOD})
        else:
            out.append({**row, "ci_method": method})
    return out
