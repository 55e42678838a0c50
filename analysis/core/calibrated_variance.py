"""The variance of calibrated, unclustered designs (the BAS case) without forming the n x k
residual matrix: R calibrate()'s residuals e = x - w X b enter the stratified sum of squares
only through per-stratum sums, which follow from the sparse scores, sum(w X) and
sum(w^2 X X') per stratum (computed once per design) and b. The same figures as
variance.calibration_residuals followed by the stratified sum, in a fraction of the time."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .calibration import solve_gram
from .design import Design, StratumMoments

# Above this many numbers (strata x columns^2) the per-stratum moments are not worth it.
MAX_MOMENT_SIZE = 20_000_000


def usable(design: Design, scores: object) -> bool:
    cal = design.calibration
    return (cal is not None and design.psu_is_row and sparse.issparse(scores)
            and design.n_strata * cal.model_matrix.shape[1] ** 2 <= MAX_MOMENT_SIZE)


def calibrated_variance(design: Design, scores: sparse.spmatrix, scale: np.ndarray,
                        lonely: np.ndarray, moments: StratumMoments) -> np.ndarray:
    """Sum over strata of scale_h * sum_i (e_ij - m_hj)^2 with m_hj the stratum mean of the
    residuals e (0 for a lonely PSU), one value per column of the scores."""
    cal = design.calibration
    assert cal is not None
    w = design.weights
    entries = sparse.coo_matrix(scores, dtype=float)
    rows, cols, values = entries.row, entries.col, entries.data
    k = entries.shape[1]
    p = cal.model_matrix.shape[1]
    inverse_w = np.divide(1.0, w, out=np.zeros_like(w), where=w > 0)
    x_columns, x_values = (a[rows] for a in cal.padded)
    # regression of z = x / w on X weighted by the base weights: b = (X'W0X)^-1 X'W0 z
    z_weighted = values * inverse_w[rows] * cal.base_weights[rows]
    cross = np.bincount((x_columns * k + cols[:, None]).ravel(),
                        weights=(x_values * z_weighted[:, None]).ravel(),
                        minlength=p * k).reshape(p, k)
    beta = solve_gram(cal.gram, cross)
    fitted = (x_values * beta[x_columns, cols[:, None]]).sum(axis=1)  # X_i b_j per entry
    n_strata = design.n_strata
    cell = design.stratum[rows] * k + cols
    size = n_strata * k
    sum_x = np.bincount(cell, weights=values, minlength=size).reshape(n_strata, k)
    sum_xx = np.bincount(cell, weights=values * values, minlength=size).reshape(n_strata, k)
    cross_e = np.bincount(cell, weights=values * w[rows] * fitted,
                          minlength=size).reshape(n_strata, k)
    fitted_sq = np.einsum("pj,hpq,qj->hj", beta, moments.weighted_xx, beta, optimize=True)
    sum_e = sum_x - moments.weighted_x @ beta
    sum_e2 = sum_xx - 2 * cross_e + fitted_sq
    n_h = design.n_psu[:, None].astype(float)
    centred = np.where(lonely[:, None], sum_e2, sum_e2 - sum_e * sum_e / n_h)
    return np.maximum(scale @ centred, 0.0)
