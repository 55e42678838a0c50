"""Wave-on-wave change of a proportion between independent samples."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Change:
    difference: np.ndarray
    se: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    significant: np.ndarray


def proportion_change(p_before: object, se_before: object, p_after: object,
                      se_after: object, alpha: float = 0.05) -> Change:
    """after - before, SE sqrt(se1^2 + se2^2), two-sided z test, significant if p < alpha."""
    from scipy import stats  # loaded on first use, not at start-up

    p1, s1 = np.asarray(p_before, float), np.asarray(se_before, float)
    p2, s2 = np.asarray(p_after, float), np.asarray(se_after, float)
    diff = p2 - p1
    se = np.sqrt(s1 * s1 + s2 * s2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = diff / se
    p_value = 2 * stats.norm.sf(np.abs(z))
    return Change(diff, se, z, p_value, p_value < alpha)
