"""Calibration to population totals with R's distance functions (calibrate()/grake()):
linear (optionally bounded), raking (exponential) and logit (bounded)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .design import Calibration, Design, Replicates
from .errors import WeightingError

CALFUNS = ("linear", "raking", "logit")
_RESCALE_THRESHOLD = 20.0


@dataclass(frozen=True)
class CalibrationResult:
    weights: np.ndarray
    g: np.ndarray
    iterations: int
    calibration: Calibration


def calibrate(weights: np.ndarray, model_matrix: object, population: np.ndarray,
              calfun: str = "linear", bounds: tuple[float, float] = (-np.inf, np.inf),
              epsilon: float = 1e-7, max_iter: int = 50) -> CalibrationResult:
    """Weights w * g with sum(w g x) = population; g from the calfun (R calibrate)."""
    if calfun not in CALFUNS:
        raise WeightingError(f"calfun must be one of {CALFUNS}, not {calfun!r}")
    w = np.asarray(weights, dtype=float)
    mm = sparse.csr_matrix(model_matrix)
    pop = np.asarray(population, dtype=float)
    if mm.shape != (w.shape[0], pop.shape[0]):
        raise WeightingError(f"model matrix is {mm.shape[0]} x {mm.shape[1]} but there are "
                             f"{w.shape[0]} weights and {pop.shape[0]} population totals")
    sample = np.asarray(mm.T @ w).ravel()
    empty = np.flatnonzero((sample == 0) & (pop != 0))
    if empty.size:
        raise WeightingError(f"calibration column {int(empty[0]) + 1} has no respondents "
                             f"but a population total of {pop[empty[0]]:g}")
    lower, upper = bounds
    if calfun == "logit" and not (np.isfinite(lower) and np.isfinite(upper)):
        raise WeightingError("logit calibration requires finite bounds")
    if calfun == "logit" and not lower < 1 < upper:
        raise WeightingError(f"logit bounds must satisfy lower < 1 < upper, not {bounds}")
    if calfun == "linear" and not (np.isfinite(lower) or np.isfinite(upper)):
        g, iterations = _linear_g(mm, w, pop, sample), 1
    else:
        g, iterations = _grake(mm, w, pop, calfun, lower, upper, epsilon, max_iter)
    return CalibrationResult(w * g, g, iterations, Calibration(mm, w, calfun, iterations))


def calibrate_design(design: Design, model_matrix: object, population: np.ndarray,
                     calfun: str = "linear", bounds: tuple[float, float] = (-np.inf, np.inf),
                     epsilon: float = 1e-7, max_iter: int = 50) -> Design:
    """The design calibrated (R calibrate()): its weights, the calibration model for
    calibration-aware variance, and every replicate calibrated to the same totals from its
    own weights, as R's calibrate() on an svrep.design. A replicate that cannot be
    calibrated is an error naming it (R only warns and keeps the unconverged weights)."""
    result = calibrate(design.weights, model_matrix, population, calfun, bounds, epsilon,
                       max_iter)
    replicates = None
    if design.replicates is not None:
        columns = []
        for r in range(design.replicates.count):
            try:
                columns.append(calibrate(design.replicates.weights[:, r], model_matrix,
                                         population, calfun, bounds, epsilon,
                                         max_iter).weights)
            except WeightingError as error:
                raise WeightingError(f"replicate {r + 1}: {error}") from error
        reps = design.replicates
        replicates = Replicates(reps.method, np.column_stack(columns), reps.scale, reps.rscales)
    return design.with_weights(result.weights, result.calibration, replicates)


def _linear_g(mm: sparse.csr_matrix, w: np.ndarray, pop: np.ndarray, sample: np.ndarray
              ) -> np.ndarray:
    gram = (mm.T @ mm.multiply(w[:, None])).toarray()
    return 1.0 + np.asarray(mm @ solve_gram(gram, pop - sample)).ravel()


def _grake(mm: sparse.csr_matrix, w: np.ndarray, pop: np.ndarray, calfun: str, lower: float,
           upper: float, epsilon: float, max_iter: int) -> tuple[np.ndarray, int]:
    """Newton iterations of R's grake(), including its rescaling of small weights."""
    sample = np.asarray(mm.T @ w).ravel()
    with np.errstate(divide="ignore"):
        scales = np.where(sample != 0, pop / sample, np.inf)
    scale = 1.0
    if np.min(scales) > _RESCALE_THRESHOLD:
        scale = float(np.mean(scales))
        w = w * scale
        sample = sample * scale
    eta = np.zeros(mm.shape[1])
    xeta = np.zeros(mm.shape[0])
    iteration = 1
    previous = float(np.max(np.abs(pop - sample) / (1 + np.abs(pop))))
    while True:
        deriv = _dF(calfun, xeta, lower, upper)
        tmat = (mm.T @ mm.multiply((w * deriv)[:, None])).toarray()
        misfit = pop - sample - np.asarray(mm.T @ (w * _fm1(calfun, xeta, lower, upper))).ravel()
        deta = np.linalg.pinv(tmat, rcond=256 * np.finfo(float).eps, hermitian=True) @ misfit
        eta = eta + deta
        xeta = np.asarray(mm @ eta).ravel()
        g = 1 + _fm1(calfun, xeta, lower, upper)
        while iteration < max_iter and not np.all(np.isfinite(g)):
            iteration += 1
            deta = deta / 2
            eta = eta - deta
            xeta = np.asarray(mm @ eta).ravel()
            g = 1 + _fm1(calfun, xeta, lower, upper)
        achieved = _misfit(mm, w, g, pop, sample)
        # A Newton step that overshoots (the misfit grows) is halved until it does not, so
        # that raking converges where IPF does (R's grake can diverge there); a step that
        # converges is R's own.
        halvings = 0
        while achieved > previous and halvings < 60:
            halvings += 1
            deta = deta / 2
            eta = eta - deta
            xeta = np.asarray(mm @ eta).ravel()
            g = 1 + _fm1(calfun, xeta, lower, upper)
            achieved = _misfit(mm, w, g, pop, sample)
        previous = achieved
        if achieved < epsilon:
            return g * scale, iteration
        iteration += 1
        if iteration > max_iter:
            raise WeightingError(f"calibration ({calfun}) did not converge in {max_iter} "
                                 f"iterations (largest relative misfit {achieved:.3g}); the "
                                 "bounds may be too tight or the totals inconsistent")


