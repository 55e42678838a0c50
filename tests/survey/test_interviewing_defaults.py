"""Issue 15: the form's `default` is pre-filled as a proposal in every widget (page, API and
the plain-form fallback); nothing is stored until the interviewer sends an answer."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from survey.models import AnswerEvent
from survey.services.interviews import answer_submit, interview_start_or_resume
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_with_form

pytestmark = pytest.mark.django_db

SURVEY = [
    ["type", "name", "label", "default"],
    ["text", "city", "City?", "London"],
    ["integer", "staff", "Staff?", "12"],
    ["decimal", "share", "Share?", "0.5"],
    ["date", "opened", "Opened?", "2020-01-31"],
    ["select_one yn", "trading", "Trading?", "2"],
    ["select_multiple crimes", "crimes", "Crimes?", "theft fraud"],
    ["text", "plain", "No default?", ""],
]
CHOICES = [["list_name", "name", "label"], ["yn", "1", "Yes"], ["yn", "2", "No"],
           *[["crimes", c, c.title()] for c in ("burglary", "theft", "fraud")]]
ORDER = ["city", "staff", "share", "opened", "trading", "crimes", "plain"]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


@pytest.fixture
def interview(agency, me):
    wave = wave_with_form(agency, SURVEY, CHOICES)
    state, _ = interview_start_or_resume(case=take_case(wave, me), user=me, now=OPEN_NOW)
    return state.interview


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer(interview, me, path, value):
    return answer_submit(interview=interview, user=me, event_id=uuid.uuid4(), path=path,
                         value=value, now=OPEN_NOW)


def test_the_api_proposes_the_default_and_stores_nothing(interview, me):
    client = client_for(me)
    state = client.get(f"/api/interviews/{interview.pk}/").json()
    assert state["prompt"]["path"] == "city"
    assert state["prompt"]["default"] == "London"
    assert state["prompt"]["answer"] is None
    interview.refresh_from_db()
    assert interview.answers == {}
    assert not AnswerEvent.objects.filter(interview=interview).exists()


@pytest.mark.parametrize(("path", "html"), [
    ("city", 'value="London"'),
    ("staff", 'value="12"'),
    ("share", 'value="0.5"'),
    ("opened", 'value="2020-01-31"'),
    ("trading", 'value="2" checked'),
])
def test_the_fallback_page_prefills_every_widget(interview, me, path, html):
    before = ORDER[:ORDER.index(path)]
    values = {"city": "Paris", "staff": 3, "share": 0.25, "opened": "2019-05-01"}
    for p in before:
        answer(interview, me, p, values[p])
    page = client_for(me).get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert f'name="path" value="{path}"' in page
    assert html in page


def test_checkboxes_are_prefilled_with_the_default_choices(interview, me):
    for path, value in (("city", "x"), ("staff", 1), ("share", 1), ("opened", "2020-01-01"),
                        ("trading", "1")):
        answer(interview, me, path, value)
    page = client_for(me).get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert 'value="theft" checked' in page and 'value="fraud" checked' in page
    assert 'value="burglary" checked' not in page
    state = client_for(me).get(f"/api/interviews/{interview.pk}/").json()
    assert state["prompt"]["default"] == "theft fraud"


def test_a_question_without_default_is_empty_and_an_answer_wins_over_the_default(interview, me):
    for path in ORDER[:-1]:
        answer(interview, me, path, {"city": "Leeds", "staff": 7, "share": 0.1,
                                     "opened": "2021-02-03", "trading": "1",
                                     "crimes": ["burglary"]}[path])
    client = client_for(me)
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert 'name="path" value="plain"' in page and 'value=""' in page
    # Back to the answered 'city': the answer is shown, not the default.
    client.post(f"/api/interviews/{interview.pk}/back/", content_type="application/json")
    for _ in range(5):
        client.post(f"/api/interviews/{interview.pk}/back/", content_type="application/json")
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert 'name="path" value="city"' in page and 'value="Leeds"' in page


def test_submitting_the_proposal_stores_it_as_typed(interview, me):
    client = client_for(me)
    response = client.post(f"/interviewing/interviews/{interview.pk}/action/", {
        "action": "answer", "event_id": str(uuid.uuid4()), "path": "city", "type": "text",
        "value": "London"})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.answers == {"city": "London"}
