"""A rejected interview's amendments and resubmission, by the interviewer it went back to.

Each change is an AnswerEvent as in the live interview (survey.services.interviews), with
the reason the interviewer gives, and an entry in the audit log; answers the new route no
longer reaches are dropped, and questions it now reaches must be answered before the
interview can be resubmitted. Resubmitting puts it back in the supervisor's queue.
"""

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEvent, User
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import AnswerEvent, Interview
from survey.services.interviews import (
    ANSWER_KINDS,
    answer_record,
    answer_retry_check,
    interview_session,
    request_hash,
)
from survey.services.review import (
    Action,
    ReviewNotAllowed,
    Status,
    bounded_text,
    lock_interview,
    review_move,
)
from survey.services.row_locks import retry_when_locked


def _check_returned_to(interview: Interview, user: User) -> None:
    if interview.review_status != Status.REJECTED:
        raise FieldworkConflict(
            f"Interview {interview.pk} is not sent back for amendment (it is "
            f"{Status(interview.review_status).label.lower()}).", code="not_rejected",
            fields={"interview": interview.pk})
    if interview.returned_to_id != user.pk:
        raise ReviewNotAllowed(f"Interview {interview.pk} was sent back to another "
                               "interviewer.", fields={"interview": interview.pk})


@retry_when_locked
def review_amend(*, interview: Interview, user: User, event_id: uuid.UUID, path: str,
                 reason: str, kind: str = AnswerEvent.Kind.ANSWER, value: object = None,
                 now: datetime | None = None) -> AnswerEvent:
    """Change one answer of a rejected interview, saying why. A retry with the same event
    id returns the saved event."""
    if kind not in ANSWER_KINDS:
        raise FieldworkError(f"kind: '{kind}' is not one of {', '.join(ANSWER_KINDS)}",
                             code="invalid_kind", fields={"field": "kind", "value": kind})
    reason = bounded_text(reason, "reason", required=True)
    fingerprint = request_hash(path, kind, value)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _amend(interview, user, event_id, path, kind, value, reason, fingerprint,
                          now)
    except IntegrityError:
        existing = AnswerEvent.objects.filter(event_id=event_id).first()
        if existing is None:
            raise
        return _same(existing, interview, fingerprint)


def _same(existing: AnswerEvent, interview: Interview, fingerprint: str) -> AnswerEvent:
    answer_retry_check(existing, interview, fingerprint)
    return existing


def _amend(interview: Interview, user: User, event_id: uuid.UUID, path: str, kind: str,
           value: object, reason: str, fingerprint: str, now: datetime) -> AnswerEvent:
    interview = lock_interview(interview)
    existing = AnswerEvent.objects.filter(event_id=event_id).first()
    if existing is not None:
        return _same(existing, interview, fingerprint)
    _check_returned_to(interview, user)
    session = interview_session(interview)
    session.cursor = None
    event = answer_record(interview=interview, session=session, user=user, event_id=event_id,
                          path=path, kind=kind, value=value, fingerprint=fingerprint, now=now,
                          reason=reason)
    if interview.cursor:  # amendments are made question by question, never from a cursor
        interview.cursor = ""
        interview.save(update_fields=["cursor"])
    audit_record(action=AuditEvent.Action.CHANGED, user=user, obj=interview,
                 detail={"review": "amended", "path": path, "kind": kind,
                         "event_id": str(event_id), "wave": interview.case.wave_id})
    return event


@retry_when_locked
def review_resubmit(*, interview: Interview, by: User, now: datetime | None = None
                    ) -> Interview:
    """Send the amended interview back to the supervisor; every question on its route must
    be answered."""
    now = now or timezone.now()
    with transaction.atomic():
        interview = lock_interview(interview)
        _check_returned_to(interview, by)
        session = interview_session(interview)
        session.cursor = None
        prompt = session.current()
        if prompt is not None:
            raise FieldworkError(
                f"Question '{prompt.path}' still needs an answer before the interview can "
                "be resubmitted.", code="interview_incomplete",
                fields={"interview": interview.pk, "path": prompt.path})
        review_move(interview, Action.RESUBMITTED, Status.COMPLETED, by=by, now=now)
    return interview
