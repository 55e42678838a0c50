"""The design released with the microdata (pure): variance strata (renumbered), PSUs, the
final weight, and replicate weights that reproduce the published standard errors.

The published standard errors are calibration-aware (Taylor linearised, as R's
calibrate()): for any estimate, the variance is a quadratic form u' A u in its weighted
linearised scores u, A = M' S M, with S the stratified sum of squares and M the residual
operator of the raking model. Writing A as a sum of squares of K vectors a_k (one per
within-stratum contrast, the calibration residual taken of each) gives replicate weights
w (1 + eps a_k) whose variance eps^-2 sum_k (theta_k - mean theta)^2 is the published
one, without the raking margins (borough, exact sector) being released: the generalised
replication of Fay (1989), as the R package svrep's `as_fays_gen_rep_design` builds it for
a quadratic form. K + 1 replicates are written so that their mean is the full-sample
estimate (any replication tool's default centring then gives the same figure)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from analysis.core import Design, build_design
from analysis.core.calibration import solve_gram
from analysis.core.design_spec import DesignSpec

# The largest relative change of a weight in a replicate: small, so that the variance of a
# ratio from the replicates is its linearised variance to about this relative precision.
PERTURBATION = 1e-7
REPLICATE_PREFIX = "repw_"


@dataclass(frozen=True)
class ReleasedDesign:
    stratum: np.ndarray  # variance stratum, renumbered 1..H in a random order
    weights: np.ndarray  # the final weight
    replicates: np.ndarray  # n x R replicate weights
    scale: float  # variance = scale * sum_r (theta_r - mean theta)^2

    @property
    def replicate_names(self) -> list[str]:
        width = max(3, len(str(self.replicates.shape[1])))
        return [f"{REPLICATE_PREFIX}{r:0{width}d}" for r in range(1, self.replicates.shape[1] + 1)]

    def about(self) -> dict:
        return {"weight": "final_weight", "strata": "variance_stratum", "psu": "psu",
                "replicate_weights": self.replicate_names,
                "replicates": int(self.replicates.shape[1]),
                "replicate_type": "other (Fay's generalised replication of the published "
                                  "calibration-aware linearised variance)",
                "scale": self.scale, "rscales": 1.0, "mse": False,
                "strata_count": int(self.stratum.max()) if self.stratum.size else 0}


def released_design(data, design_spec: dict, rng: np.random.Generator) -> ReleasedDesign:
    """The design of the run's respondents (`data`, in the run's row order) as released."""
    spec = DesignSpec.from_dict(design_spec)
    design = build_design(spec, data, "respondents")
    order = rng.permutation(design.n_strata)
    stratum = order[design.stratum] + 1
    factors, eps = replicate_factors(design)
    return ReleasedDesign(stratum, design.weights.copy(),
                          design.weights[:, None] * factors, eps ** -2 if eps else 1.0)


def replicate_factors(design: Design) -> tuple[np.ndarray, float]:
    """n x (K + 1) factors 1 + eps c_r, and eps: sum_r (c_r - mean c)(c_r - mean c)' is the
    matrix of the design's variance in scores divided by the weights (see the module)."""
    basis = _contrasts(design)  # n x K, columns q_hk * sqrt(scale_h)
    a = _residual_transpose(design, basis) if design.calibration is not None else basis
    centred = _centred(a)  # n x (K + 1), columns summing to zero, same scatter
    largest = float(np.abs(centred).max()) if centred.size else 0.0
    eps = PERTURBATION / largest if largest > 0 else 0.0
    return 1.0 + eps * centred, eps


def _contrasts(design: Design) -> np.ndarray:
    """Orthonormal within-stratum (Helmert) contrasts times sqrt of the stratum's variance
    constant (R's f n/(n-1)); a lonely PSU (centred at zero, as R's 'adjust') its unit
    vector. Unclustered designs only (every PSU one row, as the BAS)."""
    if not design.psu_is_row:
        raise ValueError("released replicate weights need an unclustered design")
    n_h = design.n_psu
    lonely = n_h == 1
    scale = design.fpc_factor * np.where(lonely, 1.0, n_h / np.maximum(n_h - 1, 1))
    if design.lonely_psu in ("remove", "certainty"):
        scale = np.where(lonely, 0.0, scale)
    columns, rows, values = [], [], []
    k = 0
    for h in range(design.n_strata):
        members = np.flatnonzero(design.stratum == h)
        root = np.sqrt(scale[h])
        if root == 0:
            continue
        if members.size == 1:
            rows.append(members)
            values.append(np.array([root]))
            columns.append(np.array([k]))
            k += 1
            continue
        for j in range(1, members.size):
            head = members[:j + 1]
            entries = np.full(j + 1, 1.0)
            entries[-1] = -j
            rows.append(head)
            values.append(entries * root / np.sqrt(j * (j + 1)))
            columns.append(np.full(j + 1, k))
            k += 1
    if k == 0:
        return np.zeros((design.n, 0))
    matrix = sparse.csc_matrix((np.concatenate(values),
                                (np.concatenate(rows), np.concatenate(columns))),
                               shape=(design.n, k))
    return matrix.toarray()


def _residual_transpose(design: Design, q: np.ndarray) -> np.ndarray:
    """M' q for the calibration residual operator M u = u - W X b(u) of
    analysis.core.variance.calibration_residuals: M' q = q - (w0 / w) X G^-1 X' (w q)."""
    cal = design.calibration
    w = design.weights
    x = cal.model_matrix
    beta = solve_gram(cal.gram, np.asarray(x.T @ (q * w[:, None])))
    ratio = np.divide(cal.base_weights, w, out=np.zeros_like(w), where=w > 0)
    return q - ratio[:, None] * np.asarray(x @ beta)


def _centred(b: np.ndarray) -> np.ndarray:
    """C = B H' with H the (K+1) x K Helmert contrasts: C's columns sum to zero and
    C (I - J/(K+1)) C' = B B'. Computed with a running sum, not a K x K product."""
    n, k = b.shape
    j = np.arange(1, k + 1, dtype=float)
    c = b / np.sqrt(j * (j + 1))  # c_j
    out = np.zeros((n, k + 1))
    # column m: sum_{j > m} c_j - m c_m
    tail = np.cumsum(c[:, ::-1], axis=1)[:, ::-1]  # tail[:, i] = sum_{j >= i+1} c_j
    out[:, :k] = tail
    out[:, 1:k + 1] -= c * j
    return out
