"""Interviews: answers as idempotent, append-only, audited events; re-routing, back, resume,
complete and break-off."""

import uuid

import pytest

from accounts.roles import Role
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import AnswerEvent, CallAttempt, Case, Interview
from survey.services.interviews import (
    answer_submit,
    interview_answers_replay,
    interview_back,
    interview_break_off,
    interview_complete,
    interview_start_or_resume,
    interview_state,
)
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_in_field


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


@pytest.fixture
def started(agency, me):
    wave = wave_in_field(agency)
    case = take_case(wave, me)
    state, created = interview_start_or_resume(case=case, user=me, now=OPEN_NOW)
    assert created
    return state.interview


def answer(interview, user, path, value=None, kind="answer", event_id=None):
    return answer_submit(interview=interview, user=user, event_id=event_id or uuid.uuid4(),
                         path=path, kind=kind, value=value, now=OPEN_NOW)


def test_start_locks_the_version_and_holds_the_case(started, me):
    assert started.version.is_locked
    assert (started.status, started.interviewer, started.answers) == ("in_progress", me, {})
    case = Case.objects.get(pk=started.case_id)
    assert (case.status, case.assigned_to) == ("in_progress", me)
    state = interview_state(interview=started)
    assert state.prompt.path == "trading"
    assert state.prompt.interviewer_instruction == "Read out; press 1 or 2"
    assert [o.name for o in state.prompt.choices] == ["1", "2"]
    assert (state.answered, state.progress, state.can_complete) == (0, 0.0, False)


def test_answers_route_the_interview_and_are_events(started, me):
    saved = answer(started, me, "trading", "1")
    assert saved.created and saved.state.prompt.path == "staff"
    saved = answer(started, me, "staff", "9")  # text as typed becomes a number
    assert saved.state.prompt.path == "why_big"
    assert saved.state.path == ["trading", "staff"]
    interview = Interview.objects.get(pk=started.pk)
    assert interview.answers == {"trading": "1", "staff": 9}
    events = list(AnswerEvent.objects.filter(interview=started).values_list(
        "path", "kind", "value", "previous", "user"))
    assert events == [("trading", "answer", "1", None, me.pk), ("staff", "answer", 9, None, me.pk)]


def test_dont_know_and_refused_store_the_questions_codes(started, me):
    answer(started, me, "trading", "1")
    saved = answer(started, me, "staff", kind="dont_know")
    assert saved.event.kind == "dont_know" and saved.event.value == -8
    saved = answer(started, me, "victim", kind="refused")
    assert saved.event.value == -9
    assert saved.state.prompt is None and saved.state.can_complete
    with pytest.raises(FieldworkError) as caught:
        answer(started, me, "trading", kind="refused")  # no refused code on this question
    assert caught.value.code == "answer_refused"
    assert caught.value.fields["errors"][0]["code"] == "code_not_allowed"


def test_a_refused_answer_names_path_and_value_and_stores_nothing(started, me):
    answer(started, me, "trading", "1")
    with pytest.raises(FieldworkError) as caught:
        answer(started, me, "staff", 0)
    error = caught.value
    assert (error.code, error.fields["path"], error.fields["value"]) == ("answer_refused",
                                                                         "staff", 0)
    assert error.fields["errors"][0]["code"] == "constraint"
    assert "staff" in error.message
    with pytest.raises(FieldworkError) as caught:
        answer(started, me, "victim", "1")  # not yet on the route
    assert caught.value.fields["errors"][0]["code"] == "not_reachable"
    assert AnswerEvent.objects.filter(interview=started).count() == 1


def test_retry_is_idempotent_and_a_reused_id_is_a_conflict(started, me):
    event_id = uuid.uuid4()
    first = answer(started, me, "trading", "1", event_id=event_id)
    again = answer(started, me, "trading", "1", event_id=event_id)
    assert (again.created, again.event.pk) == (False, first.event.pk)
    assert again.state.prompt.path == first.state.prompt.path == "staff"
    assert AnswerEvent.objects.count() == 1
    with pytest.raises(FieldworkConflict) as caught:
        answer(started, me, "trading", "2", event_id=event_id)
    assert (caught.value.code, caught.value.http_status) == ("event_id_reused", 409)
    assert Interview.objects.get(pk=started.pk).answers == {"trading": "1"}


def test_changing_an_earlier_answer_reroutes_and_drops_with_audit(started, me):
    answer(started, me, "trading", "1")
    answer(started, me, "staff", 9)
    answer(started, me, "why_big", "Seasonal workers")
    state = interview_back(interview=started, user=me)
    assert state.prompt.path == "why_big"
    state = interview_back(interview=started, user=me)
    assert (state.prompt.path, state.prompt.answer) == ("staff", 9)
    saved = answer(started, me, "staff", 3)
    assert saved.state.prompt.path == "victim"
    interview = Interview.objects.get(pk=started.pk)
    assert interview.answers == {"trading": "1", "staff": 3}
    changed, dropped = AnswerEvent.objects.filter(interview=started).order_by("pk")[3:]
    assert (changed.path, changed.kind, changed.previous, changed.value) == ("staff", "answer",
                                                                             9, 3)
    assert (dropped.path, dropped.kind, dropped.previous, dropped.value, dropped.user) == (
        "why_big", "dropped", "Seasonal workers", None, me)
    assert interview_answers_replay(interview=interview) == interview.answers


