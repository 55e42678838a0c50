"""The Fay-Herriot area-level model: fit, EBLUP, MSE and shrinkage, as R sae 1.3.

Fay, R. E. and Herriot, R. A. (1979), Estimates of income for small places: an application
of James-Stein procedures to census data, JASA 74, 269-277. The EBLUP of domain d is
gamma_d y_d + (1 - gamma_d) x_d' beta with gamma_d = A / (A + psi_d) and beta the GLS
estimate at the fitted A; coefficients' standard errors are sqrt(diag(Q)), z = beta / se and
p = 2 (1 - Phi(|z|)), and loglike = -1/2 sum(log(2 pi (A + psi)) + r^2 / (A + psi)) with
AIC, BIC and KIC on p + 1 parameters, as ``eblupFH`` gives them (Molina & Marhuenda 2015,
sae: an R package for small area estimation, The R Journal 7/1). The fit uses the domains with
a sample; the others get the synthetic estimate. Fitting: see ``fitting``; MSE: see ``mse``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy.linalg import lapack
from scipy.special import ndtr

from .design_matrix import DesignMatrix
from .errors import SmallAreaError
from .fitting import MAXITER, PRECISION, check_method, fit_model_variance, gls
from .mse import mse_sampled, mse_unsampled
from .result import Coefficient, FayHerriotResult, GoodnessOfFit

_LOG_2PI = math.log(2.0 * math.pi)


def fay_herriot(direct: Sequence[float] | np.ndarray, variance: Sequence[float] | np.ndarray,
                design: DesignMatrix, *, method: str = "reml",
                domains: Sequence[str] | None = None, maxiter: int = MAXITER,
                precision: float = PRECISION) -> FayHerriotResult:
    """Fit by ``method`` (reml, ml, fh) and return EBLUP, MSE and gamma for every domain.

    ``direct`` and ``variance`` are both NaN for a domain with no sample; a sampled domain
    needs a finite direct estimate and a variance > 0.
    """
    key = check_method(method)
    y_all = np.asarray(direct, dtype=float)
    psi_all = np.asarray(variance, dtype=float)
    x_all = np.asarray(design.values, dtype=float)
    n = x_all.shape[0]
    labels = tuple(map(str, domains)) if domains is not None else _numbered(n)
    if not (y_all.shape == psi_all.shape == (n,)) or len(labels) != n:
        raise SmallAreaError(f"direct ({y_all.size}), variance ({psi_all.size}), domains "
                             f"({len(labels)}) and design rows ({n}) must have one per domain")
    sampled = _check_direct(y_all, psi_all, labels)
    every = sampled is None
    if every:
        x, y, psi, sampled = x_all, y_all, psi_all, _all_sampled(n)
    else:
        x, y, psi = x_all[sampled], y_all[sampled], psi_all[sampled]
    m, p = x.shape
    if m <= p:
        raise SmallAreaError(f"{m} domains with a sample for {p + 1} parameters "
                             f"({p} coefficients and the model variance): fewer domains than "
                             "parameters")
    cholesky = _check_rank(x, design.names)
    if maxiter < 1 or not precision > 0:
        raise SmallAreaError("maxiter must be >= 1 and precision > 0")

    b0 = lapack.dpotrs(cholesky, x.T.dot(y))[0] if cholesky is not None else None
    fit = fit_model_variance(key, x, y, psi, maxiter=maxiter, precision=precision, b0=b0)
    a = fit.model_variance
    w = 1.0 / (a + psi)
    q, beta = gls(x, y, w)
    synthetic_all = x_all.dot(beta)
    gamma = a * w
    if every:
        resid = y - synthetic_all
        gamma_all, eblup_all = gamma, synthetic_all + gamma * resid
        mse_all = mse_sampled(key, a, x, psi, q, w)
    else:
        resid = y - synthetic_all[sampled]
        gamma_all = np.zeros(n)
        gamma_all[sampled] = gamma
        eblup_all = synthetic_all.copy()
        eblup_all[sampled] += gamma * resid
        mse_all = np.empty(n)
        mse_all[sampled] = mse_sampled(key, a, x, psi, q, w)
        mse_all[~sampled] = mse_unsampled(key, a, x, psi, q, x_all[~sampled])

    se = np.sqrt(q.diagonal())
    z = beta / se
    pvalue = 2.0 * ndtr(-np.abs(z))
    coefficients = tuple(map(Coefficient, design.names, beta.tolist(), se.tolist(), z.tolist(),
                             pvalue.tolist()))
    # log(2 pi (A + psi)) = log(2 pi) - log(w)
    loglike = -0.5 * (m * _LOG_2PI - float(np.add.reduce(np.log(w)))
                      + float((resid * w).dot(resid)))
    goodness = GoodnessOfFit(loglike=loglike, aic=-2.0 * loglike + 2.0 * (p + 1),
                             bic=-2.0 * loglike + (p + 1) * math.log(m),
                             kic=-2.0 * loglike + 3.0 * (p + 1))
    return FayHerriotResult(
        method=key, domains=labels, direct=y_all.copy(), variance=psi_all.copy(),
        sampled=sampled, synthetic=synthetic_all, eblup=eblup_all, mse=mse_all,
        gamma=gamma_all, coefficients=coefficients, model_variance=a, goodness=goodness,
        iterations=fit.iterations)


@lru_cache(maxsize=8)
def _numbered(n: int) -> tuple[str, ...]:
    """Domain labels 1..n, as sae numbers them."""
    return tuple(map(str, range(1, n + 1)))


@lru_cache(maxsize=8)
def _all_sampled(n: int) -> np.ndarray:
    mask = np.ones(n, dtype=bool)
    mask.setflags(write=False)
    return mask


def _check_direct(y: np.ndarray, psi: np.ndarray, labels: tuple[str, ...]) -> np.ndarray | None:
    """Mask of sampled domains (None: every domain); a half-given or non-positive pair is an
    error."""
    # A finite sum means no NaN or infinity (a sum that overflows takes the careful way).
    if math.isfinite(np.add.reduce(y) + np.add.reduce(psi)) and np.minimum.reduce(psi) > 0:
        return None
    y_missing, v_missing = np.isnan(y), np.isnan(psi)
    with np.errstate(invalid="ignore"):
        bad = (y_missing != v_missing) | np.isinf(y) | np.isinf(psi) | (psi <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        if y_missing[i] or not np.isfinite(y[i]):
            raise SmallAreaError(f"domain {labels[i]!r}: direct estimate {float(y[i])!r} is "
                                 "missing or not finite while its variance is given")
        if v_missing[i] or not np.isfinite(psi[i]):
            raise SmallAreaError(f"domain {labels[i]!r}: variance {float(psi[i])!r} is missing "
                                 "or not finite while its direct estimate is given")
        raise SmallAreaError(f"domain {labels[i]!r}: variance {float(psi[i])!r} must be > 0")
    return ~y_missing


def _check_rank(x: np.ndarray, names: tuple[str, ...]) -> np.ndarray | None:
    """Name the first column that is zero or a combination of earlier ones among sampled rows;
    return the Cholesky factor of X'X (None if it failed on a matrix of full rank)."""
    cross = x.T.dot(x)
    factor, info = lapack.dpotrf(cross)
    # A quick pass for full rank (every Cholesky pivot, the part of a column not explained by
    # the ones before it, clearly above zero); else the search below, by SVD rank, names it.
    if info == 0 and (factor.diagonal() ** 2 > 1e-10 * cross.diagonal()).all():
        return factor
    for j in range(x.shape[1]):
        if not np.any(x[:, j]):
            raise SmallAreaError(f"auxiliary column {names[j]!r} is zero in every domain with a "
                                 "sample, so its coefficient cannot be estimated")
        if np.linalg.matrix_rank(x[:, : j + 1]) <= j:
            raise SmallAreaError(f"auxiliary column {names[j]!r} is a linear combination of "
                                 f"the columns before it ({', '.join(names[:j])}) in the "
                                 "domains with a sample")
    return None
