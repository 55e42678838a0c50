"""Means, proportions, totals and ratios for domains, on the whole design (never dropping
rows): each builds its weighted scores and calls the one variance function."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .design import Design
from .domains import Domains, whole_population
from .errors import EstimationError
from .estimates import Estimates
from .grouping import count_distinct_pairs, indicator
from .replicates import ReplicateWeights, replicate_variance
from .variance import design_variance


def survey_mean(design: Design, y: object, domains: Domains | None = None,
                variable: str = "", replicates: ReplicateWeights | None = None) -> Estimates:
    """R svymean / svyby(svymean), na.rm=TRUE: missing y leaves that row out (as a domain)."""
    return _estimate(design, "mean", _values(y, design, variable), None, domains, variable,
                     replicates)


def survey_total(design: Design, y: object, domains: Domains | None = None,
                 variable: str = "", replicates: ReplicateWeights | None = None) -> Estimates:
    """R svytotal / svyby(svytotal), na.rm=TRUE."""
    return _estimate(design, "total", _values(y, design, variable), None, domains, variable,
                     replicates)


def survey_proportion(design: Design, y: object, domains: Domains | None = None,
                      variable: str = "", replicates: ReplicateWeights | None = None
                      ) -> Estimates:
    """Share of 1s of a 0/1 variable (R svyciprop's estimate and SE)."""
    values = _values(y, design, variable)
    bad = np.flatnonzero(~np.isnan(values) & (values != 0) & (values != 1))
    if bad.size:
        raise EstimationError(
            f"{variable or 'proportion'}: value {values[bad[0]]:g} at row {int(bad[0]) + 1} "
            "is not 0 or 1"
        )
    return _estimate(design, "proportion", values, None, domains, variable, replicates)


def survey_ratio(design: Design, numerator: object, denominator: object,
                 domains: Domains | None = None, variable: str = "",
                 replicates: ReplicateWeights | None = None) -> Estimates:
    """R svyratio: ratio of two totals; rows missing either value are left out."""
    num = _values(numerator, design, variable)
    den = _values(denominator, design, variable)
    return _estimate(design, "ratio", num, den, domains, variable, replicates)


def _values(y: object, design: Design, variable: str) -> np.ndarray:
    try:
        values = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as exc:
        raise EstimationError(f"{variable or 'variable'}: values must be numbers ({exc})")
    if values.shape != (design.n,):
        raise EstimationError(
            f"{variable or 'variable'}: {values.size} values for a design of {design.n} rows"
        )
    return values


def _estimate(design: Design, statistic: str, y: np.ndarray, den: np.ndarray | None,
              domains: Domains | None, variable: str,
              replicates: ReplicateWeights | None) -> Estimates:
    domains = domains or whole_population(design.n)
    valid = (domains.codes >= 0) & ~np.isnan(y)
    if den is not None:
        valid &= ~np.isnan(den)
    rows = np.flatnonzero(valid)
    d = domains.codes[rows]
    k = domains.size
    w = design.weights[rows]
    yv = y[rows]
    dv = den[rows] if den is not None else None
    est, u = _point_and_linearised(statistic, w, yv, dv, d, k)
    scores = _domain_scores(design.n, rows, d, w * u, k)
    if replicates is None:
        variance = design_variance(design, scores)
    else:
        variance = replicate_variance(
            replicates, est,
            lambda wr: _point_many(statistic, wr[rows], yv, dv, d, k),
            design.weights,
        )
    df, n_rows = _domain_degf(design, domains)
    n = np.bincount(d, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = variance / _srs_variance(statistic, w, yv, u, d, k)
    return Estimates(statistic, variable, domains.by, domains.labels, est, variance, n,
                     df, deff, n_rows)


def _domain_scores(n: int, rows: np.ndarray, d: np.ndarray, values: np.ndarray, k: int
                   ) -> sparse.csr_matrix:
    """n x k scores with one entry per row used (its domain's column): never dense here."""
    counts = np.zeros(n + 1, dtype=np.int64)
    counts[rows + 1] = 1
    return sparse.csr_matrix((values, d, np.cumsum(counts)), shape=(n, k))


def _domain_degf(design: Design, domains: Domains) -> tuple[np.ndarray, np.ndarray]:
    """R's degf() and nrow() of subset(design, domain): PSUs minus strata among the domain's
    rows with positive weight (a missing y does not change them, as in R). A calibrated
    design keeps all its rows when subset, so nrow is the whole sample."""
    k = domains.size
    member = np.flatnonzero((domains.codes >= 0) & (design.weights > 0))
    d = domains.codes[member]
    if design.psu_is_row:
        n_psu = np.bincount(d, minlength=k)
    else:
        n_psu = count_distinct_pairs(design.psu[member], d, k)
    n_strata = count_distinct_pairs(design.stratum[member], d, k)
    in_domain = np.bincount(domains.codes[domains.codes >= 0], minlength=k)
    n_rows = np.full(k, design.n) if design.calibration is not None else in_domain
    return n_psu - n_strata, n_rows


def _point_and_linearised(statistic: str, w: np.ndarray, y: np.ndarray,
                          den: np.ndarray | None, d: np.ndarray, k: int
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Point estimates per domain and each row's linearised value u (score = w * u)."""
    total_y = np.bincount(d, weights=w * y, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        if statistic == "total":
            return total_y, y
        if statistic == "ratio":
            total_x = np.bincount(d, weights=w * den, minlength=k)
            ratio = total_y / total_x
            return ratio, (y - ratio[d] * den) / total_x[d]
        total_w = np.bincount(d, weights=w, minlength=k)
        mean = total_y / total_w
        return mean, (y - mean[d]) / total_w[d]


def _point_many(statistic: str, weights: np.ndarray, y: np.ndarray, den: np.ndarray | None,
                d: np.ndarray, k: int) -> np.ndarray:
    """Point estimates for many weight columns at once (replicates): k x r."""
    ind = indicator(d, k)
    total_y = ind @ (weights * y[:, None])
    if statistic == "total":
        return total_y
    other = ind @ (weights * den[:, None]) if statistic == "ratio" else ind @ weights
    with np.errstate(divide="ignore", invalid="ignore"):
        return total_y / other


def _srs_variance(statistic: str, w: np.ndarray, y: np.ndarray, u: np.ndarray,
                  d: np.ndarray, k: int) -> np.ndarray:
    """R's deff=TRUE denominator: SRS without replacement of the same size from a population
    of size sum(w), using the weighted population variance estimate (svyvar)."""
    v = y if statistic in ("mean", "proportion", "total") else u
    positive = w > 0
    m = np.bincount(d[positive], minlength=k).astype(float)
    total_w = np.bincount(d, weights=w, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.bincount(d, weights=w * v, minlength=k) / total_w
        dev = v - centre[d]
        svyvar = np.bincount(d, weights=w * dev * dev, minlength=k) / total_w * m / (m - 1)
        fraction = (total_w - m) / (total_w * m)
        if statistic in ("mean", "proportion"):
            return svyvar * fraction
        return svyvar * total_w * total_w * fraction