def _misfit(mm: sparse.csr_matrix, w: np.ndarray, g: np.ndarray, pop: np.ndarray,
            sample: np.ndarray) -> float:
    with np.errstate(invalid="ignore"):
        misfit = pop - sample - np.asarray(mm.T @ (w * (g - 1))).ravel()
        achieved = float(np.max(np.abs(misfit) / (1 + np.abs(pop))))
    return achieved if np.isfinite(achieved) else np.inf


def _fm1(calfun: str, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    if calfun == "linear":
        return np.clip(u + 1, lower, upper) - 1
    if calfun == "raking":
        with np.errstate(over="ignore"):
            return np.clip(np.exp(u), lower, upper) - 1
    a = (upper - lower) / ((upper - 1) * (1 - lower))
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(a * u)
        return (lower * (upper - 1) + upper * (1 - lower) * e) / (upper - 1 + (1 - lower) * e) - 1


def _dF(calfun: str, u: np.ndarray, lower: float, upper: float) -> np.ndarray:
    inside = (u < upper - 1) & (u > lower - 1)
    if calfun == "linear":
        return inside.astype(float)
    if calfun == "raking":
        with np.errstate(over="ignore"):
            return np.where(inside, np.exp(u), 0.0)
    a = (upper - lower) / ((upper - 1) * (1 - lower))
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(a * u)
        den = upper - 1 + (1 - lower) * e
        num = lower * (upper - 1) + upper * (1 - lower) * e
        return upper * (1 - lower) * e * a / den - num * ((1 - lower) * e * a) / den**2


def solve_gram(gram: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """gram^-1 rhs for a cross-product matrix, least squares when it is singular (numpy's
    LAPACK: scipy.linalg is not needed at start-up)."""
    try:
        return np.linalg.solve(gram, rhs)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(gram, rhs, rcond=None)[0]
