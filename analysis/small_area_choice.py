"""The analyst's choice of the borough estimates a wave publishes (``latest_small_area``
returns it): one of the runs made from the wave's latest accepted weighting run, the one
chosen last. The wave's runs are locked while the choice is made, so two analysts choosing at
once are served one after the other and the later choice wins."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from analysis.models import SmallAreaRun, WeightingRun
from bas.errors import ConflictError


def small_area_choose(*, small_area: SmallAreaRun, user) -> SmallAreaRun:
    """Choose ``small_area`` for publication of its wave."""
    with transaction.atomic():
        runs = list(SmallAreaRun.objects.select_for_update()
                    .filter(run__wave_id=small_area.run.wave_id).order_by("pk"))
        chosen = next(r for r in runs if r.pk == small_area.pk)
        accepted = (WeightingRun.objects.filter(
            wave_id=small_area.run.wave_id, status=WeightingRun.Status.DONE,
            accepted_at__isnull=False).order_by("-accepted_at", "-pk").first())
        if accepted is None or accepted.pk != chosen.run_id:
            raise ConflictError(
                f"Borough estimates {chosen.pk} were made from weighting run {chosen.run_id}, "
                "but publication uses the wave's latest accepted weighting run"
                + (f" ({accepted.pk}): make borough estimates from that run and choose them."
                   if accepted else "; the wave has none."),
                code="small_area_not_from_accepted_run")
        chosen.chosen_at = timezone.now()
        chosen.chosen_by = user
        chosen.save(update_fields=["chosen_at", "chosen_by"])
    return chosen
