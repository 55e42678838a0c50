"""A second, stale browser tab cannot change an earlier answer behind the first one's back
(issue 18, item 8): an answer carries the route version its page showed (`seen`); if the
interview moved on since, it is refused with 409 `stale_route` asking to reload."""

import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from survey.models import AnswerEvent
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


@pytest.fixture
def interview(agency, users):
    wave = wave_in_field(agency)
    client = APIClient()
    client.force_authenticate(users[Role.INTERVIEWER])
    case = client.post(f"/api/waves/{wave.pk}/next-case/").json()["case"]
    state = client.post(f"/api/cases/{case['id']}/interview/").json()
    return client, f"/api/interviews/{state['id']}/", state


def answer(client, url, path, value, seen, event_id=None):
    body = {"event_id": event_id or str(uuid.uuid4()), "path": path, "value": value,
            "seen": seen}
    return client.post(url + "answers/", body, format="json")


def test_an_answer_from_a_stale_tab_is_refused_with_409(interview):
    client, url, first_tab = interview
    second_tab = client.get(url).json()
    assert first_tab["version"] == second_tab["version"]
    # the second tab answers the first two questions ...
    saved = answer(client, url, "trading", "1", second_tab["version"])
    assert saved.status_code == 201
    saved = answer(client, url, "staff", 3, saved.json()["state"]["version"])
    assert saved.status_code == 201
    events = AnswerEvent.objects.count()
    # ... then the first tab, still showing the first question, answers it differently
    stale = answer(client, url, "trading", "2", first_tab["version"])
    assert stale.status_code == 409
    error = stale.json()["errors"][0]
    assert error["code"] == "stale_route" and "reload" in error["message"]
    assert AnswerEvent.objects.count() == events  # nothing changed, nothing dropped
    # after a reload it may change the answer (a deliberate change)
    fresh = client.get(url).json()
    assert answer(client, url, "trading", "2", fresh["version"]).status_code == 201


def test_a_retry_of_a_saved_answer_is_still_idempotent(interview):
    client, url, state = interview
    event_id = str(uuid.uuid4())
    first = answer(client, url, "trading", "1", state["version"], event_id)
    retry = answer(client, url, "trading", "1", state["version"], event_id)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["created"] is False


def test_going_back_in_another_tab_makes_this_one_stale(interview):
    client, url, state = interview
    saved = answer(client, url, "trading", "1", state["version"]).json()["state"]
    assert client.post(url + "back/").json()["prompt"]["path"] == "trading"
    assert answer(client, url, "staff", 3, saved["version"]).status_code == 409
