"""Review pages and API: the queue, the review page with a comment box per question,
approve and reject, the interviewer's sent-back list and amend screen; roles and agencies."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from survey.models import AnswerEvent, Interview, ReviewEvent
from tests.factories import make_user
from tests.survey.test_review import completed, reviewed_wave

pytestmark = pytest.mark.django_db
Status = Interview.Review


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def done(agency, users):
    wave = reviewed_wave(agency)
    return wave, completed(wave, users[Role.INTERVIEWER])


def test_the_queue_lists_what_awaits_each_level(done, users):
    wave, interview = done
    page = client_for(users[Role.SUPERVISOR]).get(reverse("review-queue", args=[wave.pk]))
    assert page.status_code == 200
    assert reverse("review-interview", args=[interview.pk]) in page.text
    assert "<strong>1</strong> completed" in page.text
    analyst = client_for(users[Role.ANALYST]).get(reverse("review-queue", args=[wave.pk]))
    assert reverse("review-interview", args=[interview.pk]) not in analyst.text
    filtered = client_for(users[Role.ANALYST]).get(
        reverse("review-queue", args=[wave.pk]) + "?status=completed")
    assert reverse("review-interview", args=[interview.pk]) in filtered.text


def test_reject_on_the_page_with_a_question_comment_then_amend_and_approve(done, users):
    wave, interview = done
    supervisor = client_for(users[Role.SUPERVISOR])
    url = reverse("review-interview", args=[interview.pk])
    page = supervisor.get(url)
    assert 'name="q.victim"' in page.text and 'name="q.trading"' in page.text
    missing = supervisor.post(url, {"action": "reject", "comment": "", "q.victim": "why?"})
    assert missing.status_code == 400 and "comment is required" in missing.text
    assert "why?" in missing.text  # the draft is kept
    response = supervisor.post(url, {"action": "reject", "comment": "Check the crime answer",
                                     "q.victim": "Ask again", "q.trading": " "})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.review_status == Status.REJECTED
    assert list(ReviewEvent.objects.get(action="rejected").comments.values_list(
        "path", "text")) == [("victim", "Ask again")]

    interviewer = client_for(users[Role.INTERVIEWER])
    listing = interviewer.get(reverse("review-sent-back"))
    assert reverse("review-amend", args=[interview.pk]) in listing.text
    amend_url = reverse("review-amend", args=[interview.pk])
    screen = interviewer.get(amend_url)
    assert screen.text.index('data-path="victim"') < screen.text.index('data-path="trading"')
    assert 'class="amend-question commented"' in screen.text and "Ask again" in screen.text
    no_reason = interviewer.post(amend_url, {"action": "answer", "path": "victim",
                                             "value": "1", "event_id": str(uuid.uuid4())})
    assert no_reason.status_code == 400
    changed = interviewer.post(amend_url, {"action": "answer", "path": "victim", "value": "1",
                                           "reason": "Respondent remembered a theft",
                                           "event_id": str(uuid.uuid4())})
    assert changed.status_code == 302
    assert AnswerEvent.objects.get(reason="Respondent remembered a theft").value == "1"
    resubmitted = interviewer.post(amend_url, {"action": "resubmit"})
    assert resubmitted.status_code == 302
    assert interviewer.get(amend_url).status_code == 404  # no longer sent back
    supervisor.post(url, {"action": "approve", "comment": ""})
    interview.refresh_from_db()
    assert interview.review_status == Status.AGENCY_APPROVED
    mopac = client_for(users[Role.ANALYST])
    assert 'id="approve"' in mopac.get(url).text
    mopac.post(url, {"action": "approve"})
    interview.refresh_from_db()
    assert interview.review_status == Status.APPROVED


def test_wrong_role_or_agency_or_level(done, users, other_agency):
    wave, interview = done
    url = reverse("review-interview", args=[interview.pk])
    outsider = client_for(make_user(Role.SUPERVISOR, other_agency))
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"action": "approve"}).status_code == 404
    assert client_for(users[Role.INTERVIEWER]).get(url).status_code == 403
    analyst = client_for(users[Role.ANALYST])
    assert 'id="not-yours"' in analyst.get(url).text  # awaits the supervisor, not MOPAC
    assert analyst.post(url, {"action": "approve"}).status_code == 403
    colleague = client_for(make_user(Role.INTERVIEWER, wave.agency, username="colleague"))
    assert colleague.get(reverse("review-amend", args=[interview.pk])).status_code == 404


def test_the_api_walks_every_step(done, users):
    wave, interview = done
    supervisor = client_for(users[Role.SUPERVISOR])
    queue = supervisor.get(reverse("api-review-queue", args=[wave.pk])).json()
    assert [row["id"] for row in queue] == [interview.pk]
    bad = supervisor.get(reverse("api-review-queue", args=[wave.pk]) + "?status=nope")
    assert bad.status_code == 400
    rejected = supervisor.post(reverse("api-interview-reject", args=[interview.pk]),
                               {"comment": "Check", "questions": {"victim": "Again?"}},
                               content_type="application/json")
    assert rejected.status_code == 200, rejected.json()
    body = rejected.json()
    assert body["review_status"] == "rejected" and body["answers"][0]["path"] == "victim"
    assert body["answers"][0]["comment"] == "Again?"
    assert [h["action"] for h in body["history"]] == ["completed", "rejected"]
    again = supervisor.post(reverse("api-interview-approve", args=[interview.pk]), {},
                            content_type="application/json")
    assert again.status_code == 409
    interviewer = client_for(users[Role.INTERVIEWER])
    assert [r["id"] for r in interviewer.get(reverse("api-sent-back")).json()] == [interview.pk]
    detail = interviewer.get(reverse("api-sent-back-detail", args=[interview.pk])).json()
    assert detail["answers"][0]["comment"] == "Again?"
    amended = interviewer.post(reverse("api-interview-amend", args=[interview.pk]),
                               {"event_id": str(uuid.uuid4()), "path": "victim", "value": "1",
                                "reason": "Corrected"}, content_type="application/json")
    assert amended.status_code == 200, amended.json()
    assert amended.json()["answers"][0]["shown"] == "Yes"
    resubmitted = interviewer.post(reverse("api-interview-resubmit", args=[interview.pk]))
    assert resubmitted.json()["review_status"] == "completed"
    approved = supervisor.post(reverse("api-interview-approve", args=[interview.pk]),
                               {"comment": "Fine now"}, content_type="application/json")
    assert approved.json()["review_status"] == "agency_approved"
    analyst = client_for(users[Role.ANALYST])
    final = analyst.post(reverse("api-interview-approve", args=[interview.pk]), {},
                         content_type="application/json")
    assert final.json()["review_status"] == "approved"


def test_the_api_refuses_another_interviewer_to_return_to(done, users, other_agency):
    wave, interview = done
    elsewhere = make_user(Role.INTERVIEWER, other_agency, username="elsewhere")
    response = client_for(users[Role.SUPERVISOR]).post(
        reverse("api-interview-reject", args=[interview.pk]),
        {"comment": "x", "return_to": elsewhere.pk}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_an_interviewer_of_agency"


def test_supervision_page_shows_completed_and_approved_with_the_queue_link(done, users):
    wave, interview = done
    page = client_for(users[Role.SUPERVISOR]).get(reverse("supervision-wave", args=[wave.pk]))
    assert "<strong>1</strong> completed &middot; <strong>0</strong> approved" in page.text
    assert reverse("review-queue", args=[wave.pk]) in page.text
    home = client_for(users[Role.INTERVIEWER]).get(reverse("interviewing-home"))
    assert reverse("review-sent-back") in home.text


def test_the_interview_screen_links_a_sent_back_interview_to_its_amend_screen(done, users):
    wave, interview = done
    url = reverse("interviewing-interview", args=[interview.pk])
    interviewer = client_for(users[Role.INTERVIEWER])
    assert 'id="sent-back-note"' not in interviewer.get(url).text
    client_for(users[Role.SUPERVISOR]).post(reverse("review-interview", args=[interview.pk]),
                                            {"action": "reject", "comment": "Check"})
    page = interviewer.get(url)
    assert reverse("review-amend", args=[interview.pk]) in page.text


def test_an_approved_interview_is_sent_back_to_review_on_the_page_and_the_api(agency, users):
    from survey.models import Wave

    wave = reviewed_wave(agency, Wave.Review.AGENCY)
    interview = completed(wave, users[Role.INTERVIEWER])
    supervisor = client_for(users[Role.SUPERVISOR])
    url = reverse("review-interview", args=[interview.pk])
    supervisor.post(url, {"action": "approve"})
    assert 'id="escalate"' in supervisor.get(url).text
    empty = supervisor.post(url, {"action": "escalate", "comment": ""})
    assert empty.status_code == 400
    supervisor.post(url, {"action": "escalate", "comment": "The respondent complained"})
    interview.refresh_from_db()
    assert interview.review_status == Status.COMPLETED
    supervisor.post(url, {"action": "approve"})
    analyst = client_for(users[Role.ANALYST])
    response = analyst.post(reverse("api-interview-escalate", args=[interview.pk]),
                            {"reason": "MOPAC audit"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["review_status"] == "completed"
    assert response.json()["history"][-1]["comment"] == "MOPAC audit"
