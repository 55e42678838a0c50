"""Paradata: timings per question from known event times (answers, changes, steps back,
don't know, refused, a pause and a resume), the interview's total and active duration, and
the export's columns and readme."""

import csv
import io
import uuid
import zipfile
from datetime import timedelta

import pytest

from accounts.roles import Role
from survey.models import Case, NavigationEvent
from survey.selectors.paradata import (
    EVENT_COLUMNS,
    PARADATA_COLUMNS,
    PARADATA_VERSION,
    interview_paradata,
    paradata_zip,
    utc_text,
)
from survey.services.calls import outcome_record
from survey.services.interviews import (
    answer_submit,
    interview_back,
    interview_complete,
    interview_start_or_resume,
)
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_in_field

pytestmark = pytest.mark.django_db


def at(seconds: float):
    return OPEN_NOW + timedelta(seconds=seconds)


def answer(interview, user, path, seconds, value=None, kind="answer"):
    return answer_submit(interview=interview, user=user, event_id=uuid.uuid4(), path=path,
                         kind=kind, value=value, now=at(seconds))


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


@pytest.fixture
def wave(agency):
    return wave_in_field(agency)


@pytest.fixture
def timed(wave, me):
    """trading yes at 10 s, staff 3 at 25 s, back to staff at 31 s (from victim), staff
    changed to 4 at 40 s, victim don't know at 52 s, then refused at 60 s, complete at 70 s."""
    case = take_case(wave, me)
    interview = interview_start_or_resume(case=case, user=me, now=at(0))[0].interview
    answer(interview, me, "trading", 10, "1")
    answer(interview, me, "staff", 25, 3)
    interview_back(interview=interview, user=me, now=at(31))
    answer(interview, me, "staff", 40, 4)
    answer(interview, me, "victim", 52, kind="dont_know")
    answer(interview, me, "victim", 60, kind="refused")
    interview_complete(interview=interview, user=me, now=at(70))
    interview.refresh_from_db()
    return interview


def by_path(timing):
    return {q.path: q for q in timing.questions}


def test_time_on_screen_changes_backs_and_codes_from_the_event_times(timed):
    timing = interview_paradata(interview=timed)
    questions = by_path(timing)
    assert [q.path for q in timing.questions] == ["trading", "staff", "victim"]
    assert [q.order for q in timing.questions] == [1, 2, 3]
    trading, staff, victim = questions["trading"], questions["staff"], questions["victim"]
    assert trading.seconds_on_screen == 10 and trading.answers == 1 and trading.changes == 0
    # staff: shown at 10 s, answered at 25 s (15 s), gone back to at 31 s, changed at 40 s (9 s)
    assert staff.seconds_on_screen == 24 and staff.answers == 2 and staff.changes == 1
    assert staff.backs_to == 1 and staff.backs_from == 0
    assert staff.first_shown_at == at(10) and staff.last_event_at == at(40)
    # victim: on screen 25-31 s (left by going back), 40-52 s, 52-60 s
    assert victim.seconds_on_screen == 6 + 12 + 8
    assert victim.backs_from == 1 and victim.dont_know == 1 and victim.refused == 1
    assert victim.changes == 1 and victim.final_state == "refused"
    assert timing.total_seconds == 70 and timing.active_seconds == 70
    assert timing.idle_gaps == 0


def test_back_is_a_navigation_event_with_both_questions(timed):
    event = NavigationEvent.objects.get(interview=timed)
    assert (event.kind, event.from_path, event.to_path) == ("back", "victim", "staff")
    assert event.recorded_at == at(31)


def test_a_pause_is_idle_and_a_resume_starts_the_clock_again(wave, me):
    case = take_case(wave, me)
    interview = interview_start_or_resume(case=case, user=me, now=at(0))[0].interview
    answer(interview, me, "trading", 20, "1")
    answer(interview, me, "staff", 20 + 600, 2)  # ten minutes on one question: idle
    outcome_record(case=case, user=me, outcome="partial", event_id=uuid.uuid4(),
                   called_at=at(700))
    Case.objects.filter(pk=case.pk).update(assigned_to=me)  # taken again an hour later
    interview_start_or_resume(case=Case.objects.get(pk=case.pk), user=me, now=at(3600))
    answer(interview, me, "victim", 3630, "2")
    interview_complete(interview=interview, user=me, now=at(3640))
    interview.refresh_from_db()
    assert NavigationEvent.objects.get(interview=interview).kind == "resumed"
    timing = interview_paradata(interview=interview)
    questions = by_path(timing)
    assert questions["staff"].seconds_on_screen == 600
    assert questions["staff"].active_seconds == 0
    assert questions["victim"].seconds_on_screen == 30  # from the resume, not the stop
    assert timing.total_seconds == 3640
    assert timing.active_seconds == 20 + 30 + 10
    assert timing.idle_gaps == 1


