"""The estimates a publication is made from: the wave's latest done weighting run and an
estimate set with every publication measure, computed from the run if the latest set lacks
them (recorded as an EstimateSet with purpose 'publication')."""

from __future__ import annotations

from analysis.core.ci_methods import DEFAULT_PROPORTION_CI
from analysis.models import EstimateSet, SmallAreaRun, WeightingRun
from analysis.selectors import small_area_rows
from analysis.services import estimate_rows, weighted_respondents
from analysis.weighting_runs import accepted_run
from survey.models import Wave

from .borough_sources import BoroughEstimates
from .errors import PublicationError
from .measures import MEASURES

PUBLICATION_BY = ("borough", "sector_group")
CI_METHOD = DEFAULT_PROPORTION_CI  # the registry's default for proportions


def latest_done_run(wave: Wave) -> WeightingRun | None:
    """The wave's latest accepted run: a draft run is never published."""
    return accepted_run(wave)


def publication_estimates(*, wave: Wave, user=None) -> EstimateSet:
    """Raises PublicationError when the wave has no accepted weighting run or no estimates."""
    run = _accepted_with_estimates(wave)
    latest = run.estimates.order_by("-created_at", "-pk").first()
    if latest.spec.get("purpose") == "publication":
        return latest
    wanted, rows = _publication_rows(run)
    spec = {"proportions": wanted, "by": list(PUBLICATION_BY), "ci": CI_METHOD,
            "purpose": "publication"}
    return EstimateSet.objects.create(run=run, spec=spec, rows=rows, created_by=user)


def preview_estimate_rows(wave: Wave) -> tuple[WeightingRun, list[dict]]:
    """The rows a publication of the wave would be made from, stored nowhere."""
    run = _accepted_with_estimates(wave)
    latest = run.estimates.order_by("-created_at", "-pk").first()
    if latest.spec.get("purpose") == "publication":
        return run, latest.rows
    return run, _publication_rows(run)[1]


def _accepted_with_estimates(wave: Wave) -> WeightingRun:
    run = latest_done_run(wave)
    if run is None:
        raise PublicationError(f"wave {wave.pk} ({wave.name}): no accepted weighting run; "
                               "weight the wave and accept the run after checking its "
                               "diagnostics (Analysis > weighting)", code="no_accepted_run")
    if not run.estimates.exists():
        raise PublicationError(f"wave {wave.pk} ({wave.name}): weighting run {run.pk} has no "
                               "estimates; produce an estimate set first")
    return run


def _publication_rows(run: WeightingRun) -> tuple[list[str], list[dict]]:
    data = respondents_for_publication(run)
    wanted = [m.name for m in MEASURES if m.name in data.columns
              and data[m.name].notna().any()]
    return wanted, estimate_rows(data, run, wanted, list(PUBLICATION_BY), CI_METHOD)


def respondents_for_publication(run: WeightingRun):
    """The run's weighted respondents, with the derived flags (analysis adds them)."""
    return weighted_respondents(run)


def publication_small_area(run: WeightingRun) -> tuple[SmallAreaRun | None,
                                                       BoroughEstimates | None]:
    """The latest borough estimates (small-area run) made from the run a publication uses,
    as publication reads them; (None, None) when the analyst has made none."""
    small_area = run.small_areas.order_by("-created_at", "-pk").first()
    if small_area is None:
        return None, None
    return small_area, BoroughEstimates(
        run_id=small_area.pk, notes=tuple(small_area.notes or ()),
        rule=small_area.spec.get("rule") or {}, rows=tuple(small_area_rows(small_area)))
