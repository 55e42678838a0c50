"""Supervisors' services: release the next replicate, reassign or close a case, open or close
a wave. Each is one transaction and leaves an entry in the audit log (who, when, what).

Role and agency are checked by the views (accounts.permissions); these services check the
domain rules: the wave is open, the case is not final, the new interviewer works for the
wave's agency.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.permissions import has_role
from accounts.roles import Role
from sampling.core import SelectionError
from sampling.models import Sample
from sampling.services import replicates_release
from survey.aapor import final_disposition
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import Case, Interview, Wave
from survey.services.row_locks import lock_row, retry_when_locked
from survey.services.waves import UNFINISHED_INTERVIEW, wave_close, wave_open_field

FINISHED = (Case.Status.FINAL, Case.Status.CLOSED)


@dataclass(frozen=True)
class ReplicateReleased:
    wave: Wave
    replicate: int
    cases_added: int
    strata_missing: list[str]


def _audit(user, action: str, obj: Wave | Case, wave: Wave, **detail) -> None:
    audit_record(action=AuditEvent.Action.CHANGED, user=user, obj=obj,
                 detail={"supervision": action, "wave": wave.pk, **detail})


def _check_open(wave: Wave) -> None:
    if wave.status == Wave.Status.CLOSED:
        raise FieldworkConflict(f"wave '{wave}' is closed", code="wave_closed",
                                fields={"wave": wave.pk})


@retry_when_locked
def wave_replicate_release_next(*, wave: Wave, user) -> ReplicateReleased:
    """Release the lowest replicate of the wave's sample not yet released.

    The sample sends `replicates_released`, whose receiver adds the new cases to every open
    wave on that sample; all in one transaction with the release. The wave's row lock makes
    two clicks at once release two replicates one after the other, not the same one twice.
    """
    try:
        with transaction.atomic():
            wave = lock_row(Wave, wave.pk)
            _check_open(wave)
            # the sample's row before its released replicates are read (an analyst may be
            # releasing on the sampling page at the same moment); wave, then sample
            wave.sample = lock_row(Sample, wave.sample_id)
            replicate = _next_replicate(wave)
            before = Case.objects.filter(wave=wave).count()
            missing = replicates_release(sample=wave.sample, replicates=[replicate], user=user)
            added = Case.objects.filter(wave=wave).count() - before
            _audit(user, "replicate_release", wave, wave, replicate=replicate,
                   cases_added=added)
    except SelectionError as exc:
        raise FieldworkError(f"wave '{wave}': {exc}", code="release_failed",
                             fields={"wave": wave.pk}) from exc
    return ReplicateReleased(wave, replicate, added, missing)


def _next_replicate(wave: Wave) -> int:
    sample = wave.sample
    drawn = set(sample.businesses.values_list("replicate", flat=True).distinct())
    waiting = sorted(drawn - set(sample.released_replicates))
    if not waiting:
        raise FieldworkConflict(
            f"every replicate of the sample of wave '{wave}' is already released "
            f"({', '.join(map(str, sorted(drawn)))})", code="no_replicate_left",
            fields={"wave": wave.pk})
    return waiting[0]


@dataclass(frozen=True)
class CaseReassigned:
    case: Case
    claim_cleared: bool  # the previous holder lost the case (they were not interviewing)


@retry_when_locked
def case_reassign(*, case: Case, interviewer, user) -> CaseReassigned:
    """Reserve the case for `interviewer` (None: for anyone in the agency again).

    A claim by someone else is cleared unless they are in the middle of the interview; then
    the case goes to the new interviewer once the current call ends.
    """
    with transaction.atomic():
        case = lock_row(Case, case.pk)
        wave = case.wave
        _check_open(wave)
        _check_not_finished(case)
        if interviewer is not None:
            _check_interviewer(interviewer, wave)
        held_by_other = (interviewer is not None and case.assigned_to_id is not None
                         and case.assigned_to_id != interviewer.pk)
        cleared = held_by_other and case.status != Case.Status.IN_PROGRESS
        case.reserved_for = interviewer
        if cleared:
            case.assigned_to = case.assigned_at = None
        case.save(update_fields=["reserved_for", "assigned_to", "assigned_at"])
        _audit(user, "case_reassign", case, wave,
               interviewer=getattr(interviewer, "username", None), claim_cleared=cleared)
    return CaseReassigned(case, cleared)


def _check_not_finished(case: Case) -> None:
    if case.status in FINISHED:
        raise FieldworkConflict(
            f"case {case.pk} is {case.status} (final code {case.final_code})",
            code="case_final", fields={"case": case.pk})


def _check_interviewer(interviewer, wave: Wave) -> None:
    if not has_role(interviewer, Role.INTERVIEWER) or interviewer.agency_id != wave.agency_id:
        raise FieldworkError(
            f"interviewer: '{interviewer.get_username()}' is not an interviewer of "
            f"{wave.agency}, the wave's agency", code="not_an_interviewer_of_agency",
            fields={"field": "interviewer", "value": interviewer.pk})


@retry_when_locked
def case_close(*, case: Case, user) -> Case:
    """Close a case now: its final disposition follows from its attempts (an interview with
    answers still in progress ends as a partial, 1.2, as when the wave closes)."""
    with transaction.atomic():
        case = lock_row(Case, case.pk)
        wave = case.wave
        _check_open(wave)
        _check_not_finished(case)
        running = Interview.objects.filter(case=case, status__in=UNFINISHED_INTERVIEW)
        if any(interview.answers for interview in running.only("answers")):
            case.final_code = "1.2"
        else:
            case.final_code = final_disposition(case.attempts.values_list("code", flat=True))
        running.update(status=Interview.Status.PARTIAL)
        case.status = Case.Status.FINAL
        case.assigned_to = case.assigned_at = case.next_call_at = None
        case.save(update_fields=["final_code", "status", "assigned_to", "assigned_at",
                                 "next_call_at"])
        _audit(user, "case_close", case, wave, final_code=case.final_code)
    return case


def wave_open(*, wave: Wave, user) -> Wave:
    """Put the wave in the field (audited)."""
    with transaction.atomic():
        wave = wave_open_field(wave=wave, user=user)
        _audit(user, "wave_open", wave, wave)
    return wave


def wave_finish(*, wave: Wave, user) -> Wave:
    """Close the wave: every open case gets its final disposition (audited)."""
    with transaction.atomic():
        wave = wave_close(wave=wave)
        _audit(user, "wave_close", wave, wave)
    return wave
