"""MSE of the Fay-Herriot EBLUP as R sae 1.3 ``mseFH`` gives it, for each fitting method.

With B_d = psi_d / (A + psi_d), Q = (X' V^-1 X)^-1 and the fitted A:

- g1_d = psi_d (1 - B_d); g2_d = B_d^2 x_d' Q x_d; g3_d = B_d^2 Var(A) / (A + psi_d)
- REML (Prasad & Rao 1990; Datta & Lahiri 2000): Var(A) = 2 / sum(V^-2),
  mse_d = g1 + g2 + 2 g3
- ML (Datta & Lahiri 2000): the same Var(A), less the bias of ML's A times dg1/dA = B_d^2:
  b = -tr(Q X' V^-2 X) / sum(V^-2), mse_d = g1 + g2 + 2 g3 - b B_d^2
- FH moments (Datta, Rao & Smith 2005): Var(A) = 2 m / (sum V^-1)^2,
  b = 2 (m sum V^-2 - (sum V^-1)^2) / (sum V^-1)^3, mse_d = g1 + g2 + 2 g3 - b B_d^2

(sae's ``mseFH.R``; Rao & Molina 2015, section 6.2.1.) A zero model variance is used as is,
as sae does: then B_d = 1 and the MSE is g2 + 2 g3 (- b).

A domain with no sample gets the synthetic estimate x_d' beta. Its MSE is the limit of the
formula above as psi_d grows without bound (B_d -> 1, g1 -> A, g3 -> 0): A + x_d' Q x_d - b,
i.e. the model variance, the variance of the synthetic estimate and the same bias correction
(Rao & Molina 2015, section 6.2.3).
"""

from __future__ import annotations

import numpy as np

from .fitting import Method


def variance_bias(method: Method, w: np.ndarray, x: np.ndarray,
                  q: np.ndarray) -> tuple[float, float]:
    """(Var(A), bias b of A) for each method at w = 1 / (A + psi); b = 0 for REML."""
    sum_w2 = float(w.dot(w))
    if method == "fh":
        m = x.shape[0]
        sum_w = float(w.sum())
        return 2.0 * m / sum_w**2, 2.0 * (m * sum_w2 - sum_w**2) / sum_w**3
    var_a = 2.0 / sum_w2
    if method == "reml":
        return var_a, 0.0
    return var_a, -float(np.sum(q * ((x.T * (w * w)) @ x).T)) / sum_w2


def leverage(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """x_d' Q x_d for every row d."""
    return np.add.reduce(x.dot(q) * x, axis=1)


def mse_sampled(method: Method, a: float, x: np.ndarray, psi: np.ndarray,
                q: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """mseFH's MSE for the domains the model was fitted on (w = 1 / (A + psi) if known)."""
    if w is None:
        w = 1.0 / (a + psi)
    var_a, bias = variance_bias(method, w, x, q)
    b = psi * w
    # g1 = psi (1 - B_d) = A B_d, without the cancellation when psi >> A; then
    # g2 + 2 g3 - bias B_d^2 = B_d^2 (x_d' Q x_d + 2 Var(A) / (A + psi_d) - bias)
    inner = leverage(x, q) + (2.0 * var_a) * w
    if bias:
        inner -= bias
    return a * b + b * b * inner


def mse_unsampled(method: Method, a: float, x_fit: np.ndarray, psi: np.ndarray,
                  q: np.ndarray, x_new: np.ndarray) -> np.ndarray:
    """MSE of the synthetic estimate x' beta for domains with no sample."""
    _, bias = variance_bias(method, 1.0 / (a + psi), x_fit, q)
    return a + leverage(x_new, q) - bias
