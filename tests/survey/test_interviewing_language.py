"""Issue 15: the interviewer switches language mid-interview. The choice is stored on the
interview (any app server and any reload show it), audited, and the question, its choices,
hint and messages come back in it; the API reads and changes it too."""

import uuid

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.models import Interview
from survey.services.interviews import (
    answer_submit,
    interview_language_set,
    interview_start_or_resume,
    interview_state,
)
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_with_form

pytestmark = pytest.mark.django_db

EN, FR = "English (en)", "Français (fr)"
SURVEY = [
    ["type", "name", f"label::{EN}", f"label::{FR}", f"hint::{EN}", f"hint::{FR}",
     "constraint", f"constraint_message::{EN}", f"constraint_message::{FR}"],
    ["select_one yn", "trading", "Is the business trading?", "L'entreprise est-elle active ?",
     "Read out", "Lire à voix haute", "", "", ""],
    ["integer", "staff", "How many staff?", "Combien d'employés ?", "", "", ". >= 1",
     "At least one", "Au moins un"],
]
CHOICES = [["list_name", "name", f"label::{EN}", f"label::{FR}"],
           ["yn", "1", "Yes", "Oui"], ["yn", "2", "No", "Non"]]
SETTINGS = [["form_id", "default_language"], ["bilingual", EN]]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


@pytest.fixture
def interview(agency, me):
    wave = wave_with_form(agency, SURVEY, CHOICES, SETTINGS)
    state, _ = interview_start_or_resume(case=take_case(wave, me), user=me, now=OPEN_NOW)
    return state.interview


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_form_default_language_first_with_every_language_listed(interview, me):
    state = client_for(me).get(f"/api/interviews/{interview.pk}/").json()
    assert state["language"] == EN
    assert state["languages"] == [EN, FR]
    assert state["prompt"]["label"] == "Is the business trading?"


def test_switching_re_renders_the_question_and_is_stored_and_audited(interview, me):
    response = client_for(me).post(f"/api/interviews/{interview.pk}/language/",
                                   {"language": FR}, content_type="application/json")
    assert response.status_code == 200, response.content
    prompt = response.json()["prompt"]
    assert response.json()["language"] == FR
    assert prompt["label"] == "L'entreprise est-elle active ?"
    assert prompt["hint"] == "Lire à voix haute"
    assert [c["label"] for c in prompt["choices"]] == ["Oui", "Non"]
    # stored on the interview: another client (another app server) sees it
    assert Interview.objects.get(pk=interview.pk).language == FR
    again = client_for(me).get(f"/api/interviews/{interview.pk}/").json()
    assert again["prompt"]["label"] == "L'entreprise est-elle active ?"
    audit = AuditEvent.objects.filter(object_type="survey.Interview",
                                      object_id=str(interview.pk)).get()
    assert audit.detail == {"interview": "language", "from": "", "to": FR}
    assert audit.user == me


def test_answers_are_kept_and_messages_come_in_the_chosen_language(interview, me):
    answer_submit(interview=interview, user=me, event_id=uuid.uuid4(), path="trading",
                  value="1", now=OPEN_NOW)
    interview_language_set(interview=interview, user=me, language=FR)
    interview.refresh_from_db()
    assert interview.answers == {"trading": "1"}
    response = client_for(me).post(
        f"/api/interviews/{interview.pk}/answers/",
        {"event_id": str(uuid.uuid4()), "path": "staff", "value": 0},
        content_type="application/json")
    assert response.status_code == 400
    assert "Au moins un" in str(response.json())
    # back to the default language: blank or its name
    state = interview_language_set(interview=interview, user=me, language="")
    assert (state.language, state.prompt.label) == (EN, "How many staff?")


def test_an_unknown_language_is_refused_naming_the_form_languages(interview, me):
    response = client_for(me).post(f"/api/interviews/{interview.pk}/language/",
                                   {"language": "Klingon"}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "unknown_language"
    assert EN in error["message"] and FR in error["message"]
    assert Interview.objects.get(pk=interview.pk).language == ""


def test_the_page_lists_the_languages_and_the_fallback_form_switches(interview, me):
    client = client_for(me)
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert 'id="language-select"' in page
    assert f'<option value="{EN}" selected>' in page
    response = client.post(f"/interviewing/interviews/{interview.pk}/action/",
                           {"action": "language", "language": FR,
                            "event_id": str(uuid.uuid4())})
    assert response.status_code == 302
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert f'<option value="{FR}" selected>' in page
    assert "L&#x27;entreprise est-elle active ?" in page
    assert "Oui" in page


def test_one_language_forms_show_no_switch(agency, me):
    from tests.survey.fieldwork_factories import SURVEY as PLAIN

    wave = wave_with_form(agency, PLAIN)
    state, _ = interview_start_or_resume(case=take_case(wave, me), user=me, now=OPEN_NOW)
    page = client_for(me).get(f"/interviewing/interviews/{state.interview.pk}/")
    assert 'id="language-select"' not in page.content.decode()
    assert interview_state(interview=state.interview).languages in ((), ("default",))


def test_other_roles_cannot_switch(interview, users):
    response = client_for(users[Role.SUPERVISOR]).post(
        f"/api/interviews/{interview.pk}/language/", {"language": "Français (fr)"},
        content_type="application/json")
    assert response.status_code == 403
