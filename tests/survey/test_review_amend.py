"""A rejected interview's amendments (each an answer event with its reason, audited) and
its resubmission, by the interviewer it was sent back to."""

import uuid
from datetime import timedelta

import pytest

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import AnswerEvent, Interview, ReviewEvent
from survey.selectors.review import open_comments, sent_back
from survey.selectors.review_answers import answer_rows
from survey.services.review import ReviewNotAllowed, review_approve, review_reject
from survey.services.review_amend import review_amend, review_resubmit
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW
from tests.survey.test_review import completed, reviewed_wave

Status = Interview.Review
LATER = OPEN_NOW + timedelta(hours=2)


@pytest.fixture
def rejected(agency, users):
    wave = reviewed_wave(agency)
    interview = completed(wave, users[Role.INTERVIEWER])
    review_reject(interview=interview, by=users[Role.SUPERVISOR], comment="Check victim",
                  question_comments={"victim": "Ask again about this year"}, now=LATER)
    interview.refresh_from_db()
    return interview


def amend(interview, user, path="victim", value="1", reason="Respondent corrected", **kw):
    return review_amend(interview=interview, user=user, event_id=kw.pop("event_id", uuid.uuid4()),
                        path=path, value=value, reason=reason, now=LATER, **kw)


@pytest.mark.django_db
def test_the_interviewer_sees_it_sent_back_with_the_commented_question_first(rejected, users):
    assert list(sent_back(user=users[Role.INTERVIEWER])) == [rejected]
    assert list(sent_back(user=users[Role.SUPERVISOR])) == []
    comments = open_comments(interview=rejected)
    assert comments == {"victim": "Ask again about this year"}
    rows = answer_rows(interview=rejected, comments=comments)
    assert [r.path for r in rows] == ["victim", "trading"]
    assert rows[0].comment == "Ask again about this year" and rows[0].shown == "No"


@pytest.mark.django_db
def test_amendments_are_answer_events_with_their_reason_and_audited(rejected, users):
    interviewer = users[Role.INTERVIEWER]
    event_id = uuid.uuid4()
    event = amend(rejected, interviewer, event_id=event_id)
    assert (event.path, event.value, event.previous, event.reason) == (
        "victim", "1", "2", "Respondent corrected")
    again = amend(rejected, interviewer, event_id=event_id)  # a retry: nothing new
    assert again.pk == event.pk
    assert AnswerEvent.objects.filter(interview=rejected, reason="Respondent corrected"
                                      ).count() == 1
    rejected.refresh_from_db()
    assert rejected.answers["victim"] == "1" and rejected.status == Interview.Status.COMPLETE
    audit = AuditEvent.objects.get(detail__review="amended")
    assert audit.user == interviewer and audit.detail["path"] == "victim"
    with pytest.raises(FieldworkError) as caught:
        amend(rejected, interviewer, reason=" ")
    assert caught.value.code == "comment_required"


@pytest.mark.django_db
def test_only_the_interviewer_it_went_back_to_amends_or_resubmits(rejected, users, agency):
    colleague = make_user(Role.INTERVIEWER, agency, username="colleague")
    for user in (colleague, users[Role.SUPERVISOR]):
        with pytest.raises(ReviewNotAllowed):
            amend(rejected, user)
        with pytest.raises(ReviewNotAllowed):
            review_resubmit(interview=rejected, by=user, now=LATER)


@pytest.mark.django_db
def test_a_rerouted_question_must_be_answered_before_resubmitting(rejected, users):
    interviewer = users[Role.INTERVIEWER]
    amend(rejected, interviewer, path="trading", value="1", reason="It is trading")
    with pytest.raises(FieldworkError) as caught:
        review_resubmit(interview=rejected, by=interviewer, now=LATER)
    assert caught.value.code == "interview_incomplete" and "staff" in caught.value.message
    amend(rejected, interviewer, path="staff", value=3, reason="Newly asked")
    review_resubmit(interview=rejected, by=interviewer, now=LATER)
    rejected.refresh_from_db()
    assert rejected.review_status == Status.COMPLETED and rejected.returned_to is None
    with pytest.raises(FieldworkConflict):
        amend(rejected, interviewer)


@pytest.mark.django_db
def test_the_whole_history_stays(rejected, users):
    interviewer, supervisor = users[Role.INTERVIEWER], users[Role.SUPERVISOR]
    amend(rejected, interviewer)
    review_resubmit(interview=rejected, by=interviewer, now=LATER)
    review_approve(interview=rejected, by=supervisor, now=LATER)
    review_approve(interview=rejected, by=users[Role.ANALYST], now=LATER)
    actions = list(ReviewEvent.objects.filter(interview=rejected).values_list("action", "by"))
    assert actions == [("completed", interviewer.pk), ("rejected", supervisor.pk),
                       ("resubmitted", interviewer.pk), ("approved", supervisor.pk),
                       ("approved", users[Role.ANALYST].pk)]
    assert ReviewEvent.objects.get(action="rejected").comments.count() == 1
