"""The CATI API: the whole flow, and role and agency checks on every endpoint."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from survey.models import AnswerEvent, CallAttempt, Case
from survey.services.queue import case_next
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """A Wednesday morning in London, whenever the tests run."""
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


@pytest.fixture
def wave(agency):
    return wave_in_field(agency)


@pytest.fixture
def other_wave(other_agency):
    return wave_in_field(other_agency, name="Other agency's wave")


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def interviewer(users):
    return client_for(users[Role.INTERVIEWER])


def take(client, wave) -> dict:
    response = client.post(f"/api/waves/{wave.pk}/next-case/")
    assert response.status_code == 200, response.json()
    return response.json()["case"]


def test_the_whole_cati_flow(interviewer, wave, users):
    case = take(interviewer, wave)
    assert take(interviewer, wave)["id"] == case["id"]  # held
    detail = interviewer.get(f"/api/cases/{case['id']}/").json()
    assert detail["business"]["phone"].startswith("020 7946")
    response = interviewer.post(f"/api/cases/{case['id']}/interview/")
    assert response.status_code == 201
    state = response.json()
    assert (state["prompt"]["path"], state["prompt"]["interviewer_instruction"]) == (
        "trading", "Read out; press 1 or 2")
    url = f"/api/interviews/{state['id']}/"
    event_id = str(uuid.uuid4())
    body = {"event_id": event_id, "path": "trading", "value": "1"}
    first = interviewer.post(url + "answers/", body, format="json")
    assert first.status_code == 201
    assert first.json()["state"]["prompt"]["path"] == "staff"
    retry = interviewer.post(url + "answers/", body, format="json")
    assert (retry.status_code, retry.json()["created"]) == (200, False)
    assert retry.json()["event"] == first.json()["event"]
    reused = interviewer.post(url + "answers/", {**body, "value": "2"}, format="json")
    assert reused.status_code == 409
    assert reused.json()["errors"][0]["code"] == "event_id_reused"
    bad = interviewer.post(url + "answers/", {"event_id": str(uuid.uuid4()), "path": "staff",
                                              "value": 0}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["path"] == "staff"
    dk = interviewer.post(url + "answers/", {"event_id": str(uuid.uuid4()), "path": "staff",
                                             "kind": "dont_know"}, format="json")
    assert dk.json()["event"]["value"] == -8
    assert interviewer.post(url + "back/").json()["prompt"]["path"] == "staff"
    back = interviewer.post(url + "back/").json()
    assert (back["prompt"]["path"], back["prompt"]["answer"]) == ("trading", "1")
    assert interviewer.get(url).json()["prompt"]["path"] == "trading"  # resumes there
    incomplete = interviewer.post(url + "complete/", {}, format="json")
    assert incomplete.status_code == 400
    interviewer.post(url + "answers/", {"event_id": str(uuid.uuid4()), "path": "trading",
                                        "value": "2"}, format="json")
    done = interviewer.post(url + "answers/", {"event_id": str(uuid.uuid4()), "path": "victim",
                                               "value": "2"}, format="json").json()
    assert done["state"]["can_complete"] and done["state"]["prompt"] is None
    completed = interviewer.post(url + "complete/", {}, format="json")
    assert completed.status_code == 200 and completed.json()["status"] == "complete"
    assert Case.objects.get(pk=case["id"]).final_code == "1.1"
    history = interviewer.get(f"/api/cases/{case['id']}/").json()
    assert [a["code"] for a in history["attempts"]] == ["1.1"]
    assert history["interview"]["status"] == "complete"


def test_calls_and_appointments(interviewer, wave):
    case = take(interviewer, wave)
    url = f"/api/cases/{case['id']}/"
    body = {"event_id": str(uuid.uuid4()), "outcome": "busy", "notes": "Engaged tone"}
    first = interviewer.post(url + "calls/", body, format="json")
    assert first.status_code == 201
    assert first.json()["case"]["status"] == "callback"
    assert first.json()["attempt"]["code"] == "3.12"
    again = interviewer.post(url + "calls/", body, format="json")
    assert (again.status_code, CallAttempt.objects.count()) == (200, 1)
    assert interviewer.post(url + "calls/", {**body, "outcome": "refusal"},
                            format="json").status_code == 409
    wrong = interviewer.post(url + "calls/", {"event_id": str(uuid.uuid4()), "outcome": "nope"},
                             format="json")
    assert wrong.status_code == 400 and "outcome" in wrong.json()
    not_held = interviewer.post(url + "calls/", {"event_id": str(uuid.uuid4()),
                                                 "outcome": "busy"}, format="json")
    assert not_held.json()["errors"][0]["code"] == "case_not_held"
    case = take(interviewer, wave)
    due = OPEN_NOW + timedelta(days=1)
    made = interviewer.post(f"/api/cases/{case['id']}/appointments/", {
        "event_id": str(uuid.uuid4()), "due_at": due.isoformat(), "ask_for": "The owner"},
        format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["case"]["status"] == "appointment"
    detail = interviewer.get(f"/api/cases/{case['id']}/").json()
    assert detail["appointments"] == [{"due_at": "2025-06-12T11:00:00+01:00",
                                       "ask_for": "The owner"}]
    past = interviewer.post(f"/api/cases/{case['id']}/appointments/", {
        "event_id": str(uuid.uuid4()), "due_at": "2020-01-01T10:00:00Z"}, format="json")
    assert past.status_code == 400


def test_waves_are_listed_by_agency(users, wave, other_wave):
    for role in (Role.INTERVIEWER, Role.SUPERVISOR):
        names = [w["name"] for w in client_for(users[role]).get("/api/waves/").json()]
        assert names == [wave.name]
    for role in (Role.ANALYST, Role.ADMIN):
        names = {w["name"] for w in client_for(users[role]).get("/api/waves/").json()}
        assert names == {wave.name, other_wave.name}


def test_anonymous_is_refused_everywhere(wave):
    case = Case.objects.filter(wave=wave).first()
    anonymous = client_for(None)
    for method, url in [("get", "/api/waves/"), ("post", f"/api/waves/{wave.pk}/next-case/"),
                        ("get", f"/api/cases/{case.pk}/"),
                        ("post", f"/api/cases/{case.pk}/calls/"),
                        ("post", f"/api/cases/{case.pk}/interview/")]:
        assert getattr(anonymous, method)(url).status_code in (401, 403), url


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ANALYST, Role.ADMIN])
def test_only_interviewers_call_and_interview(users, wave, role):
    client = client_for(users[role])
    case = case_next(wave=wave, user=users[Role.INTERVIEWER], now=OPEN_NOW).case
    from survey.services.interviews import interview_start_or_resume

    state, _ = interview_start_or_resume(case=case, user=users[Role.INTERVIEWER], now=OPEN_NOW)
    interview = state.interview.pk
    for url in [f"/api/waves/{wave.pk}/next-case/", f"/api/cases/{case.pk}/calls/",
                f"/api/cases/{case.pk}/appointments/", f"/api/cases/{case.pk}/interview/",
                f"/api/interviews/{interview}/answers/", f"/api/interviews/{interview}/back/",
                f"/api/interviews/{interview}/complete/",
                f"/api/interviews/{interview}/break-off/"]:
        assert client.post(url, {}, format="json").status_code == 403, url
    # ...but they may read: the case and the interview's state.
    assert client.get(f"/api/cases/{case.pk}/").status_code == 200
    assert client.get(f"/api/interviews/{interview}/").json()["prompt"]["path"] == "trading"


def test_contact_details_only_for_the_agencys_fieldwork_staff(users, wave):
    # need-to-know (tests/security/test_contact_details.py): the interviewer only once
    # they hold the case
    case = Case.objects.filter(wave=wave).first()
    for role, sees in [(Role.INTERVIEWER, False), (Role.SUPERVISOR, True),
                       (Role.ANALYST, False), (Role.ADMIN, False)]:
        business = client_for(users[role]).get(f"/api/cases/{case.pk}/").json()["business"]
        assert ("phone" in business, "name" in business) == (sees, sees), role
        assert business["reference"].startswith("SYN")
    Case.objects.filter(pk=case.pk).update(assigned_to=users[Role.INTERVIEWER])
    business = client_for(users[Role.INTERVIEWER]).get(f"/api/cases/{case.pk}/").json()[
        "business"]
    assert "phone" in business and "name" in business


def test_another_agencys_objects_are_not_found(users, wave, other_wave, other_agency):
    theirs = make_user(Role.INTERVIEWER, agency=other_agency)
    case = case_next(wave=other_wave, user=theirs, now=OPEN_NOW).case
    from survey.services.interviews import interview_start_or_resume

    state, _ = interview_start_or_resume(case=case, user=theirs, now=OPEN_NOW)
    interview = state.interview.pk
    for role in (Role.INTERVIEWER, Role.SUPERVISOR):
        client = client_for(users[role])
        assert client.get(f"/api/cases/{case.pk}/").status_code == 404
        assert client.get(f"/api/interviews/{interview}/").status_code == 404
    client = client_for(users[Role.INTERVIEWER])
    for url, body in [
        (f"/api/waves/{other_wave.pk}/next-case/", {}),
        (f"/api/cases/{case.pk}/calls/", {"event_id": str(uuid.uuid4()), "outcome": "busy"}),
        (f"/api/cases/{case.pk}/interview/", {}),
        (f"/api/interviews/{interview}/answers/",
         {"event_id": str(uuid.uuid4()), "path": "trading", "value": "1"}),
        (f"/api/interviews/{interview}/complete/", {}),
    ]:
        assert client.post(url, body, format="json").status_code == 404, url
    assert not AnswerEvent.objects.exists()
    analyst = client_for(users[Role.ANALYST])
    assert analyst.get(f"/api/cases/{case.pk}/").status_code == 200


def test_next_case_reports_why_there_is_none(interviewer, wave, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW.replace(hour=20))
    body = interviewer.post(f"/api/waves/{wave.pk}/next-case/").json()
    assert (body["case"], body["reason"]) == (None, "outside_business_hours")
    assert body["next_open_at"] == "2025-06-12T09:00:00+01:00"


def test_schema_documents_the_fieldwork_api(client, users):
    client.force_login(users[Role.ANALYST])
    schema = client.get("/api/schema/").content.decode()
    for path in ["/api/waves/{id}/next-case/", "/api/cases/{id}/calls/",
                 "/api/cases/{id}/appointments/", "/api/cases/{id}/interview/",
                 "/api/interviews/{id}/answers/", "/api/interviews/{id}/back/",
                 "/api/interviews/{id}/complete/"]:
        assert path in schema
