"""The analyst's small-area form: its choices for a wave, and a posted form read into the
options of ``small_area_runs.small_area_estimates``, every problem named in plain words beside
its field (all at once), then that one service call.

Choices: the wave's latest accepted weighting run; pooling the last k waves of the same
questionnaire (each earlier wave's latest accepted run); the measures; REML, ML or the
Fay-Herriot moment method; the frame's borough auxiliaries and the columns of one uploaded
borough table; variance smoothing; ratio benchmarking; the publication rule's thresholds
(in percent: the direct estimate's CV or interval width, the model's relative root MSE)."""

from __future__ import annotations

from collections.abc import Mapping

from analysis import selectors, services, small_area_runs
from analysis.core.pooling import OVERLAP_TREATMENTS
from analysis.core.small_area import METHODS, PublicationRule
from analysis.models import BoroughTable, SmallAreaRun, WeightingRun
from analysis.small_area_runs import DEFAULT_AUXILIARIES, SmallAreaOptionsError
from bas.errors import ConflictError
from survey.models import Wave

METHOD_CHOICES = (("reml", "REML (restricted maximum likelihood; R sae's default)"),
                  ("ml", "ML (maximum likelihood)"),
                  ("fh", "Fay-Herriot moment method"))
DIRECT_MEASURE_CHOICES = (("cv", "its coefficient of variation (CV) is at most"),
                          ("width", "its 95% interval is at most this many points wide"))
OVERLAP_CHOICES = (("independent", "as independent draws (each interview counted)"),
                   ("cluster", "as one cluster across waves (panel overlap)"))
MAX_TABLES = 20


def latest_accepted_run(wave: Wave) -> WeightingRun | None:
    return (WeightingRun.objects.filter(wave=wave, status=WeightingRun.Status.DONE,
                                        accepted_at__isnull=False)
            .order_by("-accepted_at", "-pk").first())


def pool_candidates(wave: Wave) -> list[WeightingRun]:
    """The latest accepted runs of the earlier waves of the same questionnaire, the most
    recent wave first (earlier: by fieldwork start, else by when the wave was set up)."""
    def when(w: Wave) -> tuple:
        return (w.starts_on or w.created_at.date(), w.created_at)

    others = (Wave.objects.filter(
        questionnaire_version__questionnaire_id=wave.questionnaire_version.questionnaire_id)
        .exclude(pk=wave.pk))
    earlier = sorted((w for w in others if when(w) < when(wave)), key=when, reverse=True)
    runs = [(w, latest_accepted_run(w)) for w in earlier]
    return [run for _, run in runs if run is not None]


def form_choices(wave: Wave, run: WeightingRun | None) -> dict:
    tables = list(BoroughTable.objects.order_by("-created_at", "-pk")[:MAX_TABLES])
    return {
        "measures": [(m, selectors.measure_label(m)) for m in services.DEFAULT_PROPORTIONS],
        "methods": METHOD_CHOICES, "direct_measures": DIRECT_MEASURE_CHOICES,
        "overlaps": OVERLAP_CHOICES,
        "auxiliaries": small_area_runs.small_area_auxiliary_choices(run) if run else [],
        "tables": [{"table": t, "columns": [(f"{t.pk}:{c}", c) for c in t.columns]}
                   for t in tables],
        "pool": [r.wave for r in pool_candidates(wave)] if run else [],
    }


def form_values(data: Mapping | None) -> dict:
    """The form's values: the defaults, or what was posted (to show it again)."""
    rule = PublicationRule()
    if data is None:
        return {"measures": list(services.DEFAULT_PROPORTIONS), "method": "reml",
                "auxiliaries": list(DEFAULT_AUXILIARIES), "table_columns": [],
                "smooth": True, "benchmark": True, "direct_measure": rule.direct_measure,
                "direct_threshold": f"{rule.direct_threshold * 100:g}",
                "model_threshold": f"{rule.model_threshold * 100:g}", "pool": "1",
                "overlap": "independent"}
    return {"measures": data.getlist("measures"), "method": data.get("method", ""),
            "auxiliaries": data.getlist("auxiliaries"),
            "table_columns": data.getlist("table_columns"),
            "smooth": "smooth" in data, "benchmark": "benchmark" in data,
            "direct_measure": data.get("direct_measure", ""),
            "direct_threshold": data.get("direct_threshold", "")[:20],
            "model_threshold": data.get("model_threshold", "")[:20],
            "pool": data.get("pool", "")[:5], "overlap": data.get("overlap", "")}


