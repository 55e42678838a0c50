"""Raking by iterative proportional fitting (vectorised: one bincount per margin per pass)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .design import Calibration
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
    # margins agree within their tolerance; make them agree exactly so IPF can converge
    population = margins[0].margin.population
    targets = [m.margin.totals * (population / m.margin.population) for m in margins]
    error = np.inf
    for iteration in range(1, max_iter + 1):
        for m, target in zip(margins, targets, strict=True):
            sums = np.bincount(m.codes, weights=w, minlength=len(target))
            w *= (target / sums)[m.codes]
        error = max(_relative_error(w, m, t) for m, t in zip(margins, targets, strict=True))
        if error < epsilon:
            return RakeResult(w, iteration, error, raking_calibration(base, margins))
    raise WeightingError(f"raking did not converge in {max_iter} iterations "
                         f"(largest relative margin error {error:.3g}); check the margins")


def raking_calibration(base_weights: np.ndarray, margins: list[MatchedMargin]) -> Calibration:
    """The model matrix of R's calibrate(~a + b + ...): intercept and treatment dummies."""
    n = base_weights.shape[0]
    blocks = [sparse.csr_matrix(np.ones((n, 1)))]
    for m in margins:
        k = len(m.margin.categories)
        rows = np.flatnonzero(m.codes > 0)
        blocks.append(sparse.csr_matrix(
            (np.ones(rows.size), (rows, m.codes[rows] - 1)), shape=(n, k - 1)))
    return Calibration(sparse.hstack(blocks, format="csr"), np.asarray(base_weights, float))


def margin_population(margins: list[MatchedMargin]) -> np.ndarray:
    """Population totals in the order of raking_calibration's columns."""
    parts = [np.array([margins[0].margin.population])]
    parts += [m.margin.totals[1:] for m in margins]
    return np.concatenate(parts)


def _check_respondents(w: np.ndarray, m: MatchedMargin) -> None:
    sums = np.bincount(m.codes, weights=w, minlength=len(m.margin.categories))
    empty = np.flatnonzero((sums <= 0) & (m.margin.totals > 0))
    if empty.size:
        raise WeightingError(f"variable {m.margin.variable!r}: category "
                             f"{m.margin.categories[empty[0]]!r} has no respondents with "
                             "positive weight")


def _relative_error(w: np.ndarray, m: MatchedMargin, target: np.ndarray) -> float:
    sums = np.bincount(m.codes, weights=w, minlength=len(target))
    return float(np.max(np.abs(sums - target) / np.maximum(target, 1.0)))
