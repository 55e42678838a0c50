"""Weight trimming with redistribution of the trimmed weight, iterated until the bounds hold."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import WeightingError


@dataclass(frozen=True)
class TrimResult:
    weights: np.ndarray
    trimmed: int
    iterations: int


def trim_weights(weights: object, lower: float | None = None, upper: float | None = None,
                 median_cap: float | None = None, redistribute: bool = True,
                 max_iter: int = 100, tol: float = 1e-10) -> TrimResult:
    """Trim to [lower, upper] (upper also capped at median_cap * the initial median weight).
    With redistribute, the weight removed (or added) is spread over the untrimmed cases in
    proportion to their weights, so the total is kept; repeat until nothing moves."""
    w = np.asarray(weights, dtype=float).copy()
    lo = -np.inf if lower is None else float(lower)
    hi = np.inf if upper is None else float(upper)
    if median_cap is not None:
        if median_cap <= 0:
            raise WeightingError(f"median_cap must be positive, not {median_cap}")
        hi = min(hi, median_cap * float(np.median(w[w > 0])))
    if lo > hi:
        raise WeightingError(f"trimming bounds are inverted: lower {lo:g} > upper {hi:g}")
    total = w.sum()
    touched = np.zeros(w.shape[0], dtype=bool)
    for iteration in range(1, max_iter + 1):
        out = (w > hi * (1 + tol)) | ((w < lo * (1 - tol)) & (w > 0))
        if not out.any():
            return TrimResult(w, int(touched.sum()), iteration - 1)
        touched |= out
        w = np.where(out, np.clip(w, lo, hi), w)
        if redistribute:
            free = ~touched & (w > 0)
            if not free.any():
                raise WeightingError("every weight hit a trimming bound: nothing left to "
                                     "carry the trimmed weight; widen the bounds")
            w[free] *= 1 + (total - w.sum()) / w[free].sum()
    raise WeightingError(f"trimming did not settle in {max_iter} iterations; widen the bounds")