def small_area_request(*, wave: Wave, user, data: Mapping) -> SmallAreaRun:
    """Read the posted form and run small-area estimation on the wave's accepted run."""
    run = latest_accepted_run(wave)
    if run is None:
        raise ConflictError(f"{wave.name} has no accepted weighting run: weight the wave and "
                            "accept the run before estimating borough figures.")
    choices = form_choices(wave, run)
    values = form_values(data)
    problems: list[dict] = []

    def problem(field: str, message: str) -> None:
        problems.append({"field": field, "message": message})

    known = dict(choices["measures"])
    measures = [m for m in dict.fromkeys(values["measures"]) if m in known]
    if len(measures) != len(values["measures"]) or not measures:
        problem("measures", "Choose one or more of the measures listed.")
    if values["method"] not in METHODS:
        problem("method", "Choose how the model is fitted: REML, ML or the Fay-Herriot "
                "moment method.")
    auxiliaries = list(dict.fromkeys(values["auxiliaries"]))
    if len(auxiliaries) != len(values["auxiliaries"]) or any(
            a not in choices["auxiliaries"] for a in auxiliaries):
        problem("auxiliaries", "Choose auxiliaries from the list of the frame's.")
    table, columns = _table_columns(values["table_columns"], problem)
    rule = _rule(values, problem)
    pool = _pool(values, wave, problem)
    if problems:
        raise SmallAreaOptionsError(problems)
    return small_area_runs.small_area_estimates(
        run=run, measures=measures, method=values["method"], smooth=values["smooth"],
        benchmark=values["benchmark"], auxiliaries=auxiliaries, borough_table=table,
        table_columns=columns, rule=rule, pool=pool, overlap=values["overlap"] or "independent",
        user=user)


def _table_columns(chosen: list[str], problem) -> tuple[BoroughTable | None, list[str]]:
    """The borough table the chosen columns ('<table id>:<column>') come from, and them."""
    if not chosen:
        return None, []
    pairs = []
    for value in dict.fromkeys(chosen):
        table_id, _, column = value.partition(":")
        if not table_id.isdigit() or not column:
            problem("table_columns", "Choose columns from the uploaded borough tables listed.")
            return None, []
        pairs.append((int(table_id), column))
    if len({t for t, _ in pairs}) > 1:
        problem("table_columns", "Choose columns from one borough table only: the model "
                "takes its auxiliaries from the frame and at most one uploaded table.")
        return None, []
    table = BoroughTable.objects.filter(pk=pairs[0][0]).first()
    columns = [c for _, c in pairs]
    if table is None or any(c not in table.columns for c in columns):
        problem("table_columns", "Choose columns from the uploaded borough tables listed.")
        return None, []
    return table, columns


def _percent(text: str, field: str, what: str, problem) -> float | None:
    raw = text.strip().rstrip("%").strip()
    try:
        value = float(raw)
    except ValueError:
        problem(field, f"Give {what} as a number of percent, e.g. 20.")
        return None
    if not 0 < value <= 100:
        problem(field, f"{what.capitalize()} must be more than 0 and at most 100 percent.")
        return None
    return value / 100.0


def _rule(values: dict, problem) -> dict:
    rule: dict = {}
    if values["direct_measure"] not in {k for k, _ in DIRECT_MEASURE_CHOICES}:
        problem("direct_measure", "Choose whether the direct estimate is judged by its CV or "
                "by the width of its interval.")
    else:
        rule["direct_measure"] = values["direct_measure"]
    direct = _percent(values["direct_threshold"], "direct_threshold",
                      "the direct estimate's threshold", problem)
    model = _percent(values["model_threshold"], "model_threshold",
                     "the model-based estimate's highest relative root MSE", problem)
    if direct is not None:
        rule["direct_threshold"] = direct
    if model is not None:
        rule["model_threshold"] = model
    return rule


def _pool(values: dict, wave: Wave, problem) -> list[WeightingRun]:
    raw = values["pool"].strip()
    if values["overlap"] not in OVERLAP_TREATMENTS:
        problem("overlap", "Choose how a business interviewed in two pooled waves is treated.")
    if not raw.isdigit() or int(raw) < 1:
        problem("pool", "Give the number of waves to pool as a whole number, 1 for this wave "
                "alone.")
        return []
    k = int(raw)
    earlier = pool_candidates(wave) if k > 1 else []
    if k - 1 > len(earlier):
        problem("pool", f"Only {len(earlier) + 1} wave{'s' if earlier else ''} of this "
                "questionnaire (this one and the earlier ones with an accepted weighting run) "
                f"can be pooled, not {k}.")
        return []
    return earlier[:k - 1]