def test_rebuilt_answers_always_equal_the_cache(started, me):
    steps = [("trading", "1", "answer"), ("staff", 12, "answer"), ("why_big", "Busy", "answer"),
             ("trading", "2", "answer"), ("victim", None, "dont_know"), ("trading", "1", "answer"),
             ("staff", None, "refused"), ("victim", "1", "answer")]
    for path, value, kind in steps:
        answer(started, me, path, value, kind)
        interview = Interview.objects.get(pk=started.pk)
        assert interview_answers_replay(interview=interview) == interview.answers
    assert interview.answers == {"trading": "1", "staff": -9, "victim": "1"}


def test_resume_returns_the_same_question_from_the_server(started, me):
    answer(started, me, "trading", "1")
    answer(started, me, "staff", 9)
    interview_back(interview=started, user=me)
    # A new request: nothing in memory, everything from the database.
    state, created = interview_start_or_resume(case=Case.objects.get(pk=started.case_id),
                                               user=me, now=OPEN_NOW)
    assert (created, state.interview.pk, state.prompt.path, state.prompt.answer) == (
        False, started.pk, "staff", 9)
    assert interview_state(interview=Interview.objects.get(pk=started.pk)).prompt.path == "staff"


def test_back_at_the_first_question_stays(started, me):
    assert interview_back(interview=started, user=me).prompt.path == "trading"


def test_complete_records_the_outcome_and_ends_the_case(started, me):
    answer(started, me, "trading", "2")
    with pytest.raises(FieldworkError) as caught:
        interview_complete(interview=started, user=me, now=OPEN_NOW)
    assert (caught.value.code, caught.value.fields["path"]) == ("interview_incomplete", "victim")
    answer(started, me, "victim", "2")
    state = interview_complete(interview=started, user=me, now=OPEN_NOW)
    assert (state.interview.status, state.interview.completed_at) == ("complete", OPEN_NOW)
    case = Case.objects.get(pk=started.case_id)
    assert (case.status, case.final_code, case.assigned_to, case.attempt_count) == (
        "final", "1.1", None, 1)
    attempt = CallAttempt.objects.get(case=case)
    assert (attempt.outcome, attempt.code, attempt.interviewer) == ("complete", "1.1", me)
    again = interview_complete(interview=started, user=me, now=OPEN_NOW)
    assert again.interview.status == "complete" and CallAttempt.objects.count() == 1
    with pytest.raises(FieldworkConflict) as caught:
        answer(started, me, "victim", "1")
    assert caught.value.code == "interview_not_in_progress"


def test_break_off_is_final_2_12(started, me):
    answer(started, me, "trading", "1")
    state = interview_break_off(interview=started, user=me, event_id=uuid.uuid4(),
                                notes="Had to go")
    assert state.interview.status == "broken_off"
    case = Case.objects.get(pk=started.case_id)
    assert (case.status, case.final_code) == ("final", "2.12")
    with pytest.raises(FieldworkConflict):
        interview_start_or_resume(case=case, user=me, now=OPEN_NOW)


def test_only_the_holder_answers(started, agency):
    other = make_user(Role.INTERVIEWER, agency=agency)
    with pytest.raises(FieldworkConflict) as caught:
        answer(started, other, "trading", "1")
    assert caught.value.code == "case_not_held"
    assert not AnswerEvent.objects.exists()


def test_answers_keep_the_claim_alive(started, me):
    from datetime import timedelta

    later = OPEN_NOW + timedelta(minutes=50)
    answer_submit(interview=started, user=me, event_id=uuid.uuid4(), path="trading", value="1",
                  now=later)
    assert Case.objects.get(pk=started.case_id).assigned_at == later


def test_an_interview_keeps_its_own_clock(agency):
    """Dates come from the record: start, answers and completion all on the clock the
    service was given (the demo's simulated day, a CATI client's), never mixed with the
    server's, so lengths are never negative."""
    from datetime import timedelta

    from survey.services.interviews import answer_submit, interview_complete
    from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_in_field

    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    wave = wave_in_field(agency)
    case = take_case(wave, interviewer)
    state, _ = interview_start_or_resume(case=case, user=interviewer, now=OPEN_NOW)
    later = OPEN_NOW + timedelta(minutes=3)
    answer_submit(interview=state.interview, user=interviewer, event_id=uuid.uuid4(),
                  path="trading", kind="answer", value="2", now=later)
    answer_submit(interview=state.interview, user=interviewer, event_id=uuid.uuid4(),
                  path="victim", kind="answer", value="2", now=later)
    done = interview_complete(interview=state.interview, user=interviewer,
                              event_id=uuid.uuid4(), now=OPEN_NOW + timedelta(minutes=5))
    interview = done.interview
    interview.refresh_from_db()
    assert interview.started_at == OPEN_NOW
    assert interview.completed_at - interview.started_at == timedelta(minutes=5)
    assert set(interview.events.values_list("recorded_at", flat=True)) == {later}
