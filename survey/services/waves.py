"""Services for waves: create and set up (analysts), open for fieldwork, extend, add cases as
replicates are released, close.

Every setting is checked before anything is stored, all problems at once, each in the words
of the person who entered it (survey.services.wave_settings). Changes are audited.
"""

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone as django_timezone

from accounts.audit import audit_record
from accounts.models import Agency, AuditEvent
from questionnaires.models import QuestionnaireVersion
from sampling.core import SelectionError
from sampling.models import Sample, SampledBusiness
from sampling.services import replicates_release
from survey.aapor import final_disposition
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import Case, Interview, Wave
from survey.models.fieldwork import default_business_hours
from survey.selectors import wave_setup
from survey.services.row_locks import lock_row, retry_when_locked
from survey.services.wave_settings import (
    Checker,
    Problem,
    WaveSettingsInvalid,
    day,
    name_taken,
)

OPEN_STATUSES = (Wave.Status.SETUP, Wave.Status.IN_FIELD)
UNFINISHED_INTERVIEW = (Interview.Status.IN_PROGRESS, Interview.Status.PARTIAL)
# The settings an analyst may change while the wave is in set-up.
SETUP_FIELDS = ("name", "questionnaire_version", "sample", "agency", "target_interviews",
                "stratum_targets", "borough_targets", "business_hours", "timezone",
                "max_attempts", "retry_gaps", "starts_on", "ends_on", "replicates_at_start",
                "review_levels")


