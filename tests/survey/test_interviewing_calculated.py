"""Issue 15: an interview stores its calculated values as it works them out (a row each time
one changes, with the interview's own time): calculates with a `trigger` and `once()` keep
them from one answer to the next, on any app server, and the respondent table reads them as
stored, never worked out again with the clock of the day the analysis runs."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from analysis.respondents import respondent_answers
from survey.models import CalculatedValue, Interview
from survey.services.interviews import (
    answer_submit,
    interview_back,
    interview_complete,
    interview_start_or_resume,
    interview_state,
)
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_with_form

pytestmark = pytest.mark.django_db

SURVEY = [
    ["type", "name", "label", "relevant", "calculation", "trigger"],
    ["integer", "staff", "Staff?", "", "", ""],
    ["calculate", "staff_first", "", "", "${staff}", "${staff}"],
    ["calculate", "asked_at", "", "", "once(now())", ""],
    ["integer", "sites", "Sites?", "", "", ""],
    ["calculate", "per_site", "", "", "${staff} div ${sites}", "${sites}"],
    ["text", "why_big", "Why so many?", "${staff_first} > 10", "", ""],
    ["calculate", "done_on", "", "", "today()", ""],
]


@pytest.fixture(autouse=True)
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


@pytest.fixture
def wave(agency):
    return wave_with_form(agency, SURVEY)


def answer(interview, me, path, value, at):
    return answer_submit(interview=interview, user=me, event_id=uuid.uuid4(), path=path,
                         value=value, now=at)


def test_values_are_stored_with_their_time_and_kept_by_trigger_and_once(wave, me):
    state, _ = interview_start_or_resume(case=take_case(wave, me), user=me, now=OPEN_NOW)
    interview = state.interview
    answer(interview, me, "staff", 20, OPEN_NOW)
    interview.refresh_from_db()
    assert interview.values["staff_first"] == 20
    assert interview.values["asked_at"].startswith("2025-06-11T11:00")  # London time
    assert interview.values["per_site"] is None  # its trigger has not fired yet
    later = OPEN_NOW + timedelta(minutes=3)
    answer(interview, me, "sites", 4, later)
    interview.refresh_from_db()
    assert interview.values["per_site"] == 5
    assert interview.values["asked_at"].startswith("2025-06-11T11:00")  # once: kept
    rows = {(r.path, r.recorded_at) for r in CalculatedValue.objects.filter(
        interview=interview, path__in=["staff_first", "per_site"])}
    assert rows == {("staff_first", OPEN_NOW), ("per_site", later)}

    # Change staff: its trigger fires again; per_site (triggered by sites) keeps 5.
    interview_back(interview=interview, user=me, now=later)
    interview_back(interview=interview, user=me, now=later)
    answer(interview, me, "staff", 8, later)
    interview.refresh_from_db()
    assert (interview.values["staff_first"], interview.values["per_site"]) == (8, 5)
    staff_rows = CalculatedValue.objects.filter(interview=interview, path="staff_first")
    assert [(r.previous, r.value) for r in staff_rows] == [(None, 20), (20, 8)]
    # staff_first = 8 now: 'why_big' is off the route (the next shown is 'sites' again)
    state = interview_state(interview=Interview.objects.get(pk=interview.pk))
    assert state.prompt.path == "sites" and "why_big" not in state.path


def test_routing_reads_the_stored_trigger_value(wave, me):
    state, _ = interview_start_or_resume(case=take_case(wave, me), user=me, now=OPEN_NOW)
    interview = state.interview
    saved = answer(interview, me, "staff", 20, OPEN_NOW)
    saved = answer(interview, me, "sites", 2, OPEN_NOW)
    assert saved.state.prompt.name == "why_big"  # staff_first = 20 (> 10)
    # another app server: a fresh load from the database routes the same way
    fresh = Interview.objects.get(pk=interview.pk)
    assert interview_state(interview=fresh).prompt.name == "why_big"


def test_the_respondent_table_reads_the_values_as_stored(wave, me, monkeypatch):
    state, _ = interview_start_or_resume(case=take_case(wave, me), user=me, now=OPEN_NOW)
    interview = state.interview
    answer(interview, me, "staff", 3, OPEN_NOW)
    answer(interview, me, "sites", 1, OPEN_NOW + timedelta(minutes=1))
    done = OPEN_NOW + timedelta(minutes=5)
    interview_complete(interview=interview, user=me, now=done)
    interview.refresh_from_db()
    assert interview.values["done_on"] == "2025-06-11"
    # months later: nothing is worked out with this day's clock
    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW + timedelta(days=120))
    table = respondent_answers(wave)
    row = table.loc[interview.case_id]
    assert row["staff_first"] == 3 and row["per_site"] == 3
    assert str(row["done_on"]) == "2025-06-11"
    assert str(row["asked_at"]).startswith("2025-06-11T11:00")
