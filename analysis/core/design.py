"""The survey design, built once: weights, strata, PSUs, finite population correction, the
calibration model and replicate weights (as R's svydesign / svrep.design objects). Raking and
calibration return a new design; estimators only read it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import Protocol

import numpy as np
from scipy import sparse

from .errors import EstimationError
from .grouping import factor_codes


class ReplicateFactors(Protocol):
    """Per-PSU replicate factors (replicates.ReplicateWeights): row weights w * factors[psu]."""

    method: str
    factors: np.ndarray
    psu: np.ndarray
    scale: float
    rscales: np.ndarray


@dataclass(frozen=True)
class StratumMoments:
    """Per stratum h of a calibrated design: sum of w_i X_i (H x p) and of w_i^2 X_i X_i'
    (H x p x p), for calibrated_variance."""

    weighted_x: np.ndarray
    weighted_xx: np.ndarray

LONELY_PSU_RULES = ("adjust", "remove", "certainty", "fail")


@dataclass(frozen=True)
class Calibration:
    """What calibration-aware variance needs: the model matrix and the weights before it,
    with how the weights were calibrated (method and iterations, for the record)."""

    model_matrix: sparse.csr_matrix
    base_weights: np.ndarray
    method: str = "raking"
    iterations: int = 0

    @cached_property
    def weighted_matrix(self) -> sparse.csr_matrix:
        """X scaled by the weights before calibration (rows), computed once."""
        return sparse.csr_matrix(self.model_matrix.multiply(self.base_weights[:, None]))

    @cached_property
    def gram(self) -> np.ndarray:
        """X' W0 X, computed once."""
        return (self.model_matrix.T @ self.weighted_matrix).toarray()

    @cached_property
    def padded(self) -> tuple[np.ndarray, np.ndarray]:
        """X row by row as (columns, values), n x r with r the most non-zeros in a row
        (padding: column 0, value 0): for vectorised per-row arithmetic, computed once."""
        x = sparse.csr_matrix(self.model_matrix)
        x.sort_indices()
        counts = np.diff(x.indptr)
        width = int(counts.max()) if counts.size else 0
        columns = np.zeros((x.shape[0], width), dtype=np.int64)
        values = np.zeros((x.shape[0], width))
        slot = np.arange(x.data.size) - np.repeat(x.indptr[:-1], counts)
        row = np.repeat(np.arange(x.shape[0]), counts)
        columns[row, slot] = x.indices
        values[row, slot] = x.data
        return columns, values


@dataclass(frozen=True)
class Replicates:
    """Every row's replicate weights (n x R, whole weights as R's combined.weights = TRUE)
    and R svrVar's constants: variance = scale * sum_r rscales_r (theta_r - mean theta)^2."""

    method: str
    weights: np.ndarray
    scale: float
    rscales: np.ndarray

    @property
    def count(self) -> int:
        return int(self.weights.shape[1])


@dataclass(frozen=True)
class Design:
    """A one-stage (ultimate cluster) stratified design, as R's svydesign(id=, strata=, fpc=),
    optionally calibrated and optionally with replicate weights (then the variance is the
    replicates', as R's svrep.design)."""

    weights: np.ndarray
    stratum: np.ndarray
    psu: np.ndarray
    psu_stratum: np.ndarray
    n_psu: np.ndarray
    fpc_factor: np.ndarray
    psu_is_row: bool
    calibration: Calibration | None = None
    lonely_psu: str = "adjust"
    replicates: Replicates | None = None

    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    @property
    def n_strata(self) -> int:
        return int(self.n_psu.shape[0])

    @property
    def df(self) -> int:
        """Design degrees of freedom: PSUs minus strata (R's degf)."""
        return int(self.psu_stratum.shape[0] - self.n_strata)

    @cached_property
    def stratum_moments(self) -> StratumMoments:
        """Per-stratum moments of the calibration model with the weights, computed once."""
        if self.calibration is None:
            raise EstimationError("stratum moments need a calibrated design")
        columns, values = self.calibration.padded
        p = self.calibration.model_matrix.shape[1]
        h = self.stratum[:, None]
        weighted = values * self.weights[:, None]
        weighted_x = np.bincount((h * p + columns).ravel(), weights=weighted.ravel(),
                                 minlength=self.n_strata * p).reshape(self.n_strata, p)
        pair = (h[:, :, None] * p + columns[:, :, None]) * p + columns[:, None, :]
        product = weighted[:, :, None] * weighted[:, None, :]
        weighted_xx = np.bincount(pair.ravel(), weights=product.ravel(),
                                  minlength=self.n_strata * p * p)
        return StratumMoments(weighted_x, weighted_xx.reshape(self.n_strata, p, p))

    def with_weights(self, weights: np.ndarray, calibration: Calibration | None,
                     replicates: Replicates | None = None) -> Design:
        """The same design with new (e.g. calibrated) weights. A design with replicate
        weights needs its replicates adjusted the same way (rake_design / calibrate_design
        do it): new weights alone would leave them behind, so that is an error."""
        if self.replicates is not None and replicates is None:
            raise EstimationError(
                "the design has replicate weights: rake or calibrate it with rake_design() or "
                "calibrate_design(), which adjust every replicate as R's calibrate() does")
        return replace(self, weights=np.asarray(weights, dtype=float), calibration=calibration,
                       replicates=replicates)

    def with_replicates(self, replicates: ReplicateFactors) -> Design:
        """The design with replicate weights (JK1, JKn, bootstrap factors times the weights),
        as R's as.svrepdesign. Add them before raking or calibrating, so that every
        replicate is calibrated too."""
        if self.calibration is not None:
            raise EstimationError("add replicate weights before raking or calibrating the "
                                  "design, so that every replicate is calibrated too")
        weights = self.weights[:, None] * replicates.factors[replicates.psu]
        return replace(self, replicates=Replicates(replicates.method, weights,
                                                   replicates.scale, replicates.rscales))


