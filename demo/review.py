"""The demo's review of its simulated wave: the agency's supervisor rejects one interview
with a comment on one of its questions, its interviewer amends that answer (saying why) and
resubmits it, and then the supervisor and a MOPAC analyst approve every completed interview,
so that they count as completes for the weighting, except those a back-check found
discrepant: the supervisor holds them in review (they do not count)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max

from accounts.models import User
from questionnaires.engine import EngineError, Session
from questionnaires.selectors import version_definition
from survey.models import BackCheck, Interview
from survey.selectors.review_answers import answer_rows
from survey.services.review import review_approve, review_reject
from survey.services.review_amend import review_amend, review_resubmit

Status = Interview.Review
REVIEW_GAP = timedelta(hours=2)  # the review is done after the fieldwork day it follows


@dataclass(frozen=True)
class ReviewLog:
    approved: int
    rejected: int | None  # the interview sent back, amended and approved
    path: str
    before: str
    after: str
    held: int = 0  # back-check discrepancies left in review


def review_wave(wave, *, supervisor: User, analyst: User) -> ReviewLog:
    """Review every completed interview of the wave (oldest first), rejecting one."""
    everything = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE)
    done = everything.exclude(back_check__outcome=BackCheck.Outcome.DISCREPANCY)
    held = everything.filter(back_check__outcome=BackCheck.Outcome.DISCREPANCY).count()
    last = everything.aggregate(last=Max("completed_at"))["last"]
    if last is None:
        return ReviewLog(0, None, "", "", "", held)
    now = last + REVIEW_GAP
    sent_back = _reject_and_amend(done.filter(review_status=Status.COMPLETED)
                                  .order_by("completed_at", "pk"), supervisor, now)
    for level_status, reviewer in ((Status.COMPLETED, supervisor),
                                   (Status.AGENCY_APPROVED, analyst)):
        for interview in done.filter(review_status=level_status).order_by("pk"):
            review_approve(interview=interview, by=reviewer, now=now + timedelta(hours=1))
    approved = done.filter(review_status=Status.APPROVED).count()
    return ReviewLog(approved, *(sent_back or (None, "", "", "")), held=held)


def _reject_and_amend(awaiting, supervisor: User, now: datetime
                      ) -> tuple[int, str, str, str] | None:
    for interview in awaiting[:20]:
        change = _safe_change(interview)
        if change is None:
            continue
        path, before, value, after = change
        review_reject(interview=interview, by=supervisor,
                      comment="Please check one answer with the respondent.",
                      question_comments={path: f"'{before}' looks unlikely here: ask again."},
                      now=now)
        interview.refresh_from_db()
        review_amend(interview=interview, user=interview.returned_to, event_id=uuid.uuid4(),
                     path=path, value=value, now=now + timedelta(minutes=30),
                     reason="Called back: the respondent corrected the answer.")
        review_resubmit(interview=interview, by=interview.returned_to,
                        now=now + timedelta(minutes=35))
        return interview.pk, path, before, after
    return None


def _safe_change(interview: Interview) -> tuple[str, str, str, str] | None:
    """A closed question whose answer can change to another choice without re-routing
    (no question added or dropped): (path, shown before, new value, its label)."""
    definition = version_definition(interview.version)
    for row in answer_rows(interview=interview):
        if row.type != "select_one" or not isinstance(row.answer, str):
            continue
        for choice in row.prompt.choices:
            if choice.name != row.answer and _route_unchanged(definition, interview.answers,
                                                               row.path, choice.name):
                return row.path, row.shown, choice.name, choice.label
    return None


def _route_unchanged(definition, answers: dict, path: str, value: str) -> bool:
    session = Session(definition, answers, on_route=True)
    try:
        session.answer(value, path)
    except EngineError:
        return False
    session.cursor = None
    return session.current() is None and set(session.answers) == set(answers)