def test_a_record_running_backwards_never_gives_a_negative_duration(wave, me):
    case = take_case(wave, me)
    interview = interview_start_or_resume(case=case, user=me, now=at(100))[0].interview
    answer(interview, me, "trading", 90, "1")  # before the start (clocks that disagree)
    answer(interview, me, "staff", 95, 2)
    timing = interview_paradata(interview=interview)
    assert all(q.seconds_on_screen >= 0 for q in timing.questions)
    assert timing.total_seconds >= 0 and timing.active_seconds >= 0


def _archive(wave):
    archive = zipfile.ZipFile(io.BytesIO(paradata_zip(wave=wave)))
    assert sorted(archive.namelist()) == ["README.txt", "events.csv", "paradata.csv"]
    return archive


def _export(wave, name="paradata.csv"):
    archive = _archive(wave)
    rows = list(csv.DictReader(io.StringIO(archive.read(name).decode())))
    return rows, archive.read("README.txt").decode()


def test_export_one_row_per_interview_and_question_with_documented_columns(wave, timed, me):
    rows, readme = _export(wave)
    assert tuple(rows[0]) == PARADATA_COLUMNS
    assert [r["question"] for r in rows] == ["trading", "staff", "victim"]
    staff = rows[1]
    assert staff["interviewer"] == me.username and staff["interview_id"] == str(timed.pk)
    assert staff["paradata_version"] == PARADATA_VERSION
    assert staff["first_shown_at"] == "2025-06-11T10:00:10.000Z"
    assert staff["seconds_on_screen"] == "24.0" and staff["changes"] == "1"
    assert staff["back_navigations_to"] == "1" and rows[2]["refused_events"] == "1"
    assert staff["interview_total_seconds"] == "70.0"
    assert f"version {PARADATA_VERSION}" in readme and "5 minutes" in readme
    for column in (*PARADATA_COLUMNS, *EVENT_COLUMNS):  # every column documented
        assert column in readme


def test_events_in_order_with_utc_milliseconds_and_gaps(wave, timed, me):
    rows, _ = _export(wave, "events.csv")
    assert tuple(rows[0]) == EVENT_COLUMNS
    assert [(r["order"], r["event"], r["question"], r["to_question"]) for r in rows] == [
        ("1", "started", "", ""), ("2", "answer", "trading", ""), ("3", "answer", "staff", ""),
        ("4", "back", "victim", "staff"), ("5", "answer", "staff", ""),
        ("6", "dont_know", "victim", ""), ("7", "refused", "victim", ""),
        ("8", "completed", "", "")]
    assert [r["timestamp_utc"] for r in rows][:2] == ["2025-06-11T10:00:00.000Z",
                                                    "2025-06-11T10:00:10.000Z"]
    assert [float(r["seconds_since_previous"]) for r in rows] == [0, 10, 15, 6, 9, 12, 8, 10]
    assert {r["responsible"] for r in rows} == {me.username}


def test_export_has_no_contact_details_and_is_formula_safe(wave, timed, me):
    business = timed.case.sampled_business.business
    me.username = "=cmd|evil"
    me.save(update_fields=["username"])
    rows, readme = _export(wave)
    text = repr(rows) + readme
    for detail in (business.name, business.phone, business.address, business.reference):
        assert detail not in text
    assert rows[0]["interviewer"] == "'=cmd|evil"


def test_utc_text_has_milliseconds():
    assert utc_text(at(1.2345)) == "2025-06-11T10:00:01.234Z"


def test_answers_amended_after_review_are_not_the_interviews_time(timed, me):
    from survey.core.paradata import Step, interview_timing

    before = interview_paradata(interview=timed)
    days_later = timed.completed_at + timedelta(days=2)
    steps = [Step(at=at(10), kind="answer", path="trading"),
             Step(at=at(25), kind="answer", path="staff"),
             Step(at=days_later, kind="answer", path="staff", changed=True)]
    timing = interview_timing(at(0), steps, completed_at=timed.completed_at)
    staff = by_path(timing)["staff"]
    assert staff.changes == 0 and staff.seconds_on_screen == 15
    assert timing.total_seconds == before.total_seconds == 70
