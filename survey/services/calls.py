"""Services for dials: record a call outcome, make an appointment.

While the case's interview is open, the only outcomes recorded are those that close it: a
break-off (for good), a partial or an appointment (for now; it resumes where it stopped).

Every dial is an append-only CallAttempt, idempotent by the client's event id: a retry
returns the first result and creates nothing. The case's status, next call time and final
AAPOR code follow from its attempts.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from survey.aapor import DISPOSITIONS, OUTCOMES, Outcome, final_disposition
from survey.errors import FieldworkConflict, FieldworkError, event_conflict
from survey.models import Appointment, CallAttempt, Case, Interview
from survey.services.row_locks import lock_row, retry_when_locked
from survey.services.scheduling import (
    BusinessHours,
    is_open,
    moment_in_words,
    next_call_time,
)

# Outcomes that other services record: completing an interview, making an appointment.
_RECORDED_ELSEWHERE = {
    "complete": "complete the interview (POST interviews/{id}/complete/) to record 1.1",
    "appointment": "make an appointment (POST cases/{id}/appointments/) to record it",
}
_INTERVIEW_STATUS = {"partial": Interview.Status.PARTIAL,
                     "appointment": Interview.Status.PARTIAL,
                     "break_off": Interview.Status.BROKEN_OFF}
# The only outcomes recorded while the case's interview is open: each closes it (a break-off
# for good; a partial or an appointment for now: it resumes at the same question), and the
# interview's own completion (1.1). Any other outcome would leave it open on a moved case.
WHILE_INTERVIEWING = {"break_off", "partial", "appointment", "complete"}


@dataclass(frozen=True)
class CallRecorded:
    attempt: CallAttempt
    case: Case
    created: bool  # False when the event id had been recorded before (a retry)


def call_attempt_record(
    *, case: Case, user, outcome: str, event_id: uuid.UUID, notes: str = "",
    called_at: datetime | None = None,
) -> CallRecorded:
    """Record one dial's outcome on a case the interviewer holds, and release the case."""
    if outcome in _RECORDED_ELSEWHERE:
        raise FieldworkError(f"outcome '{outcome}': {_RECORDED_ELSEWHERE[outcome]}",
                             code="outcome_recorded_elsewhere",
                             fields={"field": "outcome", "value": outcome})
    return outcome_record(case=case, user=user, outcome=outcome, event_id=event_id,
                          notes=notes, called_at=called_at)


def appointment_make(
    *, case: Case, user, due_at: datetime, event_id: uuid.UUID, ask_for: str = "",
    notes: str = "", now: datetime | None = None,
) -> CallRecorded:
    """Record an 'appointment' call outcome with the time to call back and whom to ask for."""
    now = now or timezone.now()
    wave = case.wave
    hours = BusinessHours.from_dict(wave.business_hours, wave.timezone)
    existing = CallAttempt.objects.filter(event_id=event_id).first()
    if existing is None:
        _check_appointment_time(due_at, now, hours)
    return outcome_record(case=case, user=user, outcome="appointment", event_id=event_id,
                          notes=notes, called_at=now,
                          appointment={"due_at": due_at, "ask_for": ask_for})


def _check_appointment_time(due_at: datetime, now: datetime, hours: BusinessHours) -> None:
    when = moment_in_words(due_at, hours.tz, now=now)
    if due_at <= now:
        raise FieldworkError(
            f"The appointment must be in the future: {when} has already passed (it is now "
            f"{moment_in_words(now, hours.tz, now=now)}).", code="appointment_in_past",
            fields={"field": "due_at", "value": due_at.isoformat()})
    if not is_open(hours, due_at):
        raise FieldworkError(
            f"{when} is outside the wave's calling hours ({hours.in_words()}); choose a time "
            "within them.", code="appointment_outside_hours",
            fields={"field": "due_at", "value": due_at.isoformat()})


@retry_when_locked
def outcome_record(
    *, case: Case, user, outcome: str, event_id: uuid.UUID, notes: str = "",
    called_at: datetime | None = None, appointment: dict | None = None,
) -> CallRecorded:
    """Record any outcome (services' entry point; interviewers use call_attempt_record)."""
    found = OUTCOMES.get(outcome)
    if found is None:
        raise FieldworkError(
            f"outcome: '{outcome}' is not a call outcome; use one of {', '.join(OUTCOMES)}",
            code="unknown_outcome", fields={"field": "outcome", "value": outcome})
    called_at = called_at or timezone.now()
    try:
        with transaction.atomic():
            return _record(case.pk, user, found, event_id, notes, called_at, appointment)
    except IntegrityError:
        # The same event id raced in through another case's lock: answer as a retry would.
        existing = CallAttempt.objects.filter(event_id=event_id).first()
        if existing is None:
            raise
        _check_same(existing, case.pk, found, notes, appointment)
        return CallRecorded(existing, Case.objects.get(pk=existing.case_id), False)


