"""The interviewers' CATI pages through Django's test client: roles, agencies, the flow."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from survey.models import Appointment, CallAttempt, Case, Interview
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_in_field

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    """A Wednesday morning in London, whenever the tests run."""
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


@pytest.fixture
def wave(agency):
    return wave_in_field(agency)


@pytest.fixture
def interviewer(users):
    return users[Role.INTERVIEWER]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client(interviewer):
    return client_for(interviewer)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def next_case(client, wave) -> Case:
    response = client.post(f"/interviewing/waves/{wave.pk}/next-case/")
    assert response.status_code == 302, response.content
    assert response.url.startswith("/interviewing/cases/")
    return Case.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def start(client, case) -> Interview:
    response = client.post(f"/interviewing/cases/{case.pk}/interview/")
    assert response.status_code == 302, response.content
    return Interview.objects.get(case=case)


def act(client, interview, action: str = "answer", **fields) -> object:
    data = {"action": action, "event_id": str(uuid.uuid4()), **fields}
    return client.post(f"/interviewing/interviews/{interview.pk}/action/", data)


# --- access ---------------------------------------------------------------------------

def test_anonymous_users_go_to_the_login_page(wave):
    response = Client().get("/interviewing/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/interviewing/")


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ANALYST, Role.ADMIN])
def test_other_roles_are_refused(users, wave, role):
    user = client_for(users[role])
    assert user.get("/interviewing/").status_code == 403
    assert user.post(f"/interviewing/waves/{wave.pk}/next-case/").status_code == 403


def test_the_home_page_lists_the_agencys_waves_in_the_field(client, wave, other_agency):
    other = wave_in_field(other_agency, name="Another agency's wave")
    closed = wave_in_field(wave.agency, name="Not yet in the field", open_field=False)
    response = client.get("/interviewing/")
    page = response.content.decode()
    assert response.status_code == 200
    assert wave.name in page and "Next case" in page
    assert other.name not in page and closed.name not in page
    assert "Monday to Friday, 09:00 to 17:30, Europe/London time" in page


def test_an_interviewer_of_another_agency_gets_404(client, wave, interviewer, other_agency):
    case = take_case(wave, interviewer)
    interview = start(client, case)
    outsider = client_for(make_user(Role.INTERVIEWER, agency=other_agency))
    assert outsider.post(f"/interviewing/waves/{wave.pk}/next-case/").status_code == 404
    assert outsider.get(f"/interviewing/cases/{case.pk}/").status_code == 404
    assert outsider.post(f"/interviewing/cases/{case.pk}/outcome/",
                         {"outcome": "busy", "event_id": str(uuid.uuid4())}).status_code == 404
    assert outsider.get(f"/interviewing/interviews/{interview.pk}/").status_code == 404
    assert act(outsider, interview, value="1", path="trading").status_code == 404
    assert not CallAttempt.objects.exists()


# --- next case and the case page ------------------------------------------------------

def test_next_case_opens_the_case_page_with_the_business(client, wave, interviewer):
    case = next_case(client, wave)
    assert case.assigned_to == interviewer
    response = client.get(f"/interviewing/cases/{case.pk}/")
    page = response.content.decode()
    business = case.sampled_business.business
    for text in (business.name, business.phone, business.address, "City of London",
                 "G Wholesale and retail trade", "1-9 employees", "Start interview",
                 "Not called yet", 'value="no_answer"', 'value="refusal"',
                 'value="not_trading"'):
        assert text in page, text
    assert 'value="complete"' not in page and 'value="appointment"' not in page
    assert next_case(client, wave) == case  # the held case comes back
    home = client.get("/interviewing/").content.decode()
    assert "Your open case" in home and f"/interviewing/cases/{case.pk}/" in home


def test_recording_an_outcome_releases_the_case_and_shows_in_its_history(client, wave):
    case = next_case(client, wave)
    event_id = str(uuid.uuid4())
    body = {"outcome": "no_answer", "notes": "rang 10 times", "event_id": event_id}
    response = client.post(f"/interviewing/cases/{case.pk}/outcome/", body)
    assert response.status_code == 302 and response.url == "/interviewing/"
    assert "recorded 3.13 No answer" in messages_of(response)[0]
    attempt = CallAttempt.objects.get(case=case)
    assert (attempt.outcome, attempt.notes, attempt.code) == ("no_answer", "rang 10 times", "3.13")
    retry = client.post(f"/interviewing/cases/{case.pk}/outcome/", body)
    assert retry.status_code == 302 and CallAttempt.objects.count() == 1  # same event id
    case.refresh_from_db()
    assert case.assigned_to is None and case.status == Case.Status.CALLBACK
    assert next_case(client, wave) != case  # no answer: two hours before the next call
    page = client.get(f"/interviewing/cases/{case.pk}/").content.decode()
    assert "3.13 No answer" in page and "rang 10 times" in page
    assert "You do not hold this case" in page


def test_an_outcome_recorded_elsewhere_or_on_a_case_not_held_is_refused(client, wave, users):
    case = next_case(client, wave)
    response = client.post(f"/interviewing/cases/{case.pk}/outcome/",
                           {"outcome": "complete", "event_id": str(uuid.uuid4())})
    assert response.status_code == 400
    assert "cannot be recorded here" in response.content.decode()
    colleague = client_for(make_user(Role.INTERVIEWER, agency=wave.agency))
    response = colleague.post(f"/interviewing/cases/{case.pk}/outcome/",
                              {"outcome": "busy", "event_id": str(uuid.uuid4())})
    assert response.status_code == 409
    assert "is not held by you" in response.content.decode()
    assert not CallAttempt.objects.exists()


def test_outside_calling_hours_says_when_calling_opens(client, wave, monkeypatch, interviewer):
    monkeypatch.setattr(timezone, "now", lambda: datetime(2025, 6, 14, 12, 0, tzinfo=UTC))
    client.force_login(interviewer)  # on the Saturday: a login lasts a working day
    response = client.post(f"/interviewing/waves/{wave.pk}/next-case/")
    assert response.status_code == 302 and response.url == "/interviewing/"
    message = messages_of(response)[0]
    assert "outside calling hours" in message
    assert "Calling opens again on Monday 16 June, 09:00." in message


def test_no_case_available_is_explained(client, agency):
    wave = wave_in_field(agency, n_per_stratum=1)
    for _ in range(2):
        case = next_case(client, wave)
        client.post(f"/interviewing/cases/{case.pk}/outcome/",
                    {"outcome": "busy", "event_id": str(uuid.uuid4())})
    response = client.post(f"/interviewing/waves/{wave.pk}/next-case/", follow=True)
    assert "no case is available now" in response.content.decode()


def test_an_appointment_is_made_in_the_waves_time_zone(client, wave):
    case = next_case(client, wave)
    body = {"due_at": "2025-06-12T14:30", "ask_for": "Ms Example", "notes": "owner",
            "event_id": str(uuid.uuid4())}
    response = client.post(f"/interviewing/cases/{case.pk}/appointment/", body)
    assert response.status_code == 302
    assert "appointment made for Thursday 12 June, 14:30, ask for Ms Example" in (
        messages_of(response)[0])
    appointment = Appointment.objects.get(case=case)
    assert appointment.due_at == datetime(2025, 6, 12, 13, 30, tzinfo=UTC)  # BST
    assert appointment.ask_for == "Ms Example"
    case.refresh_from_db()
    assert case.status == Case.Status.APPOINTMENT
    page = client.get(f"/interviewing/cases/{case.pk}/").content.decode()
    assert "Appointment:" in page and "Ms Example" in page


@pytest.mark.parametrize(("due_at", "error"), [
    ("tomorrow", "Enter the appointment&#x27;s date and time, such as 2025-06-12 14:30 (you "
                 "entered &#x27;tomorrow&#x27;)."),
    ("2025-06-10T14:30", "The appointment must be in the future: Tuesday 10 June, 14:30 has "
                         "already passed (it is now Wednesday 11 June, 11:00)."),
    ("2025-06-14T14:30", "Saturday 14 June, 14:30 is outside the wave&#x27;s calling hours "
                         "(Monday to Friday, 09:00 to 17:30, Europe/London time); choose a "
                         "time within them."),
])
def test_a_bad_appointment_is_shown_on_the_case_page(client, wave, due_at, error):
    case = next_case(client, wave)
    response = client.post(f"/interviewing/cases/{case.pk}/appointment/",
                           {"due_at": due_at, "ask_for": "Mr Test",
                            "event_id": str(uuid.uuid4())})
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page and 'value="Mr Test"' in page
    assert not Appointment.objects.exists()


# --- the interview page ---------------------------------------------------------------

def test_starting_an_interview_shows_the_first_question(client, wave):
    case = next_case(client, wave)
    interview = start(client, case)
    response = client.get(f"/interviewing/interviews/{interview.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Is the business trading at this address?" in page
    assert "Read out; press 1 or 2" in page and 'class="instruction"' in page
    assert '<span class="num">1</span> Yes' in page and '<span class="num">2</span> No' in page
    assert "Question 1 of about 2" in page and "Keys:" in page
    start_of_json = page.index('id="interview-state"')
    state = json.loads(page[page.index(">", start_of_json) + 1:page.index("</script>",
                                                                            start_of_json)])
    assert state["prompt"]["path"] == "trading" and state["status"] == "in_progress"
    assert "Resume interview" in client.get(f"/interviewing/cases/{case.pk}/").content.decode()


def test_the_plain_form_answers_goes_back_and_completes(client, wave):
    case = next_case(client, wave)
    interview = start(client, case)
    assert act(client, interview, value="1", path="trading", type="select_one").status_code == 302
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert "How many staff work here?" in page
    assert "Don't know</button>" in page and "Refused</button>" in page
    bad = act(client, interview, value="0", path="staff", type="integer")
    assert bad.status_code == 400 and "staff:" in bad.content.decode()
    act(client, interview, "dont_know", path="staff", type="integer")
    act(client, interview, "back")
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert "How many staff work here?" in page and "Current answer: don&#x27;t know" in page
    act(client, interview, "back")
    act(client, interview, value="2", path="trading", type="select_one")  # re-routes
    act(client, interview, value="2", path="victim", type="select_one")
    page = client.get(f"/interviewing/interviews/{interview.pk}/").content.decode()
    assert "All questions answered" in page and "Complete interview" in page
    done = act(client, interview, "complete")
    assert done.status_code == 302 and done.url == "/interviewing/"
    interview.refresh_from_db()
    case.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETE
    assert interview.answers == {"trading": "2", "victim": "2"}
    assert case.final_code == "1.1"
    assert "Interview complete" in client.get(
        f"/interviewing/interviews/{interview.pk}/").content.decode()


def test_breaking_off_ends_the_case(client, wave):
    case = next_case(client, wave)
    interview = start(client, case)
    response = act(client, interview, "break_off", notes="had to go")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.final_code == "2.12"
    assert CallAttempt.objects.get(case=case).notes == "had to go"
    assert "Interview broken off" in client.get(
        f"/interviewing/interviews/{interview.pk}/").content.decode()


def test_an_unknown_action_is_refused(client, wave):
    interview = start(client, next_case(client, wave))
    response = act(client, interview, "explode")
    assert response.status_code == 400
    assert "action: &#x27;explode&#x27; is not one of" in response.content.decode()
