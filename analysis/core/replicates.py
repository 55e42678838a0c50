"""Replicate weights (JK1, JKn, bootstrap) and replicate variance, as R's as.svrepdesign
and svrVar (variance about the mean of the replicates, survey.replicates.mse = FALSE).
Factors join a design with Design.with_replicates; raking and calibrating that design then
calibrate every replicate too."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .design import Design, Replicates
from .errors import EstimationError


@dataclass(frozen=True)
class ReplicateWeights:
    """Per-PSU replicate factors (PSUs x replicates); row weights are w * factors[psu]."""

    method: str
    factors: np.ndarray
    psu: np.ndarray
    scale: float
    rscales: np.ndarray

    @property
    def count(self) -> int:
        return int(self.factors.shape[1])

    def weights(self, base: np.ndarray) -> np.ndarray:
        return base[:, None] * self.factors[self.psu]


def jk1_weights(design: Design) -> ReplicateWeights:
    """Delete-one-PSU jackknife for an unstratified design (R type="JK1")."""
    if design.n_strata != 1:
        raise EstimationError("JK1 is for unstratified designs; use JKn for strata")
    n = design.psu_stratum.shape[0]
    factors = np.full((n, n), n / (n - 1))
    np.fill_diagonal(factors, 0.0)
    scale = float(design.fpc_factor[0]) * (n - 1) / n
    return ReplicateWeights("JK1", factors, design.psu, scale, np.ones(n))


def jkn_weights(design: Design) -> ReplicateWeights:
    """Stratified delete-one-PSU jackknife (R type="JKn"); a stratum with one PSU is handled
    as R's lonely.psu="adjust"."""
    n_psu = design.psu_stratum.shape[0]
    h_of = design.psu_stratum
    n_h = design.n_psu
    n_strata = design.n_strata
    factors = np.ones((n_psu, n_psu))
    rscales = np.zeros(n_psu)
    for p in range(n_psu):
        h = h_of[p]
        if n_h[h] > 1:
            in_h = h_of == h
            factors[in_h, p] = n_h[h] / (n_h[h] - 1)
            factors[p, p] = 0.0
            rscales[p] = design.fpc_factor[h] * (n_h[h] - 1) / n_h[h]
        elif design.lonely_psu == "adjust" and n_strata > 1:
            factors[:, p] = np.where(h_of == h, 0.0, n_strata / (n_strata - 1))
            rscales[p] = (n_strata - 1) / n_strata
    keep = rscales > 0
    return ReplicateWeights("JKn", factors[:, keep], design.psu, 1.0, rscales[keep])


def bootstrap_weights(design: Design, replicates: int, rng: np.random.Generator
                      ) -> ReplicateWeights:
    """Rao-Wu rescaled bootstrap (R type="subbootstrap"): in each stratum draw n_h - 1 PSUs
    with replacement; factor = times drawn * n_h / (n_h - 1). Strata with one PSU keep 1."""
    if replicates < 2:
        raise EstimationError("bootstrap needs at least 2 replicates")
    n_psu = design.psu_stratum.shape[0]
    factors = np.ones((n_psu, replicates))
    for h in range(design.n_strata):
        members = np.flatnonzero(design.psu_stratum == h)
        m = members.size
        if m < 2:
            continue
        draws = rng.integers(0, m, size=(replicates, m - 1))
        counts = np.zeros((m, replicates))
        for r in range(replicates):
            counts[:, r] = np.bincount(draws[r], minlength=m)
        factors[members] = counts * m / (m - 1)
    return ReplicateWeights("bootstrap", factors, design.psu, 1.0 / (replicates - 1),
                            np.ones(replicates))


def replicate_variance(replicates: Replicates, thetas: np.ndarray) -> np.ndarray:
    """scale * sum_r rscale_r (theta_r - mean theta)^2 for each estimate (R svrVar, about the
    mean of the replicates); thetas is estimates x replicates."""
    centre = thetas[:, replicates.rscales > 0].mean(axis=1, keepdims=True)
    return replicates.scale * ((thetas - centre) ** 2 @ replicates.rscales)
