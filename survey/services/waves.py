"""Services for waves: create, open for fieldwork, add cases as replicates are released, close."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency
from questionnaires.models import QuestionnaireVersion
from sampling.models import Sample, SampledBusiness
from survey.aapor import final_disposition
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import Case, Interview, Wave
from survey.models.fieldwork import default_business_hours
from survey.services.row_locks import lock_row
from survey.services.scheduling import BusinessHours

OPEN_STATUSES = (Wave.Status.SETUP, Wave.Status.IN_FIELD)


def wave_create(
    *,
    name: str,
    questionnaire_version: QuestionnaireVersion,
    sample: Sample,
    agency: Agency,
    target_interviews: int,
    stratum_targets: Mapping[str, int] | None = None,
    business_hours: Mapping | None = None,
    timezone: str = "Europe/London",
    max_attempts: int = 10,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Wave:
    """A wave in set-up, with a case for every business of the sample's released replicates."""
    hours = dict(business_hours or default_business_hours())
    BusinessHours.from_dict(hours, timezone)  # raises SchedulingError naming the field
    targets = _checked_targets(stratum_targets or {})
    if max_attempts < 1:
        raise FieldworkError(f"max_attempts: {max_attempts} is not at least 1",
                             code="invalid_max_attempts",
                             fields={"field": "max_attempts", "value": max_attempts})
    wave = Wave(
        name=name, questionnaire_version=questionnaire_version, sample=sample, agency=agency,
        target_interviews=target_interviews, stratum_targets=targets, business_hours=hours,
        timezone=timezone, max_attempts=max_attempts, starts_on=starts_on, ends_on=ends_on,
    )
    _full_clean(wave)
    with transaction.atomic():
        wave.save()
        wave_cases_sync(wave=wave)
    return wave


def _checked_targets(targets: Mapping[str, int]) -> dict[str, int]:
    for stratum, target in targets.items():
        if not isinstance(target, int) or isinstance(target, bool) or target < 0:
            raise FieldworkError(
                f"stratum_targets[{stratum!r}]: {target!r} is not a whole number >= 0",
                code="invalid_stratum_target",
                fields={"field": f"stratum_targets.{stratum}", "value": target})
    return dict(targets)


def _full_clean(wave: Wave) -> None:
    try:
        wave.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise FieldworkError(f"{field}: {' '.join(messages)}", code="invalid_wave",
                             fields={"field": field, "errors": exc.message_dict}) from exc


def wave_cases_sync(*, wave: Wave) -> int:
    """Add a case for each released business of the wave's sample that has none yet.

    Safe to call again (e.g. after a replicate is released); returns how many were added.
    """
    if wave.status == Wave.Status.CLOSED:
        return 0
    have = Case.objects.filter(wave=wave).values("sampled_business_id")
    new = (SampledBusiness.objects.filter(sample=wave.sample_id, released=True)
           .exclude(pk__in=have).order_by("replicate", "pk"))
    cases = [Case(wave=wave, sampled_business=sb, stratum=sb.stratum) for sb in new]
    Case.objects.bulk_create(cases, ignore_conflicts=True)
    return len(cases)


def sample_cases_sync(*, sample: Sample) -> int:
    """After a replicate of `sample` is released: add its cases to every open wave using it."""
    return sum(wave_cases_sync(wave=wave)
               for wave in Wave.objects.filter(sample=sample, status__in=OPEN_STATUSES))


def wave_open_field(*, wave: Wave) -> Wave:
    """Put a wave in the field: interviewers may now be given its cases."""
    with transaction.atomic():
        wave = lock_row(Wave, wave.pk)
        if wave.status == Wave.Status.CLOSED:
            raise FieldworkConflict(f"wave '{wave}' is closed and cannot go back into the field",
                                    code="wave_closed", fields={"wave": wave.pk})
        wave.status = Wave.Status.IN_FIELD
        wave.save(update_fields=["status"])
        wave_cases_sync(wave=wave)
    return wave


def wave_close(*, wave: Wave) -> Wave:
    """Close a wave: every open case gets its final disposition from its attempts.

    An interview still in progress becomes a partial; a case with one and no final outcome
    ends as 1.2.
    """
    with transaction.atomic():
        wave = lock_row(Wave, wave.pk)
        if wave.status == Wave.Status.CLOSED:
            return wave
        open_cases = list(Case.objects.filter(wave=wave).exclude(status=Case.Status.FINAL)
                          .prefetch_related("attempts"))
        running = Interview.objects.filter(case__wave=wave, status=Interview.Status.IN_PROGRESS)
        partial = {i.case_id for i in running.only("case_id", "answers") if i.answers}
        for case in open_cases:
            codes = [a.code for a in case.attempts.all()]
            case.final_code = "1.2" if case.pk in partial else final_disposition(codes)
            case.status = Case.Status.CLOSED
            case.assigned_to = case.assigned_at = None
            case.next_call_at = None
        Case.objects.bulk_update(open_cases, ["final_code", "status", "assigned_to",
                                              "assigned_at", "next_call_at"])
        Interview.objects.filter(case__wave=wave, status=Interview.Status.IN_PROGRESS).update(
            status=Interview.Status.PARTIAL)
        wave.status = Wave.Status.CLOSED
        wave.save(update_fields=["status"])
    return wave
