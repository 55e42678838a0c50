"""The interviewer's screens as issue 14 asks: a final outcome needs a confirmation; no call
outcome while the interview is open except those that close it (enforced in the service);
progress as a share of the expected route; my calls today and the appointment diary; times
in plain words in the wave's time zone."""

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from survey.errors import FieldworkConflict
from survey.models import CallAttempt, Case, Interview
from survey.services.calls import appointment_make, call_attempt_record
from survey.services.interviews import (
    answer_submit,
    interview_back,
    interview_start_or_resume,
    interview_state,
)
from survey.services.scheduling import BusinessHours, days_in_words, moment_in_words
from survey.services.waves import wave_close
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_in_field

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


@pytest.fixture
def wave(agency):
    return wave_in_field(agency)


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def record(case, user, outcome, **kwargs):
    return call_attempt_record(case=case, user=user, outcome=outcome, event_id=uuid.uuid4(),
                               called_at=OPEN_NOW, **kwargs)


def interviewing(wave, me):
    case = take_case(wave, me)
    state, _ = interview_start_or_resume(case=case, user=me, now=OPEN_NOW)
    answer_submit(interview=state.interview, user=me, event_id=uuid.uuid4(), path="trading",
                  value="1", now=OPEN_NOW)
    return case, state.interview


# --- the service: no outcome that would leave the interview open -----------------------------

@pytest.mark.parametrize("outcome", ["refusal", "no_answer", "busy", "not_trading", "callback"])
def test_no_outcome_while_the_interview_is_open(wave, me, outcome):
    case, interview = interviewing(wave, me)
    with pytest.raises(FieldworkConflict) as caught:
        record(case, me, outcome)
    assert caught.value.code == "interview_open" and caught.value.http_status == 409
    assert caught.value.message.startswith(f"Case {case.pk} has an interview in progress, so '")
    assert not CallAttempt.objects.exists()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.IN_PROGRESS


def test_a_break_off_closes_the_interview_for_good(wave, me):
    case, interview = interviewing(wave, me)
    recorded = record(case, me, "break_off", notes="hung up")
    interview.refresh_from_db()
    assert recorded.case.status == Case.Status.FINAL and recorded.case.final_code == "2.12"
    assert interview.status == Interview.Status.BROKEN_OFF


@pytest.mark.parametrize("how", ["partial", "appointment"])
def test_a_partial_or_an_appointment_stops_it_for_now_and_the_next_dial_is_free(agency, me,
                                                                               how):
    wave = wave_in_field(agency, business_hours={"days": list(range(7)), "start": "00:00",
                                                 "end": "23:59"})
    case, interview = interviewing(wave, me)
    if how == "partial":
        record(case, me, "partial")
    else:
        appointment_make(case=case, user=me, due_at=OPEN_NOW + timedelta(hours=3),
                         event_id=uuid.uuid4(), now=OPEN_NOW)
    interview.refresh_from_db()
    assert interview.status == Interview.Status.PARTIAL
    later = OPEN_NOW + timedelta(hours=4)
    case = take_case(wave, me, now=later)
    assert case.pk == interview.case_id
    call_attempt_record(case=case, user=me, outcome="no_answer", event_id=uuid.uuid4(),
                        called_at=later)  # the paused interview does not block a dial
    state, created = interview_start_or_resume(case=take_case(
        wave, me, now=later + timedelta(hours=3)), user=me, now=later + timedelta(hours=3))
    assert not created and state.interview.pk == interview.pk
    assert state.prompt.path == "staff"  # resumes where it stopped


def test_closing_the_wave_makes_a_paused_interview_with_answers_a_partial(wave, me):
    case, _ = interviewing(wave, me)
    appointment_make(case=case, user=me, due_at=OPEN_NOW + timedelta(hours=3),
                     event_id=uuid.uuid4(), now=OPEN_NOW)
    wave_close(wave=wave)
    case.refresh_from_db()
    assert case.final_code == "1.2"


