"""The review of completed interviews: approve, reject with comments, escalate.

A completed interview of a wave under review is "completed" (awaiting the agency's
supervisor); the supervisor approves it ("approved", or "agency_approved" when the wave
also asks a MOPAC analyst) or rejects it back to an interviewer of the agency ("rejected");
the interviewer amends it (survey.services.review_amend) and resubmits it ("completed"
again). Every step is a ReviewEvent (append-only) and an entry in the audit log; the
interview's `review_status` caches the last one. Each transition locks the case, then the
interview (as the interview services do), before reading the status: of two reviewers
acting at once, the second finds the interview already moved on and gets a 409.

Only interviews approved at the wave's last level count as completes
(survey.selectors.review.counted_completes).
"""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEvent, User
from accounts.permissions import has_role
from accounts.roles import ANALYSTS, INTERVIEWERS, SUPERVISORS, Role
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import Case, Interview, ReviewComment, ReviewEvent, Wave
from survey.services.row_locks import lock_row, retry_when_locked

Status = Interview.Review
Action = ReviewEvent.Action
Level = ReviewEvent.Level
MAX_COMMENT = 2000
MAX_QUESTION_COMMENTS = 200
# The review status an interview waits in for each level, and who acts there.
AWAITING = {Status.COMPLETED: Level.AGENCY, Status.AGENCY_APPROVED: Level.MOPAC}


class ReviewNotAllowed(FieldworkError):
    """The user may not take this review step (wrong role, level or agency): 403."""

    http_status = 403
    default_code = "review_not_allowed"


def review_on_complete(*, interview: Interview, user: User, now: datetime) -> None:
    """Called by interview_complete inside its transaction (the interview locked): a wave
    under review puts the interview in the supervisor's queue."""
    if interview.case.wave.review_levels == Wave.Review.NONE:
        return
    review_move(interview, Action.COMPLETED, Status.COMPLETED, by=user, now=now)


def lock_interview(interview: Interview) -> Interview:
    """The case, then the interview, locked (the interview services' order: no deadlock)."""
    lock_row(Case, interview.case_id)
    return Interview.objects.select_related("case__wave").get(
        pk=lock_row(Interview, interview.pk).pk)


def review_move(interview: Interview, action: str, status: str, *, by: User, now: datetime,
          level: str = "", comment: str = "", returned_to: User | None = None
          ) -> ReviewEvent:
    interview.review_status, interview.returned_to = status, returned_to
    interview.save(update_fields=["review_status", "returned_to"])
    event = ReviewEvent.objects.create(
        interview=interview, action=action, level=level, status_after=status, by=by,
        comment=comment, returned_to=returned_to, recorded_at=now)
    audit_record(action=AuditEvent.Action.CHANGED, user=by, obj=interview,
                 detail={"review": action, "level": level, "status": status,
                         "wave": interview.case.wave_id,
                         "returned_to": returned_to.get_username() if returned_to else None})
    return event


