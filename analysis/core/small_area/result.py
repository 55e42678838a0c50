"""The immutable result of a Fay-Herriot fit: as sae's ``eblupFH`` fit plus ``mseFH``'s MSE."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Coefficient:
    """One row of sae's ``fit$estcoef``: beta, std.error, tvalue (a z value), pvalue."""

    name: str
    estimate: float
    std_error: float
    z_value: float
    p_value: float


@dataclass(frozen=True)
class GoodnessOfFit:
    """sae's ``fit$goodness``: loglike, AIC, BIC and KIC, with p + 1 parameters."""

    loglike: float
    aic: float
    bic: float
    kic: float


@dataclass(frozen=True, eq=False)
class FayHerriotResult:
    """Per-domain arrays in input order; domains with no sample have NaN direct and variance,
    gamma 0 and the synthetic estimate as their EBLUP. Arrays are read-only."""

    method: str
    domains: tuple[str, ...]
    direct: np.ndarray
    variance: np.ndarray
    sampled: np.ndarray
    synthetic: np.ndarray
    eblup: np.ndarray
    mse: np.ndarray
    gamma: np.ndarray
    coefficients: tuple[Coefficient, ...]
    model_variance: float
    goodness: GoodnessOfFit
    iterations: int

    def __post_init__(self) -> None:
        for name in ("direct", "variance", "sampled", "synthetic", "eblup", "mse", "gamma"):
            getattr(self, name).setflags(write=False)

    @property
    def beta(self) -> np.ndarray:
        return np.array([c.estimate for c in self.coefficients])

    @property
    def rrmse(self) -> np.ndarray:
        """Relative root MSE, sqrt(mse) / |eblup|."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sqrt(self.mse) / np.abs(self.eblup)
