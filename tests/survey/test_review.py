"""The review workflow's services: every status transition, who may make it, the history."""

from datetime import timedelta

import pytest

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import Interview, ReviewEvent, Wave
from survey.services.review import (
    ReviewNotAllowed,
    escalate_to_review,
    review_approve,
    review_reject,
)
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, complete_case, take_case, wave_in_field

Status = Interview.Review
LATER = OPEN_NOW + timedelta(hours=1)


def reviewed_wave(agency, levels: str = Wave.Review.AGENCY_MOPAC) -> Wave:
    wave = wave_in_field(agency, n_per_stratum=1)
    Wave.objects.filter(pk=wave.pk).update(review_levels=levels)
    wave.refresh_from_db()
    return wave


def completed(wave: Wave, interviewer) -> Interview:
    case = take_case(wave, interviewer)
    return complete_case(case, interviewer).interview


def history(interview: Interview) -> list[tuple[str, str, str]]:
    return list(ReviewEvent.objects.filter(interview=interview).order_by("pk")
                .values_list("action", "level", "status_after"))


@pytest.fixture
def reviewed(agency, users):
    wave = reviewed_wave(agency)
    return wave, completed(wave, users[Role.INTERVIEWER])


@pytest.mark.django_db
def test_a_wave_without_review_leaves_completes_out_of_review(agency, users):
    wave = reviewed_wave(agency, Wave.Review.NONE)
    interview = completed(wave, users[Role.INTERVIEWER])
    assert interview.review_status == Status.NOT_IN_REVIEW
    assert not ReviewEvent.objects.exists()


@pytest.mark.django_db
def test_completed_then_approved_by_supervisor_then_by_analyst(reviewed, users):
    wave, interview = reviewed
    assert interview.review_status == Status.COMPLETED
    review_approve(interview=interview, by=users[Role.SUPERVISOR], now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.AGENCY_APPROVED
    with pytest.raises(ReviewNotAllowed):
        review_approve(interview=interview, by=users[Role.SUPERVISOR], now=LATER)
    review_approve(interview=interview, by=users[Role.ANALYST], comment="Fine", now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.APPROVED
    assert history(interview) == [("completed", "", "completed"),
                                  ("approved", "agency", "agency_approved"),
                                  ("approved", "mopac", "approved")]
    with pytest.raises(FieldworkConflict) as caught:
        review_approve(interview=interview, by=users[Role.ANALYST], now=LATER)
    assert caught.value.code == "not_awaiting_review"
    assert AuditEvent.objects.filter(detail__review="approved").count() == 2


@pytest.mark.django_db
def test_agency_review_only_makes_the_supervisor_the_last_level(agency, users):
    wave = reviewed_wave(agency, Wave.Review.AGENCY)
    interview = completed(wave, users[Role.INTERVIEWER])
    review_approve(interview=interview, by=users[Role.SUPERVISOR], now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.APPROVED


@pytest.mark.django_db
def test_who_may_act_at_each_level(reviewed, users, other_agency):
    wave, interview = reviewed
    outsider = make_user(Role.SUPERVISOR, other_agency)
    for user in (users[Role.INTERVIEWER], users[Role.ANALYST], outsider):
        with pytest.raises(ReviewNotAllowed):
            review_approve(interview=interview, by=user, now=LATER)
        with pytest.raises(ReviewNotAllowed):
            review_reject(interview=interview, by=user, comment="No", now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.COMPLETED


@pytest.mark.django_db
def test_reject_needs_a_comment_and_returns_to_the_interviewer(reviewed, users):
    wave, interview = reviewed
    supervisor = users[Role.SUPERVISOR]
    with pytest.raises(FieldworkError) as caught:
        review_reject(interview=interview, by=supervisor, comment="  ", now=LATER)
    assert caught.value.code == "comment_required"
    with pytest.raises(FieldworkError) as caught:
        review_reject(interview=interview, by=supervisor, comment="Check",
                      question_comments={"nope": "x"}, now=LATER)
    assert caught.value.code == "unknown_question"
    event = review_reject(interview=interview, by=supervisor, comment="Check trading",
                          question_comments={"trading": "Really not trading?", "victim": ""},
                          now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.REJECTED
    assert interview.returned_to == users[Role.INTERVIEWER]
    assert [(c.path, c.text) for c in event.comments.all()] == [
        ("trading", "Really not trading?")]
    assert event.comment == "Check trading" and event.level == "agency"


@pytest.mark.django_db
def test_reject_to_another_interviewer_of_the_agency_only(reviewed, users, other_agency):
    wave, interview = reviewed
    supervisor = users[Role.SUPERVISOR]
    colleague = make_user(Role.INTERVIEWER, wave.agency, username="colleague")
    for wrong in (make_user(Role.INTERVIEWER, other_agency, username="elsewhere"),
                  make_user(Role.INTERVIEWER, wave.agency, username="gone", is_active=False),
                  users[Role.ANALYST]):
        with pytest.raises(FieldworkError) as caught:
            review_reject(interview=interview, by=supervisor, comment="x", return_to=wrong,
                          now=LATER)
        assert caught.value.code == "not_an_interviewer_of_agency"
    review_reject(interview=interview, by=supervisor, comment="x", return_to=colleague,
                  now=LATER)
    interview.refresh_from_db()
    assert interview.returned_to == colleague


@pytest.mark.django_db
def test_escalate_puts_even_an_approved_interview_back_to_the_supervisor(reviewed, users):
    wave, interview = reviewed
    review_approve(interview=interview, by=users[Role.SUPERVISOR], now=LATER)
    review_approve(interview=interview, by=users[Role.ANALYST], now=LATER)
    with pytest.raises(FieldworkError) as caught:
        escalate_to_review(interview, by=users[Role.SUPERVISOR], reason="", now=LATER)
    assert caught.value.code == "comment_required"
    escalate_to_review(interview, by=users[Role.SUPERVISOR],
                       reason="Back-check: the respondent says no interview", now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.COMPLETED
    last = ReviewEvent.objects.filter(interview=interview).last()
    assert (last.action, last.comment) == ("escalated",
                                           "Back-check: the respondent says no interview")
    assert ReviewEvent.objects.filter(interview=interview).count() == 4


@pytest.mark.django_db
def test_escalate_works_on_a_wave_without_review(agency, users):
    wave = reviewed_wave(agency, Wave.Review.NONE)
    interview = completed(wave, users[Role.INTERVIEWER])
    escalate_to_review(interview, by=users[Role.SUPERVISOR], reason="Discrepancy", now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.COMPLETED
    review_approve(interview=interview, by=users[Role.SUPERVISOR], now=LATER)
    interview.refresh_from_db()
    assert interview.review_status == Status.APPROVED


@pytest.mark.django_db
def test_every_step_is_in_the_audit_log(reviewed, users):
    wave, interview = reviewed
    review_reject(interview=interview, by=users[Role.SUPERVISOR], comment="x", now=LATER)
    escalate_to_review(interview, by=users[Role.SUPERVISOR], reason="Back-check", now=LATER)
    steps = list(AuditEvent.objects.filter(object_type="survey.Interview",
                                           object_id=str(interview.pk))
                 .order_by("pk").values_list("detail__review", "user"))
    assert steps == [("completed", users[Role.INTERVIEWER].pk),
                     ("rejected", users[Role.SUPERVISOR].pk),
                     ("escalated", users[Role.SUPERVISOR].pk)]
    rejected = AuditEvent.objects.get(detail__review="rejected")
    assert rejected.detail["returned_to"] == users[Role.INTERVIEWER].username
