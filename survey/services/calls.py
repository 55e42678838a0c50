"""Services for dials: record a call outcome, make an appointment.

Every dial is an append-only CallAttempt, idempotent by the client's event id: a retry
returns the first result and creates nothing. The case's status, next call time and final
AAPOR code follow from its attempts.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from survey.aapor import OUTCOMES, Outcome, final_disposition
from survey.errors import FieldworkConflict, FieldworkError, event_conflict
from survey.models import Appointment, CallAttempt, Case, Interview
from survey.services.row_locks import lock_row, retry_when_locked
from survey.services.scheduling import BusinessHours, is_open, next_call_time

# Outcomes that other services record: completing an interview, making an appointment.
_RECORDED_ELSEWHERE = {
    "complete": "complete the interview (POST interviews/{id}/complete/) to record 1.1",
    "appointment": "make an appointment (POST cases/{id}/appointments/) to record it",
}
_INTERVIEW_STATUS = {"partial": Interview.Status.PARTIAL,
                     "break_off": Interview.Status.BROKEN_OFF}


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
    if due_at <= now:
        raise FieldworkError(f"due_at: {due_at.isoformat()} is not in the future",
                             code="appointment_in_past",
                             fields={"field": "due_at", "value": due_at.isoformat()})
    if not is_open(hours, due_at):
        raise FieldworkError(
            f"due_at: {due_at.isoformat()} is outside the wave's calling hours "
            f"({hours.describe()})", code="appointment_outside_hours",
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
    _check_can_call(case, user)
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


def _check_can_call(case: Case, user) -> None:
    if case.status in (Case.Status.FINAL, Case.Status.CLOSED):
        raise FieldworkConflict(
            f"case {case.pk} is {case.status} (final code {case.final_code}); "
            "no more calls are recorded on it", code="case_final", fields={"case": case.pk})
    if case.assigned_to_id != user.pk:
        raise FieldworkConflict(
            f"case {case.pk} is not held by you; take it with next-case first",
            code="case_not_held", fields={"case": case.pk})


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