def _today(wave_timezone: str) -> date:
    """Today in the wave's time zone (the server's when the zone is unknown: the checks
    report that zone)."""
    try:
        zone = ZoneInfo(wave_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = None
    return django_timezone.localdate(timezone=zone)


def wave_create(
    *,
    name: str,
    questionnaire_version: QuestionnaireVersion | None,
    sample: Sample | None,
    agency: Agency | None,
    target_interviews: int | None = None,
    stratum_targets: Mapping[str, int] | None = None,
    borough_targets: Mapping[str, int] | None = None,
    targets_from_allocation: bool = False,
    targets_by: str = "stratum",
    business_hours: Mapping | None = None,
    timezone: str = "Europe/London",
    max_attempts: int = 10,
    retry_gaps: Mapping[str, int] | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    replicates_at_start: int = 0,
    review_levels: str = Wave.Review.NONE,
    user=None,
    today: date | None = None,
) -> Wave:
    """A wave in set-up, with a case for every business of the sample's released replicates.

    `target_interviews` None takes the sample's size as allocated; `targets_from_allocation`
    shares the target among the strata (or the boroughs, `targets_by="borough"`) as the
    sample's allocation does, when no targets per stratum or borough are given.
    """
    wave = Wave(name=name, status=Wave.Status.SETUP)
    settings = _settings(
        wave, questionnaire_version=questionnaire_version, sample=sample, agency=agency,
        target_interviews=target_interviews, stratum_targets=stratum_targets,
        borough_targets=borough_targets, targets_from_allocation=targets_from_allocation,
        targets_by=targets_by,
        business_hours=business_hours, timezone=timezone, max_attempts=max_attempts,
        retry_gaps=retry_gaps, starts_on=starts_on, ends_on=ends_on,
        replicates_at_start=replicates_at_start, review_levels=review_levels)
    _check(wave, settings, today=today)
    for key, value in settings.items():
        setattr(wave, key, value)
    _full_clean(wave)
    try:
        with transaction.atomic():
            wave.save()
            wave_cases_sync(wave=wave)
            _audit(user, "wave_create", wave)
    except IntegrityError:  # the same name taken at the same moment by someone else
        raise WaveSettingsInvalid([Problem("name", "name_taken", name_taken(wave.name))]) \
            from None
    return wave


def _settings(wave: Wave, *, questionnaire_version, sample, agency, target_interviews,
              stratum_targets, borough_targets, targets_from_allocation, targets_by,
              business_hours, timezone, max_attempts, retry_gaps, starts_on, ends_on,
              replicates_at_start, review_levels=Wave.Review.NONE) -> dict:
    if targets_by not in ("stratum", "borough"):
        raise WaveSettingsInvalid([Problem(
            "targets_by", "targets_by_invalid",
            f"Targets are set by stratum or by borough (you chose '{targets_by}').")])
    facts = wave_setup.sample_facts(sample) if sample is not None else None
    if target_interviews is None and facts is not None:
        target_interviews = facts.allocated or facts.businesses
    stratum_targets = dict(stratum_targets or {})
    borough_targets = dict(borough_targets or {})
    if (targets_from_allocation and not stratum_targets and not borough_targets
            and sample is not None and target_interviews):
        if targets_by == "borough":
            borough_targets = wave_setup.borough_targets_from_allocation(sample,
                                                                         target_interviews)
        elif targets_by == "stratum":
            stratum_targets = wave_setup.targets_from_allocation(sample, target_interviews)
    return {
        "questionnaire_version": questionnaire_version, "sample": sample, "agency": agency,
        "target_interviews": target_interviews if target_interviews is not None else 0,
        "stratum_targets": stratum_targets, "borough_targets": borough_targets,
        "business_hours": dict(business_hours or default_business_hours()),
        "timezone": timezone, "max_attempts": max_attempts,
        "retry_gaps": dict(retry_gaps or {}), "starts_on": starts_on, "ends_on": ends_on,
        "replicates_at_start": replicates_at_start, "review_levels": review_levels,
    }


def _check(wave: Wave, settings: Mapping, *, today: date | None) -> None:
    """Every problem of the settings at once (WaveSettingsInvalid)."""
    check = Checker()
    name = wave.name or ""
    others = Wave.objects.exclude(pk=wave.pk) if wave.pk else Wave.objects.all()
    check.name(name, taken=bool(name.strip()) and others.filter(name=name).exists())
    check.required("questionnaire_version", settings["questionnaire_version"],
                   "Choose the questionnaire version the interviewers will ask.")
    sample = settings["sample"]
    check.required("sample", sample, "Choose the sample of businesses to call.")
    agency = settings["agency"]
    agency_given = check.required("agency", agency,
                                  "Choose the agency that will do the interviewing.")
    if agency_given and agency.is_commissioner:
        check.add("agency", "agency_commissioner",
                      f"{agency} commissions the survey and does no interviewing; choose "
                      "the fieldwork agency.")
    today = today or _today(settings["timezone"])
    check.dates(settings["starts_on"], settings["ends_on"], today=today,
                check_start=wave.status == Wave.Status.SETUP)
    check.calling_hours(settings["business_hours"])
    check.timezone(settings["timezone"])
    check.max_attempts(settings["max_attempts"])
    check.retry_gaps(settings["retry_gaps"])
    check.review_levels(settings["review_levels"], allowed=dict(Wave.Review.choices))
    if sample is not None:
        facts = wave_setup.sample_facts(sample)
        target = settings["target_interviews"]
        check.target(target, businesses=facts.businesses)
        check.part_targets("stratum_targets", "stratum", settings["stratum_targets"],
                           facts.strata, target)
        check.part_targets("borough_targets", "borough", settings["borough_targets"],
                           wave_setup.sample_boroughs(sample), target)
        check.replicates(settings["replicates_at_start"], drawn=facts.replicates)
    check.raise_if_any()


def wave_update(*, wave: Wave, user=None, today: date | None = None, **changes) -> Wave:
    """Change a wave's settings while it is in set-up (SETUP_FIELDS; the others are kept)."""
    unknown = sorted(set(changes) - set(SETUP_FIELDS)
                     - {"targets_from_allocation", "targets_by"})
    if unknown:
        raise FieldworkError(f"{', '.join(unknown)} cannot be changed on a wave",
                             code="unknown_setting", fields={"field": unknown[0]})
    with transaction.atomic():
        wave = lock_row(Wave, wave.pk)
        if wave.status != Wave.Status.SETUP:
            raise FieldworkConflict(
                f"Wave '{wave}' is {wave.get_status_display().lower()}: its settings can only "
                "be changed in set-up (its end date can still be extended).",
                code="wave_not_in_setup", fields={"wave": wave.pk})
        current = {key: getattr(wave, key) for key in SETUP_FIELDS}
        wanted = {"targets_from_allocation": False, "targets_by": "stratum", **current,
                  **changes}
        wave.name = wanted.pop("name")
        settings = _settings(wave, **wanted)
        _check(wave, settings, today=today)
        changed = sorted(key for key, value in settings.items() if current.get(key) != value)
        if current["name"] != wave.name:
            changed.append("name")
        for key, value in settings.items():
            setattr(wave, key, value)
        _full_clean(wave)
        wave.save()
        if "sample" in changed:  # no call is made in set-up: the old sample's cases go
            Case.objects.filter(wave=wave).exclude(sampled_business__sample=wave.sample).delete()
        wave_cases_sync(wave=wave)
        _audit(user, "wave_update", wave, changed=changed)
    return wave


def wave_extend(*, wave: Wave, ends_on: date, user=None, today: date | None = None) -> Wave:
    """Move the end of fieldwork to a later date (in set-up or in the field)."""
    with transaction.atomic():
        wave = lock_row(Wave, wave.pk)
        if wave.status == Wave.Status.CLOSED:
            raise FieldworkConflict(f"Wave '{wave}' is closed; a closed wave cannot be extended.",
                                    code="wave_closed", fields={"wave": wave.pk})
        today = today or _today(wave.timezone)
        check = Checker()
        if ends_on is None:
            check.add("ends_on", "ends_on_missing", "Enter the new fieldwork end date.")
        elif wave.ends_on is not None and ends_on <= wave.ends_on:
            check.add("ends_on", "extend_not_later",
                      f"The new end date must be later than the current one (the wave ends on "
                      f"{day(wave.ends_on)}; you entered {day(ends_on)}).")
        else:
            check.dates(wave.starts_on, ends_on, today=today, check_start=False)
        check.raise_if_any()
        before = wave.ends_on
        wave.ends_on = ends_on
        wave.save(update_fields=["ends_on"])
        _audit(user, "wave_extend", wave, ends_on_before=before and before.isoformat(),
               ends_on=ends_on.isoformat())
    return wave


def _full_clean(wave: Wave) -> None:
    """The model's own checks, after ours (a failure here is a gap in survey.wave_settings)."""
    try:
        wave.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise FieldworkError(f"{field}: {' '.join(messages)}", code="invalid_wave",
                             fields={"field": field, "errors": exc.message_dict}) from exc


def _audit(user, action: str, wave: Wave, **detail) -> None:
    audit_record(action=AuditEvent.Action.CHANGED, user=user, obj=wave,
                 detail={"wave_setup": action, "wave": wave.pk, **detail})


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


@retry_when_locked
def wave_open_field(*, wave: Wave, user=None, today: date | None = None) -> Wave:
    """Put a wave in the field: interviewers may now be given its cases.

    The first time, the sample's replicates up to `replicates_at_start` are released (their
    cases join the wave); a wave whose end date has passed stays in set-up, saying why.
    """
    try:
        with transaction.atomic():
            wave = lock_row(Wave, wave.pk)
            if wave.status == Wave.Status.CLOSED:
                raise FieldworkConflict(
                    f"Wave '{wave}' is closed and cannot go back into the field.",
                    code="wave_closed", fields={"wave": wave.pk})
            if wave.status == Wave.Status.SETUP:
                _check_can_open(wave, today=today or _today(wave.timezone))
                # the sample's row before its released replicates are read: wave, then sample
                wave.sample = lock_row(Sample, wave.sample_id)
                wanted = range(1, wave.replicates_at_start + 1)
                if wave.replicates_at_start and not set(wanted) <= set(
                        wave.sample.released_replicates):
                    replicates_release(sample=wave.sample, replicates=wanted, user=user)
            wave.status = Wave.Status.IN_FIELD
            wave.save(update_fields=["status"])
            wave_cases_sync(wave=wave)
    except SelectionError as exc:
        raise FieldworkError(f"Wave '{wave}': the sample's replicates could not be released "
                             f"({exc}).", code="release_failed", fields={"wave": wave.pk}) from exc
    return wave


def _check_can_open(wave: Wave, *, today: date) -> None:
    if wave.ends_on is not None and wave.ends_on < today:
        raise FieldworkConflict(
            f"Wave '{wave}' was due to end on {day(wave.ends_on)}, which has passed: extend "
            "its end date before opening it.", code="wave_end_passed",
            fields={"wave": wave.pk, "field": "ends_on"})


def wave_close(*, wave: Wave) -> Wave:
    """Close a wave: every open case gets its final disposition from its attempts.

    An interview still in progress becomes a partial; a case with an unfinished interview
    with answers and no final outcome ends as 1.2.
    """
    with transaction.atomic():
        wave = lock_row(Wave, wave.pk)
        if wave.status == Wave.Status.CLOSED:
            return wave
        open_cases = list(Case.objects.filter(wave=wave).exclude(status=Case.Status.FINAL)
                          .prefetch_related("attempts"))
        # running, or stopped for now (a partial or an appointment): answers make it a 1.2
        started = Interview.objects.filter(case__wave=wave, status__in=UNFINISHED_INTERVIEW)
        partial = {i.case_id for i in started.only("case_id", "answers") if i.answers}
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
