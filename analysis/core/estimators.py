"""Estimates for domains on the whole design (never dropping rows): one function for every
statistic of the registry (statistics.py); it builds the weighted scores and calls the one
variance function, or uses the design's replicate weights when it has them."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .design import Design
from .domains import Domains, whole_population
from .errors import EstimationError
from .estimates import Estimates
from .grouping import count_distinct_pairs
from .replicates import replicate_variance
from .statistics import Statistic, statistic
from .variance import design_variance


def estimate(design: Design, name: str, y: object, domains: Domains | None = None,
             variable: str = "", denominator: object | None = None) -> Estimates:
    """The statistic `name` of y for each domain (R svymean, svytotal, svyratio,
    svyciprop's estimate, and svyby of them), na.rm = TRUE: a row missing y (or the
    denominator) is left out as a domain leaves it out."""
    stat = statistic(name)
    values = _values(y, design, variable)
    den = None
    if stat.needs_denominator:
        if denominator is None:
            raise EstimationError(f"{variable or name}: a {name} needs a denominator")
        den = _values(denominator, design, variable)
    if stat.binary:
        bad = np.flatnonzero(~np.isnan(values) & (values != 0) & (values != 1))
        if bad.size:
            raise EstimationError(
                f"{variable or name}: value {values[bad[0]]:g} at row {int(bad[0]) + 1} "
                "is not 0 or 1"
            )
    return _estimate(design, stat, values, den, domains, variable)


def survey_mean(design: Design, y: object, domains: Domains | None = None,
                variable: str = "") -> Estimates:
    """R svymean / svyby(svymean), na.rm=TRUE: missing y leaves that row out (as a domain)."""
    return estimate(design, "mean", y, domains, variable)


def survey_total(design: Design, y: object, domains: Domains | None = None,
                 variable: str = "") -> Estimates:
    """R svytotal / svyby(svytotal), na.rm=TRUE."""
    return estimate(design, "total", y, domains, variable)


def survey_proportion(design: Design, y: object, domains: Domains | None = None,
                      variable: str = "") -> Estimates:
    """Share of 1s of a 0/1 variable (R svyciprop's estimate and SE)."""
    return estimate(design, "proportion", y, domains, variable)


def survey_ratio(design: Design, numerator: object, denominator: object,
                 domains: Domains | None = None, variable: str = "") -> Estimates:
    """R svyratio: ratio of two totals; rows missing either value are left out."""
    return estimate(design, "ratio", numerator, domains, variable, denominator)


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


def _estimate(design: Design, stat: Statistic, y: np.ndarray, den: np.ndarray | None,
              domains: Domains | None, variable: str) -> Estimates:
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
    est, u = stat.point_and_linearised(w, yv, dv, d, k)
    if design.replicates is None:
        variance = design_variance(design, _domain_scores(design.n, rows, d, w * u, k))
    else:
        thetas = stat.point_many(design.replicates.weights[rows], yv, dv, d, k)
        variance = replicate_variance(design.replicates, np.asarray(thetas).reshape(k, -1))
    df, n_rows = _domain_degf(design, domains)
    n = np.bincount(d, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = variance / _srs_variance(stat, w, yv, u, d, k)
    return Estimates(stat.name, variable, domains.by, domains.labels, est, variance, n,
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


def _srs_variance(stat: Statistic, w: np.ndarray, y: np.ndarray, u: np.ndarray,
                  d: np.ndarray, k: int) -> np.ndarray:
    """R's deff=TRUE denominator: SRS without replacement of the same size from a population
    of size sum(w), using the weighted population variance estimate (svyvar)."""
    v = u if stat.deff_of_linearised else y
    positive = w > 0
    m = np.bincount(d[positive], minlength=k).astype(float)
    total_w = np.bincount(d, weights=w, minlength=k)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.bincount(d, weights=w * v, minlength=k) / total_w
        dev = v - centre[d]
        svyvar = np.bincount(d, weights=w * dev * dev, minlength=k) / total_w * m / (m - 1)
        fraction = (total_w - m) / (total_w * m)
        if stat.deff_of_total:
            return svyvar * total_w * total_w * fraction
        return svyvar * fraction
