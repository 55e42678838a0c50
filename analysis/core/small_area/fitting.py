"""Fisher scoring for the Fay-Herriot model variance A, step for step as R sae 1.3 ``eblupFH``.

Model (Fay & Herriot 1979): y_d = x_d' beta + u_d + e_d, u_d ~ N(0, A), e_d ~ N(0, psi_d)
with psi_d the known design variance of the direct estimate y_d. With V = diag(A + psi),
Q = (X' V^-1 X)^-1 and P = V^-1 - V^-1 X Q X' V^-1, one scoring step is A <- A + s / F where

- ML:   s = -tr(V^-1)/2 + y'P P y/2,         F = tr(V^-2)/2
- REML: s = -tr(P)/2 + y'P P y/2,            F = tr(P P)/2
- FH:   s = sum((y - X beta)^2 / (A + psi)) - (m - p),   F = tr(V^-1)

(Rao & Molina 2015, Small Area Estimation, 2nd ed., sections 6.1.2 and 6.1.3; sae's
``eblupFH.R``). As in sae: the start is median(psi); the step may leave A negative during the
iteration; it stops when |A_{k+1} - A_k| / |A_k| <= PRECISION or after MAXITER steps, and has
not converged when both MAXITER steps were taken and the last change was >= PRECISION; the
estimate is then max(A, 0), so a negative solution gives a zero model variance (the EBLUP is
then the synthetic estimate). The traces are computed from p x p matrices rather than sae's
m x m P, which gives the same numbers to rounding and keeps 630 domains fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .errors import SmallAreaConvergenceError, SmallAreaError

Method = Literal["reml", "ml", "fh"]
METHODS: tuple[Method, ...] = ("reml", "ml", "fh")
MAXITER = 100
PRECISION = 1e-4


@dataclass(frozen=True)
class VarianceFit:
    """The model variance after scoring: max(A, 0), the raw last iterate and the step count."""

    model_variance: float
    last_iterate: float
    iterations: int


def check_method(method: str) -> Method:
    key = method.lower()
    if key not in METHODS:
        raise SmallAreaError(f"method {method!r} must be one of reml, ml, fh")
    return key  # type: ignore[return-value]


def gls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q = (X' W X)^-1 and beta = Q X' W y for diagonal weights w = 1 / (A + psi)."""
    xtw = x.T * w
    try:
        q = np.linalg.inv(xtw @ x)
    except np.linalg.LinAlgError:
        raise SmallAreaConvergenceError(
            "X' V^-1 X is singular during the iteration; the model cannot be fitted")
    return q, q @ (xtw @ y)


def score_step(method: Method, a: float, x: np.ndarray, y: np.ndarray,
               psi: np.ndarray) -> float:
    """The Fisher-scoring increment s / F at A = a."""
    m, p = x.shape
    w = 1.0 / (a + psi)
    q, beta = gls(x, y, w)
    resid = y - x @ beta
    if method == "fh":
        return (float(np.sum(resid * resid * w)) - (m - p)) / float(np.sum(w))
    py = w * resid
    ypppy = float(py @ py)
    w2 = w * w
    if method == "ml":
        return (-0.5 * float(np.sum(w)) + 0.5 * ypppy) / (0.5 * float(np.sum(w2)))
    q_m2 = q @ ((x.T * w2) @ x)
    q_m3 = q @ ((x.T * (w2 * w)) @ x)
    trace_p = float(np.sum(w)) - float(np.trace(q_m2))
    trace_pp = float(np.sum(w2)) - 2.0 * float(np.trace(q_m3)) + float(np.sum(q_m2 * q_m2.T))
    return (-0.5 * trace_p + 0.5 * ypppy) / (0.5 * trace_pp)


def fit_model_variance(method: Method, x: np.ndarray, y: np.ndarray, psi: np.ndarray, *,
                       maxiter: int = MAXITER, precision: float = PRECISION) -> VarianceFit:
    """Scoring from median(psi) with sae's stopping and convergence rules."""
    a = float(np.median(psi))
    k = 0
    diff = precision + 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while diff > precision and k < maxiter:
            k += 1
            new = a + score_step(method, a, x, y, psi)
            change = new - a
            diff = abs(change / a) if a != 0 else (np.inf if change != 0 else np.nan)
            a = new
            if not np.isfinite(a) or np.isnan(diff):
                raise SmallAreaConvergenceError(
                    f"{method.upper()} scoring for the model variance gave a non-finite value "
                    f"at iteration {k}; the model cannot be fitted")
    if k >= maxiter and diff >= precision:
        raise SmallAreaConvergenceError(
            f"{method.upper()} scoring for the model variance did not converge in {maxiter} "
            f"iterations (last relative change {diff:.3g}, precision {precision:g})")
    return VarianceFit(model_variance=max(a, 0.0), last_iterate=a, iterations=k)