def bounded_text(value: str, field: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise FieldworkError(f"{field}: say why (a comment is required).",
                             code="comment_required", fields={"field": field})
    if len(text) > MAX_COMMENT:
        raise FieldworkError(f"{field}: at most {MAX_COMMENT} characters (this has "
                             f"{len(text)}).", code="comment_too_long", fields={"field": field})
    return text


def _check_complete(interview: Interview) -> None:
    if interview.status != Interview.Status.COMPLETE:
        raise FieldworkConflict(
            f"Interview {interview.pk} is not completed: only completed interviews are "
            "reviewed.", code="interview_not_complete", fields={"interview": interview.pk})


def review_level(interview: Interview) -> str:
    """The level the interview awaits ('agency' or 'mopac'), or '' when it awaits none."""
    return AWAITING.get(interview.review_status, "")


def may_review(user: User, wave: Wave, level: str) -> bool:
    """Agency level: a supervisor of the wave's agency (or an admin); MOPAC level: an
    analyst or admin."""
    if level == Level.AGENCY:
        return has_role(user, *SUPERVISORS) and (
            has_role(user, Role.ADMIN) or user.agency_id == wave.agency_id)
    if level == Level.MOPAC:
        return has_role(user, *ANALYSTS)
    return False


def _awaiting_level(interview: Interview, by: User) -> str:
    _check_complete(interview)
    level = review_level(interview)
    if not level:
        raise FieldworkConflict(
            f"Interview {interview.pk} is not awaiting review (it is "
            f"{Status(interview.review_status).label.lower()}).",
            code="not_awaiting_review",
            fields={"interview": interview.pk, "review_status": interview.review_status})
    if not may_review(by, interview.case.wave, level):
        raise ReviewNotAllowed(
            f"Interview {interview.pk} awaits the {Level(level).label.lower()}: your role "
            "or agency does not review it at this level.", fields={"interview": interview.pk})
    return level


@retry_when_locked
def review_approve(*, interview: Interview, by: User, comment: str = "",
                   now: datetime | None = None) -> Interview:
    """Approve at the level the interview awaits: the wave's last level makes it count."""
    now = now or timezone.now()
    comment = bounded_text(comment, "comment", required=False)
    with transaction.atomic():
        interview = lock_interview(interview)
        level = _awaiting_level(interview, by)
        wave = interview.case.wave
        last = level == Level.MOPAC or wave.review_levels != Wave.Review.AGENCY_MOPAC
        status = Status.APPROVED if last else Status.AGENCY_APPROVED
        review_move(interview, Action.APPROVED, status, by=by, now=now, level=level,
              comment=comment)
    return interview


def _check_returnee(user: User, wave: Wave) -> None:
    if (not user.is_active or not has_role(user, *INTERVIEWERS)
            or user.agency_id != wave.agency_id):
        raise FieldworkError(
            f"return_to: '{user.get_username()}' is not an active interviewer of "
            f"{wave.agency}, the wave's agency.", code="not_an_interviewer_of_agency",
            fields={"field": "return_to", "value": user.pk})


def _question_comments(interview: Interview, comments: Mapping[str, str]) -> dict[str, str]:
    if len(comments) > MAX_QUESTION_COMMENTS:
        raise FieldworkError(f"question comments: at most {MAX_QUESTION_COMMENTS}.",
                             code="too_many_comments", fields={"field": "questions"})
    kept: dict[str, str] = {}
    for path, text in comments.items():
        text = bounded_text(text, f"comment on {path}", required=False)
        if not text:
            continue
        if path not in interview.answers:
            raise FieldworkError(
                f"'{path}' is not a question answered in interview {interview.pk}.",
                code="unknown_question", fields={"field": "questions", "value": path})
        kept[path] = text
    return kept


@retry_when_locked
def review_reject(*, interview: Interview, by: User, comment: str,
                  question_comments: Mapping[str, str] | None = None,
                  return_to: User | None = None, now: datetime | None = None) -> ReviewEvent:
    """Reject at the level the interview awaits, back to its interviewer or `return_to`
    (an active interviewer of the wave's agency). A comment is required; comments on
    questions (by path, answered questions only) are optional."""
    now = now or timezone.now()
    comment = bounded_text(comment, "comment", required=True)
    with transaction.atomic():
        interview = lock_interview(interview)
        level = _awaiting_level(interview, by)
        wave = interview.case.wave
        returnee = return_to or User.objects.get(pk=interview.interviewer_id)
        _check_returnee(returnee, wave)
        on_questions = _question_comments(interview, question_comments or {})
        event = review_move(interview, Action.REJECTED, Status.REJECTED, by=by, now=now,
                      level=level, comment=comment, returned_to=returnee)
        ReviewComment.objects.bulk_create(
            ReviewComment(event=event, path=path, text=text)
            for path, text in on_questions.items())
    return event


@retry_when_locked
def escalate_to_review(interview: Interview, *, by: User, reason: str,
                       now: datetime) -> None:
    """Put a completed interview (even an approved one) back to the first review level,
    awaiting the agency's supervisor, with a history entry carrying the reason (e.g. a
    back-check's discrepancy). It stops counting as a complete until approved again."""
    reason = bounded_text(reason, "reason", required=True)
    with transaction.atomic():
        interview = lock_interview(interview)
        _check_complete(interview)
        review_move(interview, Action.ESCALATED, Status.COMPLETED, by=by, now=now, comment=reason)
