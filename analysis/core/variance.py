"""The one variance function every estimator calls (R's svyrecvar for one stage)."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from . import calibrated_variance
from .calibration import solve_gram
from .design import Calibration, Design
from .errors import EstimationError
from .grouping import group_sum, indicator


def design_variance(design: Design, scores: np.ndarray | sparse.spmatrix) -> np.ndarray:
    """Variances of the totals of weighted scores (n x k dense or sparse, or n): one per column.

    Scores are the influence values already multiplied by the weights (R's x * pweights).
    After calibration they are first replaced by residuals on the calibration model."""
    if calibrated_variance.usable(design, scores):
        scale, lonely = _scales(design)
        return calibrated_variance.calibrated_variance(design, scores, scale, lonely,
                                                       design.stratum_moments)
    if sparse.issparse(scores):
        x = sparse.csr_matrix(scores, dtype=float)
    else:
        x = np.asarray(scores, dtype=float).reshape(design.n, -1)
    if design.calibration is not None:
        x = calibration_residuals(design.calibration, design.weights, x)
    if not design.psu_is_row:
        x = indicator(design.psu, design.psu_stratum.shape[0]) @ x
    if sparse.issparse(x):
        return _stratified_variance_sparse(design, sparse.coo_matrix(x))
    return _stratified_variance(design, np.array(x, dtype=float))


def calibration_residuals(cal: Calibration, weights: np.ndarray,
                          x: np.ndarray | sparse.csr_matrix) -> np.ndarray:
    """R calibrate(): x <- w * (z - X b), b from the regression of z = x / w on X weighted by
    the weights before calibration. Returns a dense n x k array."""
    inverse_w = np.divide(1.0, weights, out=np.zeros_like(weights), where=weights > 0)
    if sparse.issparse(x):
        z = sparse.diags(inverse_w) @ x
        cross = (cal.weighted_matrix.T @ z).toarray()
    else:
        z = x * inverse_w[:, None]
        cross = np.asarray(cal.weighted_matrix.T @ z)
    beta = solve_gram(cal.gram, cross)
    fitted = np.asarray(cal.model_matrix @ beta)
    fitted *= -weights[:, None]
    if sparse.issparse(x):
        coo = x.tocoo()
        fitted[coo.row, coo.col] += coo.data  # csr entries have distinct (row, col)
        return fitted
    return fitted + x


def _scales(design: Design) -> tuple[np.ndarray, np.ndarray]:
    """Per stratum: R's f * n/(n-1) (f alone for a lonely PSU), and whether it is lonely."""
    n_h = design.n_psu
    lonely = n_h == 1
    if lonely.any() and design.lonely_psu == "fail":
        stratum = int(np.flatnonzero(lonely)[0])
        raise EstimationError(f"stratum {stratum + 1} has only one PSU (lonely_psu='fail')")
    scale = design.fpc_factor * np.where(lonely, 1.0, n_h / np.maximum(n_h - 1, 1))
    if design.lonely_psu in ("remove", "certainty"):
        scale = np.where(lonely, 0.0, scale)
    return np.where(design.fpc_factor < 1e-7, 0.0, scale), lonely


def _stratified_variance(design: Design, totals: np.ndarray) -> np.ndarray:
    """Sum over strata of f_h n_h/(n_h-1) sum_i (t_hi - mean_h)^2 over PSU totals t
    (overwrites totals)."""
    h = design.psu_stratum
    scale, lonely = _scales(design)
    means = group_sum(h, totals, scale.shape[0]) / design.n_psu[:, None]
    # a lonely PSU under "adjust" is centred at zero, as R survey 4.x does
    means[lonely] = 0.0
    totals -= means[h]
    np.square(totals, out=totals)
    return scale[h] @ totals


def _stratified_variance_sparse(design: Design, totals: sparse.coo_matrix) -> np.ndarray:
    """The same sum for sparse PSU totals: the PSUs with no entry contribute mean^2 each."""
    scale, lonely = _scales(design)
    n_h = design.n_psu
    h_of = design.psu_stratum[totals.row]
    k = totals.shape[1]
    sums = np.zeros((scale.shape[0], k))
    np.add.at(sums, (h_of, totals.col), totals.data)
    means = sums / n_h[:, None]
    means[lonely] = 0.0
    m = means[h_of, totals.col]
    # sum over all PSUs of (t - m)^2 = n_h m^2 + sum over entries of t (t - 2m)
    entry_part = np.bincount(totals.col, weights=scale[h_of] * totals.data * (totals.data - 2 * m),
                             minlength=k)
    return entry_part + (scale * n_h) @ (means * means)
