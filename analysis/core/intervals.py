"""Confidence intervals: t for means and totals; logit, Wilson and Korn-Graubard (beta) for
proportions, as R's confint(df=degf) and svyciprop(). The methods' registry is
ci_methods.py. Quantiles come from scipy.special (stdtrit, betaincinv: what scipy.stats' t
and beta use), loaded on first use: scipy.stats itself takes longer to import than the
arithmetic of a whole estimate run."""

from __future__ import annotations

import numpy as np


def critical_value(df: np.ndarray, level: float) -> np.ndarray:
    """t quantile with the design degrees of freedom (NaN when df < 1)."""
    df = np.asarray(df, dtype=float)
    q = 1 - (1 - level) / 2
    with np.errstate(invalid="ignore"):
        return np.where(df >= 1, t_quantile(q, np.maximum(df, 1)), np.nan)


def t_quantile(q: float, df: np.ndarray) -> np.ndarray:
    """Student t quantile (scipy.stats.t.ppf), NaN where df <= 0."""
    from scipy import special

    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, special.stdtrit(np.where(df > 0, df, 1.0), q), np.nan)


def t_interval(est: np.ndarray, se: np.ndarray, df: np.ndarray, level: float = 0.95
               ) -> tuple[np.ndarray, np.ndarray]:
    half = critical_value(df, level) * se
    return est - half, est + half


def logit_interval(p: np.ndarray, se: np.ndarray, df: np.ndarray, level: float = 0.95
                   ) -> tuple[np.ndarray, np.ndarray]:
    """R svyciprop(method="logit"): Wald interval for logit(p), back-transformed."""
    from scipy import special

    with np.errstate(divide="ignore", invalid="ignore"):
        half = critical_value(df, level) * se / (p * (1 - p))
        centre = special.logit(p)
        low, high = special.expit(centre - half), special.expit(centre + half)
    return np.where(p <= 0, 0.0, low), np.where(p >= 1, 1.0, high)


def wilson_interval(p: np.ndarray, se: np.ndarray, df: np.ndarray, level: float = 0.95
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval with Kish's effective sample size n* = p(1-p)/var(p) and the t
    critical value with the design degrees of freedom in place of z."""
    z = critical_value(df, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / (se * se)
        z2n = z * z / n_eff
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n_eff + z2n / (4 * n_eff))
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def beta_interval(p: np.ndarray, se: np.ndarray, df: np.ndarray, n_rows: np.ndarray,
                  level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Korn-Graubard, exactly as R svyciprop(method="beta"): Clopper-Pearson with the
    effective sample size, adjusted by (t_{n-1} / t_df)^2."""
    from scipy import special

    alpha = 1 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        n_eff = p * (1 - p) / (se * se)
        ratio = t_quantile(alpha / 2, n_rows - 1) / t_quantile(alpha / 2, df)
        n_eff = n_eff * ratio * ratio
        low = special.betaincinv(n_eff * p, n_eff * (1 - p) + 1, alpha / 2)
        high = special.betaincinv(n_eff * p + 1, n_eff * (1 - p), 1 - alpha / 2)
    return np.where(p <= 0, 0.0, low), np.where(p >= 1, 1.0, high)