def test_the_api_refuses_an_outcome_while_interviewing(wave, me):
    case, _ = interviewing(wave, me)
    response = client_for(me).post(f"/api/cases/{case.pk}/calls/",
                                   {"event_id": str(uuid.uuid4()), "outcome": "refusal"},
                                   content_type="application/json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "interview_open"


# --- the page: confirmation of a final outcome -------------------------------------------------

def test_a_final_outcome_is_recorded_only_once_confirmed(wave, me):
    client = client_for(me)
    case = take_case(wave, me)
    event_id = str(uuid.uuid4())
    body = {"outcome": "refusal", "notes": "not interested", "event_id": event_id}
    page = client.post(f"/interviewing/cases/{case.pk}/outcome/", body)
    assert page.status_code == 200 and not CallAttempt.objects.exists()
    text = page.content.decode()
    assert "Record &ldquo;Refused&rdquo; (2.11)?" in text
    assert "This ends the case: no more calls will be made to Synthetic Business" in text
    assert f'value="{event_id}"' in text and 'name="confirmed" value="yes"' in text
    assert 'value="not interested"' in text and 'data-key="no_answer"' not in text
    assert 'id="confirm-no" data-key="Escape" autofocus' in text
    response = client.post(f"/interviewing/cases/{case.pk}/outcome/", {**body, "confirmed": "yes"})
    assert response.status_code == 302
    attempt = CallAttempt.objects.get()
    assert (attempt.outcome, attempt.notes) == ("refusal", "not interested")


def test_an_interim_outcome_needs_no_confirmation(wave, me):
    case = take_case(wave, me)
    response = client_for(me).post(f"/interviewing/cases/{case.pk}/outcome/",
                                   {"outcome": "busy", "event_id": str(uuid.uuid4())})
    assert response.status_code == 302 and CallAttempt.objects.get().outcome == "busy"


def test_the_case_page_of_an_open_interview_offers_only_what_closes_it(wave, me):
    case, interview = interviewing(wave, me)
    client = client_for(me)
    text = client.get(f"/interviewing/cases/{case.pk}/").content.decode()
    assert "The interview is in progress." in text
    assert f"/interviewing/interviews/{interview.pk}/" in text
    assert 'value="refusal" class="outcome final" data-key="x" disabled' in text
    assert 'value="partial" class="outcome"' in text
    assert 'value="partial" class="outcome" disabled' not in text
    response = client.post(f"/interviewing/cases/{case.pk}/outcome/",
                           {"outcome": "refusal", "event_id": str(uuid.uuid4()),
                            "confirmed": "yes"})
    assert response.status_code == 409
    assert "has an interview in progress" in response.content.decode()


# --- progress along the route -------------------------------------------------------------------

def test_progress_is_a_share_of_the_expected_route(wave, me):
    case, interview = interviewing(wave, me)  # trading = yes: staff, then victim
    interview.refresh_from_db()
    state = interview_state(interview=interview)
    assert (state.position, state.expected) == (2, 3)
    assert state.progress_text == "Question 2 of about 3"
    state = interview_back(interview=interview, user=me)
    assert state.progress_text == "Question 1 of about 3"
    response = client_for(me).get(f"/api/interviews/{interview.pk}/").json()
    assert (response["position"], response["expected"], response["progress_text"]) == (
        1, 3, "Question 1 of about 3")
    for path, value in (("trading", "2"), ("victim", "2")):
        state = answer_submit(interview=interview, user=me, event_id=uuid.uuid4(), path=path,
                              value=value, now=OPEN_NOW).state
    assert state.prompt is None and state.progress_text == "All 2 questions answered"


# --- the home page: my calls today and the diary ----------------------------------------------

def test_home_shows_my_calls_today_and_my_appointment_diary(wave, me, users):
    first = take_case(wave, me)
    record(first, me, "no_answer", notes="rang out")
    second = take_case(wave, me)
    appointment_make(case=second, user=me, due_at=datetime(2025, 6, 12, 13, 30, tzinfo=UTC),
                     ask_for="Ms Example", event_id=uuid.uuid4(), now=OPEN_NOW)
    CallAttempt.objects.create(case=first, interviewer=me, outcome="busy", code="3.12",
                               notes="yesterday's", called_at=OPEN_NOW - timedelta(days=1))
    text = client_for(me).get("/interviewing/").content.decode()
    assert "My calls today" in text and "Appointment diary" in text
    assert "<strong>2</strong> calls to 2 businesses" in text
    assert "11:00" in text and "rang out" in text and "No answer" in text
    assert "yesterday&#x27;s" not in text
    assert "Thursday 12 June, 14:30" in text and "Ms Example" in text
    colleague_page = client_for(users[Role.SUPERVISOR]).get("/interviewing/")
    assert colleague_page.status_code == 403


def test_an_empty_day_says_so(wave, me):
    text = client_for(me).get("/interviewing/").content.decode()
    assert "No calls yet today." in text and "No appointments in the next two weeks." in text


# --- times and hours in words --------------------------------------------------------------------

def test_times_and_calling_hours_in_plain_words():
    at = datetime(2026, 12, 4, 14, 30, tzinfo=UTC)
    assert moment_in_words(at, LONDON, now=at) == "Friday 4 December, 14:30"
    assert moment_in_words(at, LONDON, now=at + timedelta(days=40)) == (
        "Friday 4 December 2026, 14:30")
    summer = datetime(2025, 6, 12, 13, 30, tzinfo=UTC)
    assert moment_in_words(summer, LONDON) == "Thursday 12 June 2025, 14:30"  # BST
    assert days_in_words([0, 1, 2, 3, 4]) == "Monday to Friday"
    assert days_in_words([0, 2, 4]) == "Monday, Wednesday and Friday"
    assert days_in_words([5]) == "Saturday" and days_in_words(range(7)) == "every day"
    hours = BusinessHours.from_dict({"days": [5, 6], "start": "10:00", "end": "12:00"},
                                    "America/New_York")
    assert hours.in_words() == "Saturday and Sunday, 10:00 to 12:00, America/New_York time"


def test_fieldwork_ended_is_said_plainly(wave, me):
    from datetime import date

    from survey.models import Wave

    Wave.objects.filter(pk=wave.pk).update(ends_on=date(2025, 6, 10))
    response = client_for(me).post(f"/interviewing/waves/{wave.pk}/next-case/", follow=True)
    assert ("fieldwork ended on 10 June 2025; no more cases are given out"
            in response.content.decode())


def test_my_calls_today_and_diary_through_the_api(wave, me, users):
    first = take_case(wave, me)
    record(first, me, "busy")
    second = take_case(wave, me)
    appointment_make(case=second, user=me, due_at=datetime(2025, 6, 12, 13, 30, tzinfo=UTC),
                     ask_for="Ms Example", event_id=uuid.uuid4(), now=OPEN_NOW)
    client = client_for(me)
    today = client.get("/api/me/calls-today/").json()
    assert (today["calls"], today["cases"], today["completes"]) == (2, 2, 0)
    assert [row["code"] for row in today["rows"]] == ["2.21", "3.12"]  # latest first
    assert today["rows"][1]["at"] == "11:00"
    diary = client.get("/api/me/appointments/").json()
    assert [(e["case_id"], e["ask_for"], e["due"], e["mine"]) for e in diary] == [
        (second.pk, "Ms Example", False, True)]
    assert diary[0]["due_at"] == "2025-06-12T14:30:00+01:00"
    assert client_for(users[Role.SUPERVISOR]).get("/api/me/calls-today/").status_code == 403
