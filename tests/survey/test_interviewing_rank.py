"""Issue 15: the rank question on the interview screens: the API takes the order as a list
(or the engine's space-separated names); the plain-form fallback has a numbered place box per
choice; mistakes are said in plain words and nothing is stored."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from survey.services.interviews import interview_start_or_resume
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_with_form

pytestmark = pytest.mark.django_db

SURVEY = [["type", "name", "label", "default"],
          ["rank worries", "worries", "Rank these worries, most first", "c a b"],
          ["rank worries", "again", "And again, no default", ""]]
CHOICES = [["list_name", "name", "label"], ["worries", "a", "Theft"],
           ["worries", "b", "Fraud"], ["worries", "c", "Cyber crime"]]


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


@pytest.fixture
def client(me):
    client = Client()
    client.force_login(me)
    return client


def post_answer(client, interview, path, value):
    return client.post(f"/api/interviews/{interview.pk}/answers/",
                       {"event_id": str(uuid.uuid4()), "path": path, "value": value},
                       content_type="application/json")


def place(client, interview, path, **places):
    data = {"action": "answer", "event_id": str(uuid.uuid4()), "path": path, "type": "rank",
            **{f"place-{k}": v for k, v in places.items()}}
    return client.post(f"/interviewing/interviews/{interview.pk}/action/", data)


def test_the_api_takes_a_list_or_the_engines_text(client, interview):
    state = client.get(f"/api/interviews/{interview.pk}/").json()
    assert state["prompt"]["type"] == "rank"
    assert state["prompt"]["default"] == "c a b"
    assert post_answer(client, interview, "worries", ["b", "c", "a"]).status_code == 201
    assert post_answer(client, interview, "again", "a c b").status_code == 201
    interview.refresh_from_db()
    assert interview.answers == {"worries": ["b", "c", "a"], "again": ["a", "c", "b"]}


@pytest.mark.parametrize("order", [["a", "b"], ["a", "a", "b"], ["a", "b", "z"], "a b"])
def test_an_order_that_is_not_every_choice_once_is_refused(client, interview, order):
    response = post_answer(client, interview, "worries", order)
    assert response.status_code == 400
    message = response.json()["errors"][0]["errors"][0]["message"]
    assert message == ("put every choice in order, each once, first place first: Theft, "
                       "Fraud, Cyber crime")
    interview.refresh_from_db()
    assert interview.answers == {}


def test_the_fallback_shows_numbered_places_in_the_default_order(client, interview):
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert 'src="/static/survey/rank.js"' in page
    assert 'name="place-c" min="1" max="3" value="1"' in page
    assert 'name="place-a" min="1" max="3" value="2"' in page
    assert 'name="place-b" min="1" max="3" value="3"' in page


def test_the_fallback_builds_the_order_from_the_places(client, interview):
    response = place(client, interview, "worries", a="3", b="1", c="2")
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.answers == {"worries": ["b", "c", "a"]}
    # the next one has no default: the choices' own order
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert 'name="place-a" min="1" max="3" value="1"' in page


@pytest.mark.parametrize(("places", "message"), [
    ({"a": "1", "b": "1", "c": "2"}, "place 1 is given to more than one choice"),
    ({"a": "1", "b": "2", "c": "4"}, "a place from 1 to 3: &#x27;4&#x27; is not one of them"),
    ({"a": "1", "b": "x", "c": "2"}, "a place from 1 to 3"),
])
def test_wrong_places_are_said_in_plain_words(client, interview, places, message):
    response = place(client, interview, "worries", **places)
    assert response.status_code == 400
    assert message in response.content.decode()
    interview.refresh_from_db()
    assert interview.answers == {}
