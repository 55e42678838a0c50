"""Read side of the review: which completes count, the review queues, an interview's
answers with the reviewers' comments, and the interviewer's "sent back" list.

A completed interview counts as a complete (targets, response rates, weighting) unless it
is in review: completed awaiting the supervisor, approved by the supervisor awaiting MOPAC,
or rejected. While in review its case's disposition counts as 1.2 (partial: an eligible
case whose interview is not accepted yet), so it stays in the rates' denominators.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.permissions import has_role, scope_to_agency
from accounts.roles import ANALYSTS, SUPERVISORS
from survey.models import Interview, ReviewComment, ReviewEvent, Wave

Status = Interview.Review
IN_REVIEW = (Status.COMPLETED, Status.AGENCY_APPROVED, Status.REJECTED)
AWAITING_REVIEW_CODE = "1.2"
QUEUE_LIMIT = 500


def counted_complete(prefix: str = "") -> Q:
    """Cases (or `prefix` + case fields) that count as completes: final code 1.1 and the
    interview not in review."""
    return (Q(**{f"{prefix}final_code": "1.1"})
            & ~Q(**{f"{prefix}interview__review_status__in": IN_REVIEW}))


def in_review_case_ids(wave: Wave) -> set[int]:
    """The wave's completed cases whose interview is still in review (not counted)."""
    return set(Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE,
                                        review_status__in=IN_REVIEW)
               .values_list("case_id", flat=True))


def counted_code(case_id: int, code: str, in_review: set[int]) -> str:
    """A case's disposition as the rates count it: a complete in review is 1.2."""
    return AWAITING_REVIEW_CODE if code == "1.1" and case_id in in_review else code


@dataclass(frozen=True)
class ReviewCounts:
    completed: int  # every completed interview (1.1)
    approved: int  # those counting as completes (approved at the last level, or no review)
    awaiting_agency: int
    awaiting_mopac: int
    rejected: int


def review_counts(*, wave: Wave) -> ReviewCounts:
    done = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE)
    by = dict(done.values_list("review_status").annotate(n=Count("pk")).values_list(
        "review_status", "n"))
    total = sum(by.values())
    return ReviewCounts(
        completed=total, approved=total - sum(by.get(s, 0) for s in IN_REVIEW),
        awaiting_agency=by.get(Status.COMPLETED, 0),
        awaiting_mopac=by.get(Status.AGENCY_APPROVED, 0), rejected=by.get(Status.REJECTED, 0))


def reviewable_interviews(*, user) -> QuerySet[Interview]:
    """Completed interviews of the waves the user may see (scoped by agency)."""
    interviews = Interview.objects.filter(status=Interview.Status.COMPLETE).select_related(
        "case__wave__agency", "interviewer", "returned_to").defer(
        "version__definition", "version__summary", "version__workbook")
    return scope_to_agency(interviews, user, agency_field="case__wave__agency")


def levels_of(user) -> list[str]:
    """The review statuses the user acts on: supervisors the first, analysts the second."""
    statuses = []
    if has_role(user, *SUPERVISORS):
        statuses.append(Status.COMPLETED)
    if has_role(user, *ANALYSTS):
        statuses.append(Status.AGENCY_APPROVED)
    return statuses


def review_queue(*, user, wave: Wave, status: str | None = None) -> QuerySet[Interview]:
    """The wave's interviews awaiting this user's review (or in `status`), oldest first."""
    interviews = reviewable_interviews(user=user).filter(case__wave=wave)
    statuses = [status] if status else levels_of(user)
    return interviews.filter(review_status__in=statuses).order_by("completed_at", "pk")[
        :QUEUE_LIMIT]


def interview_for_review(*, user, interview_id: int) -> Interview | None:
    return reviewable_interviews(user=user).filter(pk=interview_id).first()


def sent_back(*, user) -> QuerySet[Interview]:
    """The rejected interviews sent back to this interviewer, to amend."""
    return (Interview.objects.filter(review_status=Status.REJECTED, returned_to=user)
            .select_related("case__wave").order_by("pk"))


def history(*, interview: Interview) -> list[ReviewEvent]:
    return list(ReviewEvent.objects.filter(interview=interview).select_related(
        "by", "returned_to").prefetch_related("comments").order_by("recorded_at", "pk"))


def open_comments(*, interview: Interview) -> dict[str, str]:
    """The comments on questions of the last rejection (path -> comment)."""
    last = (ReviewEvent.objects.filter(interview=interview, action=ReviewEvent.Action.REJECTED)
            .order_by("-recorded_at", "-pk").first())
    if last is None:
        return {}
    return dict(ReviewComment.objects.filter(event=last).values_list("path", "text"))
