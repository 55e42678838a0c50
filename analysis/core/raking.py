"""Raking by iterative proportional fitting (vectorised: one bincount per margin per pass),
of weights alone (rake) or of a whole design with its replicates (rake_design)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .design import Calibration, Design, Replicates
from .errors import WeightingError
from .margins import MatchedMargin


@dataclass(frozen=True)
class RakeResult:
    weights: np.ndarray
    iterations: int
    max_relative_error: float
    calibration: Calibration


def rake(weights: np.ndarray, margins: list[MatchedMargin], epsilon: float = 1e-10,
         max_iter: int = 200) -> RakeResult:
    """Adjust weights so their totals match every margin; stops when the largest relative
    difference between weighted and population totals is below epsilon."""
    w = np.asarray(weights, dtype=float).copy()
    base = w.copy()
    for m in margins:
        _check_respondents(w, m)
    iterations, error = _ipf(w, margins, _targets(margins), epsilon, max_iter)
    calibration = raking_calibration(base, margins, iterations)
    return RakeResult(w, iterations, error, calibration)


def rake_design(design: Design, margins: list[MatchedMargin], epsilon: float = 1e-10,
                max_iter: int = 200) -> Design:
    """The design raked to the margins: its weights, the calibration model for
    calibration-aware (R calibrate()) variance, and every replicate raked to the same
    margins (as R's calibrate(calfun = "raking") on an svrep.design)."""
    raked = rake(design.weights, margins, epsilon, max_iter)
    replicates = None
    if design.replicates is not None:
        replicates = _rake_replicates(design.replicates, margins, epsilon, max_iter)
    return design.with_weights(raked.weights, raked.calibration, replicates)


def raking_calibration(base_weights: np.ndarray, margins: list[MatchedMargin],
                       iterations: int = 0) -> Calibration:
    """The model matrix of R's calibrate(~a + b + ...): intercept and treatment dummies."""
    n = base_weights.shape[0]
    blocks = [sparse.csr_matrix(np.ones((n, 1)))]
    for m in margins:
        k = len(m.margin.categories)
        rows = np.flatnonzero(m.codes > 0)
        blocks.append(sparse.csr_matrix(
            (np.ones(rows.size), (rows, m.codes[rows] - 1)), shape=(n, k - 1)))
    return Calibration(sparse.hstack(blocks, format="csr"), np.asarray(base_weights, float),
                       "raking", iterations)


def margin_population(margins: list[MatchedMargin]) -> np.ndarray:
    """Population totals in the order of raking_calibration's columns."""
    parts = [np.array([margins[0].margin.population])]
    parts += [m.margin.totals[1:] for m in margins]
    return np.concatenate(parts)


def _targets(margins: list[MatchedMargin]) -> list[np.ndarray]:
    # margins agree within their tolerance; make them agree exactly so IPF can converge
    population = margins[0].margin.population
    return [m.margin.totals * (population / m.margin.population) for m in margins]


def _ipf(w: np.ndarray, margins: list[MatchedMargin], targets: list[np.ndarray],
         epsilon: float, max_iter: int) -> tuple[int, float]:
    """Rake w in place (n, or n x R with one weight column per replicate)."""
    error = np.inf
    for iteration in range(1, max_iter + 1):
        for m, target in zip(margins, targets, strict=True):
            sums = _sums(m.codes, w, len(target))
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(sums > 0, target.reshape(-1, *[1] * (w.ndim - 1)) / sums, 0.0)
            w *= factor[m.codes]
        error = max(_relative_error(w, m, t) for m, t in zip(margins, targets, strict=True))
        if error < epsilon:
            return iteration, error
    raise WeightingError(f"raking did not converge in {max_iter} iterations "
                         f"(largest relative margin error {error:.3g}); check the margins")


def _rake_replicates(replicates: Replicates, margins: list[MatchedMargin], epsilon: float,
                     max_iter: int) -> Replicates:
    w = replicates.weights.copy()
    for m in margins:
        sums = _sums(m.codes, w, len(m.margin.categories))
        empty = (sums <= 0) & (m.margin.totals[:, None] > 0)
        if empty.any():
            category, replicate = (int(i[0]) for i in np.nonzero(empty))
            raise WeightingError(
                f"replicate {replicate + 1}: category {m.margin.categories[category]!r} of "
                f"variable {m.margin.variable!r} has no respondents with positive weight, so "
                "that replicate cannot be raked; use fewer categories or another replicate "
                "method")
    _ipf(w, margins, _targets(margins), epsilon, max_iter)
    return Replicates(replicates.method, w, replicates.scale, replicates.rscales)


def _sums(codes: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    if w.ndim == 1:
        return np.bincount(codes, weights=w, minlength=k)
    return np.stack([np.bincount(codes, weights=w[:, r], minlength=k)
                     for r in range(w.shape[1])], axis=1)


def _check_respondents(w: np.ndarray, m: MatchedMargin) -> None:
    sums = np.bincount(m.codes, weights=w, minlength=len(m.margin.categories))
    empty = np.flatnonzero((sums <= 0) & (m.margin.totals > 0))
    if empty.size:
        raise WeightingError(f"variable {m.margin.variable!r}: category "
                             f"{m.margin.categories[empty[0]]!r} has no respondents with "
                             "positive weight")


def _relative_error(w: np.ndarray, m: MatchedMargin, target: np.ndarray) -> float:
    sums = _sums(m.codes, w, len(target))
    scale = np.maximum(target, 1.0).reshape(-1, *[1] * (w.ndim - 1))
    return float(np.max(np.abs(sums - target.reshape(scale.shape)) / scale))
