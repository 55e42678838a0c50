"""Allocating n over strata: weights, lower and upper bounds, exact integer rounding.

Every method is the same computation with different weights w_h:
proportional w_h = N_h; Neyman w_h = N_h S_h with S_h = sqrt(p_h (1 - p_h)); compromise
w_h = sum of the units' size-band factors (large businesses oversampled). The continuous
allocation is x_h = clip(lambda w_h, L_h, U_h) with sum n, the same result as iteratively
capping strata at their bounds and redistributing the excess over the others. L_h is the
per-stratum minimum (1, or 2 for variance estimation when n permits), U_h the stratum's
population (or its eligible units). An optional group minimum (at least m per borough) is
met by allocating to the groups first, then within each group. Rounding is by largest
remainder, so the integers add up to n exactly and stay within the bounds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sampling.core.errors import AllocationError


def neyman_weights(populations: np.ndarray, proportions: np.ndarray | float) -> np.ndarray:
    """N_h S_h with S_h = sqrt(p_h (1 - p_h)) for the anticipated proportion p_h."""
    p = np.broadcast_to(np.asarray(proportions, dtype=float), np.shape(populations))
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise AllocationError("anticipated proportions must lie between 0 and 1")
    return np.asarray(populations, dtype=float) * np.sqrt(p * (1 - p))


def allocate(populations: Sequence[int] | np.ndarray, n: int,
             weights: Sequence[float] | np.ndarray | None = None, *,
             minimum: int | None = None, capacity: Sequence[int] | np.ndarray | None = None,
             groups: Sequence[object] | np.ndarray | None = None, group_minimum: int = 0,
             ) -> np.ndarray:
    """Integer sample sizes per stratum adding up to `n`.

    populations: N_h. weights: w_h (default N_h, i.e. proportional). minimum: units per
    stratum (default: 2 where N_h >= 2 if n allows that, else 1). capacity: most units a
    stratum can give (default N_h). groups / group_minimum: at least that many per group.
    """
    sizes = np.asarray(populations, dtype=np.int64)
    upper = sizes.copy() if capacity is None else np.minimum(np.asarray(capacity), sizes)
    weight = _checked_weights(sizes, weights)
    if n < 1:
        raise AllocationError(f"n must be at least 1, got {n}")
    if n > upper.sum():
        raise AllocationError(f"n={n} is larger than the {upper.sum()} businesses that can be "
                              "selected")
    lower = _lower_bounds(upper, n, minimum)
    if groups is None or group_minimum <= 0:
        return _round(_box(n, weight, lower, upper), n, lower, upper)
    return _allocate_in_groups(n, weight, lower, upper, np.asarray(groups), group_minimum)


def _checked_weights(sizes: np.ndarray, weights: object) -> np.ndarray:
    if np.any(sizes < 1):
        raise AllocationError("every stratum must have a population of at least 1")
    weight = sizes.astype(float) if weights is None else np.asarray(weights, dtype=float)
    if weight.shape != sizes.shape or np.any(~np.isfinite(weight)) or np.any(weight < 0):
        raise AllocationError("weights must be finite, non-negative, one per stratum")
    if weight.max() <= 0:
        weight = sizes.astype(float)
    # A zero-weight stratum still takes units once all others are full.
    return np.maximum(weight / weight.max(), 1e-9 * sizes / sizes.max())


def _lower_bounds(upper: np.ndarray, n: int, minimum: int | None) -> np.ndarray:
    strata = len(upper)
    if minimum is None:
        two = np.minimum(2, upper)
        minimum = 2 if two.sum() <= n else 1
    if minimum < 1:
        raise AllocationError("the minimum per stratum must be at least 1, so that every "
                              "business has a chance of selection")
    lower = np.minimum(minimum, upper)
    if lower.sum() > n:
        raise AllocationError(
            f"n={n} is too small: {strata} strata need at least {lower.sum()} units "
            f"({minimum} each) so that every business can be selected; use fewer strata "
            "(fewer dimensions, coarser sector groups or a larger minimum stratum size) or a "
            "larger n")
    return lower


def _allocate_in_groups(n: int, weight: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                        groups: np.ndarray, group_minimum: int) -> np.ndarray:
    keys, index = np.unique(groups, return_inverse=True)
    g_weight = np.bincount(index, weights=weight)
    g_upper = np.bincount(index, weights=upper).astype(np.int64)
    g_lower = np.maximum(np.minimum(group_minimum, g_upper),
                         np.bincount(index, weights=lower).astype(np.int64))
    if g_lower.sum() > n:
        raise AllocationError(
            f"n={n} is too small for at least {group_minimum} per group over {len(keys)} "
            f"groups (needs {g_lower.sum()}); lower the minimum per borough or raise n")
    g_sizes = _round(_box(n, g_weight, g_lower, g_upper), n, g_lower, g_upper)
    result = np.zeros(len(weight), dtype=np.int64)
    for g in range(len(keys)):
        members = np.flatnonzero(index == g)
        x = _box(int(g_sizes[g]), weight[members], lower[members], upper[members])
        result[members] = _round(x, int(g_sizes[g]), lower[members], upper[members])
    return result


def _box(total: int, weight: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """x = clip(lambda * weight, lower, upper) with sum(x) == total."""
    lower = lower.astype(float)
    upper = upper.astype(float)
    if total <= lower.sum():
        return lower
    if total >= upper.sum():
        return upper
    lo, hi = 0.0, float(np.max(upper / weight)) * 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if np.clip(mid * weight, lower, upper).sum() < total:
            lo = mid
        else:
            hi = mid
    x = np.clip(hi * weight, lower, upper)
    free = (hi * weight > lower) & (hi * weight < upper)
    if free.any():
        fixed_total = x[~free].sum()
        x[free] = (total - fixed_total) * weight[free] / weight[free].sum()
    return np.clip(x, lower, upper)


def _round(x: np.ndarray, total: int, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Largest-remainder rounding keeping sum == total and lower <= result <= upper."""
    floors = np.clip(np.floor(x + 1e-9), lower, upper).astype(np.int64)
    remainder = x - floors
    short = total - int(floors.sum())
    if short > 0:
        order = np.argsort(-remainder, kind="stable")
        order = order[floors[order] < upper[order]][:short]
        floors[order] += 1
    elif short < 0:
        order = np.argsort(remainder, kind="stable")
        order = order[floors[order] > lower[order]][:-short]
        floors[order] -= 1
    if floors.sum() != total:
        raise AllocationError(f"cannot allocate {total} units within the strata bounds")
    return floors