def _record(case_pk: int, user, outcome: Outcome, event_id, notes: str, called_at: datetime,
            appointment: dict | None) -> CallRecorded:
    case = lock_row(Case, case_pk)
    existing = CallAttempt.objects.filter(event_id=event_id).first()
    if existing is not None:
        _check_same(existing, case_pk, outcome, notes, appointment)
        return CallRecorded(existing, case, False)
    _check_can_call(case, user, outcome)
    attempt = CallAttempt.objects.create(
        event_id=event_id, case=case, interviewer=user, outcome=outcome.key,
        code=outcome.code, notes=notes, called_at=called_at)
    due_at = None
    if appointment is not None:
        Appointment.objects.create(case=case, call_attempt=attempt, created_by=user,
                                   due_at=appointment["due_at"],
                                   ask_for=appointment.get("ask_for", ""))
        due_at = appointment["due_at"]
    _apply(case, outcome, called_at, due_at)
    if outcome.key in _INTERVIEW_STATUS:
        Interview.objects.filter(case=case, status=Interview.Status.IN_PROGRESS).update(
            status=_INTERVIEW_STATUS[outcome.key])
    return CallRecorded(attempt, case, True)


def _check_same(existing: CallAttempt, case_pk: int, outcome: Outcome, notes: str,
                appointment: dict | None) -> None:
    same = (existing.case_id == case_pk and existing.outcome == outcome.key
            and existing.notes == notes)
    if same and appointment is not None:
        made = Appointment.objects.filter(call_attempt=existing).first()
        same = (made is not None and made.due_at == appointment["due_at"]
                and made.ask_for == appointment.get("ask_for", ""))
    if not same:
        raise event_conflict(existing.event_id, "call outcome")


def _check_can_call(case: Case, user, outcome: Outcome) -> None:
    if case.status in (Case.Status.FINAL, Case.Status.CLOSED):
        label = DISPOSITIONS.get(case.final_code)
        raise FieldworkConflict(
            f"Case {case.pk} is already finished (final code {case.final_code}"
            f"{f' {label.label}' if label else ''}): no more calls are recorded on it.",
            code="case_final", fields={"case": case.pk})
    if case.assigned_to_id != user.pk:
        raise FieldworkConflict(
            f"Case {case.pk} is not held by you (it may have been reassigned, or your claim "
            "lapsed): take your next case from the Interviewing page.",
            code="case_not_held", fields={"case": case.pk})
    if outcome.key not in WHILE_INTERVIEWING and Interview.objects.filter(
            case=case, status=Interview.Status.IN_PROGRESS).exists():
        raise FieldworkConflict(
            f"Case {case.pk} has an interview in progress, so '{outcome.label}' cannot be "
            "recorded. Go back to the interview to carry on; if the respondent has stopped, "
            "record a break-off (they will not go on), or a partial interview or an "
            "appointment (to finish it later).", code="interview_open",
            fields={"case": case.pk, "field": "outcome", "value": outcome.key})


def _apply(case: Case, outcome: Outcome, called_at: datetime, due_at: datetime | None) -> None:
    """Move the case on after an attempt and release it for the queue."""
    wave = case.wave
    case.attempt_count += 1
    case.last_code = outcome.code
    case.assigned_to = case.assigned_at = None
    if outcome.final:
        case.status, case.final_code, case.next_call_at = Case.Status.FINAL, outcome.code, None
    elif case.attempt_count >= wave.max_attempts:
        codes = list(case.attempts.values_list("code", flat=True))
        case.status, case.final_code = Case.Status.FINAL, final_disposition(codes)
        case.next_call_at = None
    elif due_at is not None:
        case.status, case.next_call_at = Case.Status.APPOINTMENT, due_at
    else:
        hours = BusinessHours.from_dict(wave.business_hours, wave.timezone)
        case.status = Case.Status.CALLBACK
        case.next_call_at = (next_call_time(outcome, called_at, hours, wave.retry_gaps)
                             or called_at)
    case.save(update_fields=["attempt_count", "last_code", "assigned_to", "assigned_at",
                             "status", "final_code", "next_call_at"])