def make_design(
    weights: object,
    strata: object | None = None,
    cluster: object | None = None,
    fpc: object | None = None,
    lonely_psu: str = "adjust",
) -> Design:
    """Build a design. fpc is the population number of PSUs in the stratum (values > 1) or the
    sampling fraction (all values <= 1), as R's svydesign accepts."""
    w = check_weights(weights)
    n = w.shape[0]
    if lonely_psu not in LONELY_PSU_RULES:
        raise EstimationError(f"lonely_psu must be one of {LONELY_PSU_RULES}, not {lonely_psu!r}")
    stratum = _codes(strata, n, "strata")
    if cluster is None:
        psu = np.arange(n, dtype=np.int64)
        psu_is_row = True
    else:
        cluster_codes = _codes(cluster, n, "cluster")
        pair = stratum * (int(cluster_codes.max()) + 1) + cluster_codes
        _, psu = np.unique(pair, return_inverse=True)
        psu_is_row = bool(np.unique(psu).size == n)
    n_psu_total = int(psu.max()) + 1 if n else 0
    psu_stratum = np.zeros(n_psu_total, dtype=np.int64)
    psu_stratum[psu] = stratum
    n_strata = int(stratum.max()) + 1 if n else 0
    n_psu = np.bincount(psu_stratum, minlength=n_strata)
    fpc_factor = _fpc_factor(fpc, stratum, n_psu)
    return Design(w, stratum, psu.astype(np.int64), psu_stratum, n_psu, fpc_factor,
                  psu_is_row, None, lonely_psu)


def check_weights(weights: object, name: str = "weight") -> np.ndarray:
    """Weights as floats; an error naming the first bad value if any is missing or negative."""
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError) as exc:
        raise EstimationError(f"{name}: weights must be numbers ({exc})")
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        raise EstimationError(
            f"{name}: weight at row {int(bad[0]) + 1} is {w[bad[0]]!r}; "
            "weights must be finite and not negative"
        )
    return w


def _codes(values: object | None, n: int, name: str) -> np.ndarray:
    if values is None:
        return np.zeros(n, dtype=np.int64)
    codes, _ = factor_codes(values)
    if codes.shape[0] != n:
        raise EstimationError(f"{name}: {codes.shape[0]} values for {n} rows")
    missing = np.flatnonzero(codes < 0)
    if missing.size:
        raise EstimationError(f"{name}: missing value at row {int(missing[0]) + 1}")
    return codes


def _fpc_factor(fpc: object | None, stratum: np.ndarray, n_psu: np.ndarray) -> np.ndarray:
    """Per stratum, R's f = (N - n) / N (1 when there is no fpc)."""
    if fpc is None:
        return np.ones(n_psu.shape[0])
    values = np.asarray(fpc, dtype=float)
    if np.any(~np.isfinite(values) | (values <= 0)):
        raise EstimationError("fpc: values must be positive numbers")
    per_stratum = np.full(n_psu.shape[0], np.nan)
    per_stratum[stratum] = values
    if not np.allclose(values, per_stratum[stratum]):
        raise EstimationError("fpc: the value must be the same for every row of a stratum")
    if np.all(values <= 1):
        return 1.0 - per_stratum
    if np.any(per_stratum < n_psu):
        h = int(np.flatnonzero(per_stratum < n_psu)[0])
        raise EstimationError(
            f"fpc: population size {per_stratum[h]:g} is smaller than the "
            f"{int(n_psu[h])} sampled PSUs of its stratum"
        )
    return (per_stratum - n_psu) / per_stratum
