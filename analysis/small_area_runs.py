"""Borough estimates worth publishing: the services of small-area estimation.

``borough_table_upload`` stores an uploaded borough table (auxiliaries beside the frame's).
``small_area_estimates`` takes an accepted weighting run's design and, for each published
proportion measure: direct borough estimates and design variances (domains on the whole
design, the existing estimator), optionally GVF-smoothed variances, the Fay-Herriot fit on
the frame's borough auxiliaries (and an uploaded table's columns if chosen), optional ratio
benchmarking to the direct London estimate (boroughs weighted by their business counts), and
the publication rule; all stored as a ``SmallAreaRun`` with one ``SmallAreaEstimate`` per
borough x measure. With earlier waves' accepted runs in ``pool``, the direct estimates are
those of the stacked waves (analysis.core.pooling: weights / k, panel overlap treated as
stated there), labelled 'pooled', and the model is fitted on them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from analysis import core, services
from analysis.borough_table import BoroughTableError, read_borough_csv
from analysis.core.pooling import OVERLAP_TREATMENTS, WaveSample, pool_waves
from analysis.core.small_area import (
    METHODS,
    PublicationRule,
    SmallAreaError,
    fay_herriot,
    model_matrix,
    publication_rule,
    ratio_benchmark,
    smooth_proportion_variance,
)
from analysis.core.small_area.publication_rule import POOLED
from analysis.models import (
    BoroughTable,
    EstimateSet,
    SmallAreaEstimate,
    SmallAreaRun,
    WeightingRun,
)
from sampling.data.boroughs import BOROUGHS
from sampling.selectors import borough_auxiliaries
from survey.models import Case

DEFAULT_AUXILIARIES = ("log_businesses", "share_size_0_9")


class SmallAreaOptionsError(SmallAreaError):
    """Options or an upload that cannot be used; ``fields['problems']`` lists each problem
    with the field it concerns."""

    default_code = "small_area_options"

    def __init__(self, problems: list[dict]) -> None:
        super().__init__("; ".join(p["message"] for p in problems),
                         fields={"problems": problems})


def borough_table_upload(*, content: bytes, name: str, source: str,
                         as_of: dt.date | str | None, user=None) -> BoroughTable:
    """Store an uploaded borough table with its source and date; every problem at once."""
    problems: list[dict] = []
    source = (source or "").strip()
    if not source:
        problems.append({"field": "source", "message": "Say where the figures come from "
                         "(e.g. 'Metropolitan Police recorded crime, 2025'), so the notes "
                         "can cite it."})
    elif len(source) > 300:
        problems.append({"field": "source", "message": "The source is longer than 300 "
                         "characters."})
    date = _date(as_of, problems)
    values = None
    label = (name or "borough table").strip() or "borough table"
    try:
        values = read_borough_csv(content, label)
    except BoroughTableError as error:
        problems += [{"field": "file", **p} for p in error.fields["problems"]]
    if problems:
        raise SmallAreaOptionsError(problems)
    return BoroughTable.objects.create(name=label[:200], source=source, as_of=date,
                                       columns=list(values), values=values, created_by=user)


def _date(value: dt.date | str | None, problems: list[dict]) -> dt.date | None:
    if isinstance(value, dt.date):
        date = value
    else:
        raw = (value or "").strip()
        if not raw:
            problems.append({"field": "as_of", "message": "Give the date the figures "
                             "describe (e.g. 2025-03-31)."})
            return None
        try:
            date = dt.date.fromisoformat(raw)
        except ValueError:
            problems.append({"field": "as_of", "message": f"'{raw}' is not a date: write it "
                             "as year-month-day, e.g. 2025-03-31."})
            return None
    if date > timezone.localdate():
        problems.append({"field": "as_of", "message": f"The figures' date {date:%d %B %Y} is "
                         "in the future; give the date they describe."})
        return None
    return date


def small_area_auxiliary_choices(run: WeightingRun) -> list[str]:
    """The frame's auxiliary columns the analyst can choose from for this run's wave."""
    return list(borough_auxiliaries(run.wave.sample.design.frame).columns)


def small_area_estimates(*, run: WeightingRun | None = None,
                         estimate_set: EstimateSet | None = None,
                         measures: Sequence[str] | None = None, method: str = "reml",
                         smooth: bool = True, benchmark: bool = True,
                         auxiliaries: Sequence[str] = DEFAULT_AUXILIARIES,
                         borough_table: BoroughTable | None = None,
                         table_columns: Sequence[str] = (),
                         rule: PublicationRule | Mapping | None = None,
                         pool: Sequence[WeightingRun] = (), overlap: str = "independent",
                         user=None) -> SmallAreaRun:
    """Borough estimates of each measure from the accepted run (or the estimate set's run):
    see the module's docstring. A measure whose model cannot be fitted keeps its direct
    estimates (published or suppressed by the rule) and its fit records the error.

    ``pool``: accepted runs of earlier waves to pool with this one (rolling quarters;
    analysis.core.pooling, ``overlap`` 'independent' or 'cluster'): the direct estimates are
    then the pooled ones, labelled 'pooled', and the model is fitted on them."""
    if estimate_set is not None:
        if run is not None and run.pk != estimate_set.run_id:
            raise SmallAreaError(f"estimate set {estimate_set.pk} is from weighting run "
                                 f"{estimate_set.run_id}, not {run.pk}")
        run = estimate_set.run
        if measures is None:
            measures = estimate_set.spec.get("proportions")
    if run is None:
        raise SmallAreaError("give the weighting run (or an estimate set) to estimate from")
    _check_run(run)
    rule = rule if isinstance(rule, PublicationRule) else PublicationRule.from_dict(rule)
    pool = list(pool)
    if pool:
        rule = replace(rule, direct_label=POOLED)
    if overlap not in OVERLAP_TREATMENTS:
        raise SmallAreaError(f"overlap must be one of {', '.join(OVERLAP_TREATMENTS)}, "
                             f"not {overlap!r}")
    if method not in METHODS:
        raise SmallAreaError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    measures = list(measures or services.DEFAULT_PROPORTIONS)
    aux = _auxiliaries(run, auxiliaries, borough_table, table_columns)

    waves = _wave_tables([run, *pool], measures)
    boroughs = list(BOROUGHS)
    counts = aux["businesses"].to_numpy(dtype=float)
    numeric = {name: aux[name].to_numpy(dtype=float) for name in aux.columns
               if name in (*auxiliaries, *table_columns)}
    names = [*auxiliaries, *table_columns]
    x = model_matrix({name: numeric[name] for name in names}, {}, n_rows=len(boroughs))

    fits: dict[str, dict] = {}
    rows: list[SmallAreaEstimate] = []
    for measure in measures:
        london, by, pooled_note = _direct(waves, measure, overlap)
        position = [by.domains.index(b) if b in by.domains else -1 for b in boroughs]
        low, high = by.confint(core.DEFAULT_PROPORTION_CI)
        direct, variance, n, d_low, d_high = (_spread(a, position) for a in (
            by.estimate, by.variance, by.n.astype(float), low, high))
        n = np.nan_to_num(n)
        has_variance = np.isfinite(variance) & (variance > 0)
        fit_record: dict = {"london_direct": float(london.estimate[0]),
                            "london_se": float(london.se[0])}
        if pooled_note:
            fit_record["pooled"] = pooled_note
        fit_variance = np.where(has_variance, variance, np.nan)
        eblup = mse = gamma = synthetic = np.full(len(boroughs), np.nan)
        try:
            fit_record["variance"] = RAW_VARIANCES
            if smooth:
                fit_variance = _smoothed(direct, variance, n, fit_variance, fit_record)
            fit_direct = np.where(np.isfinite(fit_variance), direct, np.nan)
            result = fay_herriot(fit_direct, fit_variance, x, method=method, domains=boroughs)
            eblup, mse, gamma = result.eblup, result.mse, result.gamma
            synthetic = result.synthetic
            fit_record.update(_fit_dict(result))
            if benchmark:
                total = float(london.estimate[0]) * float(counts.sum())
                scaled = ratio_benchmark(eblup, counts, total)
                eblup = scaled.estimates
                fit_record["benchmark"] = {"ratio": scaled.ratio, "total": scaled.total,
                                           "note": scaled.describe()}
        except SmallAreaError as error:
            fit_record["error"] = str(error)
        rule_se = np.where(has_variance, np.sqrt(variance), np.nan)
        chosen = publication_rule(direct, rule_se, np.asarray(eblup), np.asarray(mse), rule,
                                  direct_low=d_low, direct_high=d_high)
        fit_record["counts"] = chosen.counts()
        fits[measure] = fit_record
        for i, code in enumerate(boroughs):
            rows.append(SmallAreaEstimate(
                measure=measure, borough=code, n=int(n[i]), direct=_num(direct[i]),
                direct_se=_num(math.sqrt(variance[i]) if np.isfinite(variance[i]) else None),
                direct_cv=_num(chosen.cv[i]), direct_low=_num(d_low[i]),
                direct_high=_num(d_high[i]), model_variance_input=_num(fit_variance[i]),
                synthetic=_num(synthetic[i]), eblup=_num(eblup[i]), mse=_num(mse[i]),
                rrmse=_num(chosen.rrmse[i]), gamma=_num(gamma[i]), source=chosen.source[i],
                estimate=_num(chosen.estimate[i]), ci_low=_num(chosen.low[i]),
                ci_high=_num(chosen.high[i]), note=chosen.notes[i]))
    spec = {"measures": measures, "method": method, "smooth": smooth, "benchmark": benchmark,
            "auxiliaries": list(auxiliaries), "table_columns": list(table_columns),
            "rule": rule.as_dict(), "pool": [r.pk for r in pool],
            "overlap": overlap if pool else None}
    notes = _notes(run, method, smooth, benchmark, names, borough_table, rule)
    unsmoothed = [m for m, fit in fits.items()
                  if smooth and fit.get("variance", "").startswith(RAW_VARIANCES)]
    if unsmoothed:
        notes.insert(3, "Where the variance function could not be fitted ("
                     + ", ".join(unsmoothed) + "), the design variances were used as estimated.")
    if pool:
        notes.insert(1, "Direct estimates " + next(
            (f["pooled"] for f in fits.values() if "pooled" in f), "pooled") + ".")
    with transaction.atomic():
        small_area = SmallAreaRun.objects.create(
            run=run, estimate_set=estimate_set, borough_table=borough_table, spec=spec,
            fits=fits, notes=notes, created_by=user)
        for row in rows:
            row.small_area = small_area
        SmallAreaEstimate.objects.bulk_create(rows)
    return small_area


@dataclass(frozen=True)
class _WaveTable:
    run: WeightingRun
    data: pd.DataFrame
    design: core.Design
    references: np.ndarray


def _wave_tables(runs: list[WeightingRun], measures: list[str]) -> list[_WaveTable]:
    """Each run's weighted respondents, design and businesses (references, for overlap)."""
    waves = {r.wave_id for r in runs}
    if len(waves) != len(runs):
        raise SmallAreaError("pool runs of different waves: two of the runs weight the same "
                             "wave")
    tables = []
    for r in runs:
        _check_run(r)
        data = services.weighted_respondents(r)
        missing = [m for m in measures if m not in data.columns]
        if missing:
            raise SmallAreaError(f"measure(s) {', '.join(missing)} not in the wave's data "
                                 f"(weighting run {r.pk}, {r.wave})")
        reference = dict(Case.objects.filter(pk__in=list(data.index)).values_list(
            "pk", "sampled_business__business__reference"))
        tables.append(_WaveTable(r, data, services.run_design(r, data),
                                 np.asarray([reference[c] for c in data.index], dtype=object)))
    return tables


def _direct(waves: list[_WaveTable], measure: str, overlap: str):
    """London and by-borough direct estimates of the measure: the wave's own, or pooled."""
    def values(table: _WaveTable) -> np.ndarray:
        return pd.to_numeric(table.data[measure], errors="coerce").to_numpy(dtype=float)

    if len(waves) == 1:
        table = waves[0]
        domains = core.domains_by(table.data["borough"].to_numpy(dtype=object), "borough")
        return (core.estimate(table.design, "proportion", values(table), variable=measure),
                core.estimate(table.design, "proportion", values(table), domains,
                              variable=measure), None)
    names = [t.run.wave.name for t in waves]
    labels = [name if names.count(name) == 1 else f"{name} (wave {t.run.wave_id})"
              for name, t in zip(names, waves, strict=True)]
    pooled = pool_waves([
        WaveSample(label, t.design, values(t), domains=t.data["borough"].to_numpy(dtype=object),
                   units=t.references, strata=t.data["stratum"].astype(str).to_numpy(object))
        for label, t in zip(labels, waves, strict=True)], overlap=overlap)
    return (pooled.estimate("proportion", variable=measure),
            pooled.estimate("proportion", by="borough", variable=measure), pooled.note())


def _check_run(run: WeightingRun) -> None:
    if run.status != WeightingRun.Status.DONE:
        raise SmallAreaError(f"weighting run {run.pk} is {run.status}, not done")
    if run.accepted_at is None:
        raise SmallAreaError(f"weighting run {run.pk} is a draft: accept it (after checking "
                             "its diagnostics) before estimating from it",
                             code="run_not_accepted")


def _auxiliaries(run: WeightingRun, auxiliaries: Sequence[str],
                 table: BoroughTable | None, columns: Sequence[str]) -> pd.DataFrame:
    """The frame's borough auxiliaries (and the chosen columns of the uploaded table)."""
    frame = borough_auxiliaries(run.wave.sample.design.frame)
    unknown = [a for a in auxiliaries if a not in frame.columns]
    if unknown:
        raise SmallAreaError(f"auxiliary {', '.join(unknown)} is not one of the frame's: "
                             f"{', '.join(frame.columns)}")
    if columns and table is None:
        raise SmallAreaError("choose the uploaded borough table the columns come from")
    for column in columns:
        if column not in (table.columns if table is not None else []):
            raise SmallAreaError(f"borough table {table.pk}: no column {column!r} (columns "
                                 f"are: {', '.join(table.columns)})")
        if column in frame.columns:
            raise SmallAreaError(f"borough table column {column!r} has the name of a frame "
                                 "auxiliary; rename it in the file")
        frame[column] = [table.values[column][code] for code in frame.index]
    if len(set(auxiliaries)) != len(auxiliaries) or len(set(columns)) != len(columns):
        raise SmallAreaError("an auxiliary is chosen twice")
    return frame


def _spread(values: np.ndarray, position: list[int]) -> np.ndarray:
    """Per borough in code order: the domain's value, NaN for a borough with no sample."""
    out = np.full(len(position), np.nan)
    for i, p in enumerate(position):
        if p >= 0:
            out[i] = values[p]
    return out


def _fit_dict(result) -> dict:
    return {"method": result.method, "model_variance": result.model_variance,
            "iterations": result.iterations,
            "coefficients": [{"name": c.name, "estimate": c.estimate, "se": c.std_error,
                              "z": c.z_value, "p": c.p_value} for c in result.coefficients],
            "goodness": {"loglike": result.goodness.loglike, "aic": result.goodness.aic,
                         "bic": result.goodness.bic, "kic": result.goodness.kic}}


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


RAW_VARIANCES = ("design variances as estimated (boroughs with a zero variance left out of "
                 "the fit)")


def _smoothed(direct: np.ndarray, variance: np.ndarray, n: np.ndarray,
              raw: np.ndarray, fit_record: dict) -> np.ndarray:
    """GVF-smoothed variances; where the function cannot be fitted (too few boroughs with a
    proportion strictly between 0 and 1), the design variances, and the record says why."""
    try:
        smoothed = smooth_proportion_variance(direct, variance, np.maximum(n, 1))
    except SmallAreaError as error:
        fit_record["variance"] = (RAW_VARIANCES + "; smoothing was asked for but "
                                  + str(error))
        return raw
    fit_record["variance"] = smoothed.describe()
    fit_record["gvf"] = list(smoothed.coefficients)
    return np.where(np.isfinite(direct), smoothed.variance, np.nan)


def _notes(run: WeightingRun, method: str, smooth: bool, benchmark: bool, names: list[str],
           table: BoroughTable | None, rule: PublicationRule) -> list[str]:
    label = {"reml": "REML", "ml": "ML", "fh": "the Fay-Herriot moment method"}[method]
    notes = [
        f"Direct borough estimates from weighting run {run.pk} (domains on the whole design, "
        "calibration-aware standard errors).",
        f"Model-based estimates: Fay-Herriot area-level model fitted by {label} on the "
        f"boroughs' auxiliaries ({', '.join(names) or 'intercept only'}) from the sampling "
        "frame" + (f" and the borough table '{table.name}' ({table.source}, "
                   f"{table.as_of:%d %B %Y})" if table is not None else "")
        + "; MSE as R sae's mseFH.",
        ("Direct variances smoothed by a generalised variance function of borough sample "
         "size and proportion before fitting." if smooth else
         "Direct variances used as estimated (not smoothed)."),
    ]
    if benchmark:
        notes.append("Model-based estimates ratio-benchmarked so that, weighted by the "
                     "boroughs' business counts, they add up to the direct London estimate "
                     "(MSE not adjusted).")
    notes.append(rule.describe())
    return notes
