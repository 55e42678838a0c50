"""Services that write weighting runs and estimate sets (recorded with who ran them)."""

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from analysis import core
from analysis.core.boundary import with_boundary_intervals
from analysis.models import CaseWeight, EstimateSet, PopulationMargins, WeightingRun
from analysis.respondents import SECTOR_GROUP, case_frame, respondent_answers
from analysis.weighting import WeightingSpec, weight_cases
from survey.models import Wave
from survey.selectors.review import review_counts

DEFAULT_PROPORTIONS = ("confident_police", "victim_online", "victim_fraud", "victim_any")
DEFAULT_BY = ("borough", "sector_group")


def frame_population(wave: Wave) -> dict[str, dict[str, float]]:
    """Population totals by borough, sector group and size band, from the wave's frame."""
    summary = wave.sample.design.frame.summary
    missing = [key for key in ("borough", "sector", "size_band") if not summary.get(key)]
    if missing:
        raise core.WeightingError(f"frame '{wave.sample.design.frame}' has no population "
                                  f"counts by {', '.join(missing)} to rake to")
    groups: dict[str, float] = {}
    for section, count in summary["sector"].items():
        groups[SECTOR_GROUP[section]] = groups.get(SECTOR_GROUP[section], 0) + count
    return {"borough": summary["borough"], "sector_group": groups,
            "size_band": summary["size_band"]}


def weighting_run(*, wave: Wave, user=None, spec: WeightingSpec | None = None,
                  margins: PopulationMargins | None = None) -> WeightingRun:
    """Weight the wave's released cases, raked to the frame's counts or to the uploaded
    `margins`; the run records each step as it goes, and a failure is stored with its
    message (and raised) without storing any weight. The run is a draft until accepted
    (analysis.weighting_runs.weighting_accept)."""
    spec = spec or WeightingSpec()
    run = WeightingRun.objects.create(wave=wave, spec=spec.as_dict(), created_by=user,
                                      margins=margins)
    try:
        cases = case_frame(wave)
        _progress(run, f"{len(cases)} released cases read")
        in_review = review_counts(wave=wave)
        if in_review.completed != in_review.approved:
            _progress(run, "completed interviews not yet approved in review, so not "
                           f"respondents (AAPOR 1.2): {in_review.completed - in_review.approved}")
        if cases.empty:
            raise core.WeightingError("the wave has no released cases")
        population = margins.totals if margins is not None else frame_population(wave)
        result = weight_cases(cases, population, spec)
    except core.AnalysisError as error:
        run.status, run.message, run.finished_at = run.Status.FAILED, str(error), timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
        raise
    with transaction.atomic():
        CaseWeight.objects.bulk_create(
            CaseWeight(run=run, case_id=int(row.case), status=row.status,
                       design_weight=float(row.design_weight),
                       adjusted_weight=float(row.adjusted_weight),
                       final_weight=float(row.final_weight))
            for row in result.cases.itertuples(index=False))
        run.progress = run.progress + result.steps
        run.diagnostics = _plain(result.diagnostics)
        run.design = _plain(result.design)
        run.status, run.finished_at = run.Status.DONE, timezone.now()
        run.save(update_fields=["progress", "diagnostics", "design", "status", "finished_at"])
    return run


def _progress(run: WeightingRun, step: str) -> None:
    run.progress = [*run.progress, step]
    run.save(update_fields=["progress"])


def weighted_respondents(run: WeightingRun) -> pd.DataFrame:
    """Respondents with their final weight, design information and codebook variables."""
    cases = case_frame(run.wave)
    weights = pd.DataFrame.from_records(
        list(run.weights.filter(status="respondent").values(
            "case_id", "adjusted_weight", "final_weight")))
    table = cases.drop(columns="design_weight").join(weights.set_index("case_id"), how="inner")
    # The frame's borough, sector and size band define the domains; answers to the same
    # questions are kept with an _answer suffix.
    return table.merge(respondent_answers(run.wave), how="left", left_index=True,
                       right_index=True, suffixes=("", "_answer"))


def estimate_set_create(*, run: WeightingRun, user=None,
                        proportions: tuple[str, ...] = DEFAULT_PROPORTIONS,
                        by: tuple[str, ...] = DEFAULT_BY,
                        ci: str = core.DEFAULT_PROPORTION_CI) -> EstimateSet:
    """Proportions overall and by domain, with calibration-aware standard errors (the design
    is stratified; raking margins enter the variance as R's calibrate() does)."""
    if run.status != run.Status.DONE:
        raise core.EstimationError(f"weighting run {run.pk} is {run.status}, not done")
    if run.accepted_at is None:
        raise core.EstimationError(f"weighting run {run.pk} is a draft: accept it (after "
                                   "checking its diagnostics) before estimating from it",
                                   code="run_not_accepted")
    data = weighted_respondents(run)
    available = [p for p in proportions if p in data.columns]
    if not available:
        raise core.EstimationError("none of the requested variables is in the data: "
                                   + ", ".join(proportions))
    rows = estimate_rows(data, run, available, list(by), ci)
    spec = {"proportions": available, "by": list(by), "ci": ci}
    return EstimateSet.objects.create(run=run, spec=spec, rows=rows, created_by=user)


def run_design(run: WeightingRun, data: pd.DataFrame) -> core.Design:
    """The run's design on its weighted respondents, rebuilt from the spec the run stored."""
    return core.build_design(core.DesignSpec.from_dict(run.design), data,
                             f"weighting run {run.pk}")


def estimate_rows(data: pd.DataFrame, run: WeightingRun, variables: list[str], by: list[str],
                  ci: str, statistic: str = "proportion") -> list[dict]:
    """Rows variable, by, domain, estimate, se, ci_low, ci_high, n, deff: each variable
    overall, then by each domain variable."""
    core.ci_method(ci)
    design = run_design(run, data)
    blocks = [core.whole_population(design.n)]
    blocks += [core.domains_by(data[b].to_numpy(dtype=object), b) for b in by]
    tables = []
    for domains in blocks:
        for variable in variables:
            values = pd.to_numeric(data[variable], errors="coerce").to_numpy(dtype=float)
            result = core.estimate(design, statistic, values, domains, variable=variable)
            tables.append(result.to_frame(ci, 0.95))
    table = pd.concat(tables, ignore_index=True)[core.RESULT_COLUMNS]
    rows = _plain(table.replace({np.nan: None}).to_dict(orient="records"))
    # A proportion of 0 or 1 has no logit interval: Korn-Graubard on the unweighted base.
    return with_boundary_intervals(rows, ci) if statistic == "proportion" else rows


def _plain(value):
    """JSON-safe copies of numpy scalars inside dicts and lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
