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
then the synthetic estimate). With M_k = X' V^-k X, the traces come from p x p matrices,
tr(P) = tr(V^-1) - tr(Q M_2) and tr(P P) = tr(V^-2) - 2 tr(Q M_3) + tr(Q M_2 Q M_2), and
P y = V^-1 (y - X beta), rather than from sae's m x m P: the same numbers to rounding, and
630 domains stay fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.linalg import lapack

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
    q = _inverse(xtw.dot(x))
    return q, q.dot(xtw.dot(y))


class Scorer:
    """One Fisher-scoring step at a given A, from (p + 2) x (p + 2) products only.

    With z_d = (x_d, y0_d, 1), every quantity of a step is an entry of Z' V^-k Z (k = 1, 2, 3;
    the corner entry is sum(V^-k)), which one product of the powers of 1 / (A + psi) with the
    rows' outer products z_d z_d' gives. y0 = y - X b0 for the least-squares b0: P y0 = P y,
    since P X = 0, and with y0 of residual size the quadratic forms below lose no precision to
    cancellation. Written for few numpy calls a step: at 33 domains a call costs more than its
    arithmetic.
    """

    def __init__(self, method: Method, x: np.ndarray, y: np.ndarray, psi: np.ndarray,
                 b0: np.ndarray | None = None) -> None:
        m, p = x.shape
        self.method, self.psi, self.p, self.df = method, psi, p, m - p
        if b0 is None:
            _, b0, info = lapack.dposv(x.T.dot(x), x.T.dot(y))
            b0 = b0 if info == 0 else None
        z = np.empty((m, p + 2))
        z[:, :p] = x
        z[:, p] = y if b0 is None else y - x.dot(b0)
        z[:, p + 1] = 1.0
        self.outer = (z[:, :, None] * z[:, None, :]).reshape(m, (p + 2) ** 2)
        self.w = np.empty(({"fh": 1, "ml": 2, "reml": 3}[method], m))

    def step(self, a: float) -> float:
        """The increment s / F at A = a."""
        p, w = self.p, self.w
        np.reciprocal(np.add(self.psi, a, out=w[0]), out=w[0])
        if len(w) > 1:
            np.multiply(w[0], w[0], out=w[1])
            if len(w) > 2:
                np.multiply(w[1], w[0], out=w[2])
        products = w.dot(self.outer).reshape(-1, p + 2, p + 2)
        q = _inverse(products[0, :p, :p])
        u = products[:, :p, p]  # X' V^-k y0
        b = q.dot(u[0])
        # per k: [[y0' V^-k y0, y0' V^-k 1], [1' V^-k y0, sum(V^-k)]]
        ends = products[:, p:, p:].tolist()
        if self.method == "fh":
            # r' V^-1 r for r = y - X beta
            return (ends[0][0][0] - float(b.dot(u[0])) - self.df) / ends[0][1][1]
        m2 = products[1, :p, :p]
        # y'P P y = r' V^-2 r
        ypppy = ends[1][0][0] - 2.0 * float(b.dot(u[1])) + float(b.dot(m2.dot(b)))
        if self.method == "ml":
            return (ypppy - ends[0][1][1]) / ends[1][1][1]
        # Q and the X' V^-k X are symmetric, so tr(Q M) is the dot product of their elements.
        trace_qm2, trace_qm3 = products[1:, :p, :p].reshape(2, p * p).dot(q.ravel()).tolist()
        q_m2 = q.dot(m2)
        trace_pp = ends[1][1][1] - 2.0 * trace_qm3 + float(np.vdot(q_m2, q_m2.T))
        return (ypppy - (ends[0][1][1] - trace_qm2)) / trace_pp


def _inverse(matrix: np.ndarray) -> np.ndarray:
    """The inverse by LU, as R's solve(); LAPACK directly, as numpy's wrapper costs more than
    the 4 x 4 inversion itself."""
    lu, pivots, info = lapack.dgetrf(matrix)
    if info == 0:
        inverse, info = lapack.dgetri(lu, pivots)
    if info != 0:
        raise SmallAreaConvergenceError(
            "X' V^-1 X is singular during the iteration; the model cannot be fitted")
    return inverse


def median(values: np.ndarray) -> float:
    """R's median (the mean of the two middle values for an even count)."""
    ordered = np.sort(values)
    half = ordered.size // 2
    if ordered.size % 2:
        return float(ordered[half])
    return float((ordered[half - 1] + ordered[half]) / 2.0)


def fit_model_variance(method: Method, x: np.ndarray, y: np.ndarray, psi: np.ndarray, *,
                       maxiter: int = MAXITER, precision: float = PRECISION,
                       b0: np.ndarray | None = None) -> VarianceFit:
    """Scoring from median(psi) with sae's stopping and convergence rules; ``b0``, the least-
    squares coefficients of y on X, if the caller has them."""
    a = median(psi)
    scorer = Scorer(method, x, y, psi, b0)
    k = 0
    diff = precision + 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        while diff > precision and k < maxiter:
            k += 1
            new = a + float(scorer.step(a))
            change = new - a
            diff = abs(change / a) if a != 0 else (math.inf if change != 0 else math.nan)
            a = new
            if not math.isfinite(a) or math.isnan(diff):
                raise SmallAreaConvergenceError(
                    f"{method.upper()} scoring for the model variance gave a non-finite value "
                    f"at iteration {k}; the model cannot be fitted")
    if k >= maxiter and diff >= precision:
        raise SmallAreaConvergenceError(
            f"{method.upper()} scoring for the model variance did not converge in {maxiter} "
            f"iterations (last relative change {diff:.3g}, precision {precision:g})")
    return VarianceFit(model_variance=max(a, 0.0), last_iterate=a, iterations=k)
