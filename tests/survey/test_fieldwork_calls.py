"""Call outcomes, appointments, final dispositions; waves' cases and closing."""

import uuid
from datetime import timedelta

import pytest

from accounts.roles import Role
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import Appointment, CallAttempt, Case, Interview, Wave
from survey.services.calls import appointment_make, call_attempt_record
from survey.services.interviews import answer_submit, interview_start_or_resume
from survey.services.wave_settings import WaveSettingsInvalid
from survey.services.waves import sample_cases_sync, wave_close, wave_create
from tests.survey.fieldwork_factories import (
    OPEN_NOW,
    questionnaire_version,
    release_replicate,
    sample_with_cases,
    take_case,
    wave_in_field,
)


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


@pytest.fixture
def wave(agency):
    return wave_in_field(agency)


def record(case, user, outcome, event_id=None, notes="", at=OPEN_NOW):
    return call_attempt_record(case=case, user=user, outcome=outcome, notes=notes,
                               event_id=event_id or uuid.uuid4(), called_at=at)


def test_outcome_is_recorded_and_moves_the_case_on(wave, me):
    case = take_case(wave, me)
    recorded = record(case, me, "no_answer", notes="Rang 10 times")
    attempt = recorded.attempt
    assert (attempt.outcome, attempt.code, attempt.interviewer, attempt.notes,
            attempt.called_at) == ("no_answer", "3.13", me, "Rang 10 times", OPEN_NOW)
    case.refresh_from_db()
    assert (case.status, case.attempt_count, case.last_code, case.final_code) == (
        "callback", 1, "3.13", "")
    assert case.next_call_at == OPEN_NOW + timedelta(hours=2)
    assert (case.assigned_to, case.assigned_at) == (None, None)


def test_a_retried_call_event_is_recorded_once(wave, me):
    case = take_case(wave, me)
    event_id = uuid.uuid4()
    first = record(case, me, "busy", event_id)
    again = record(case, me, "busy", event_id)
    assert (first.created, again.created, again.attempt.pk) == (True, False, first.attempt.pk)
    assert CallAttempt.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).attempt_count == 1
    with pytest.raises(FieldworkConflict) as caught:
        record(case, me, "no_answer", event_id)
    assert (caught.value.code, caught.value.http_status) == ("event_id_reused", 409)


def test_final_outcome_ends_the_case(wave, me):
    case = take_case(wave, me)
    record(case, me, "refusal")
    case.refresh_from_db()
    assert (case.status, case.final_code, case.next_call_at) == ("final", "2.11", None)
    with pytest.raises(FieldworkConflict) as caught:
        record(case, me, "busy")
    assert caught.value.code == "case_final"


@pytest.mark.parametrize(("outcomes", "final"), [
    (["busy", "no_answer", "busy"], "3.13"),  # no answer beats busy
    (["no_answer", "answering_machine", "busy"], "3.14"),
    (["answering_machine", "message_left", "busy"], "2.22"),  # contact beats unknown
    (["busy", "busy", "disconnected"], "4.30"),  # a final outcome is final
])
def test_final_disposition_after_the_attempt_cap(agency, me, outcomes, final):
    wave = wave_in_field(agency, max_attempts=3, n_per_stratum=1)
    case = Case.objects.filter(wave=wave).order_by("pk").first()
    at = OPEN_NOW
    for outcome in outcomes:
        Case.objects.filter(pk=case.pk).update(assigned_to=me, assigned_at=at)
        record(case, me, outcome, at=at)
        at += timedelta(days=1)
    case.refresh_from_db()
    assert (case.status, case.final_code, case.attempt_count) == ("final", final, 3)


def test_outcomes_recorded_elsewhere_or_unknown_are_refused(wave, me):
    case = take_case(wave, me)
    for outcome, code in [("complete", "outcome_recorded_elsewhere"),
                          ("appointment", "outcome_recorded_elsewhere"),
                          ("hung_up", "unknown_outcome")]:
        with pytest.raises(FieldworkError) as caught:
            record(case, me, outcome)
        assert caught.value.code == code
        assert caught.value.fields == {"field": "outcome", "value": outcome}
    assert not CallAttempt.objects.exists()


def test_only_the_holder_records_calls(wave, me, agency):
    case = take_case(wave, me)
    other = Case.objects.exclude(pk=case.pk).first()
    with pytest.raises(FieldworkConflict) as caught:
        record(other, me, "busy")
    assert caught.value.code == "case_not_held"


def test_appointment_made_and_retried(wave, me):
    case = take_case(wave, me)
    due = OPEN_NOW + timedelta(days=1)
    event_id = uuid.uuid4()
    made = appointment_make(case=case, user=me, due_at=due, ask_for="Finance director",
                            event_id=event_id, now=OPEN_NOW)
    assert (made.created, made.attempt.code, made.attempt.outcome) == (True, "2.21",
                                                                      "appointment")
    appointment = Appointment.objects.get(case=case)
    assert (appointment.due_at, appointment.ask_for, appointment.call_attempt) == (
        due, "Finance director", made.attempt)
    case.refresh_from_db()
    assert (case.status, case.next_call_at, case.assigned_to) == ("appointment", due, None)
    retry = appointment_make(case=case, user=me, due_at=due, ask_for="Finance director",
                             event_id=event_id, now=OPEN_NOW + timedelta(minutes=1))
    assert (retry.created, Appointment.objects.count()) == (False, 1)
    with pytest.raises(FieldworkConflict):
        appointment_make(case=case, user=me, due_at=due + timedelta(hours=1),
                         ask_for="Finance director", event_id=event_id, now=OPEN_NOW)


@pytest.mark.parametrize(("due", "code"), [
    (OPEN_NOW - timedelta(minutes=1), "appointment_in_past"),
    (OPEN_NOW, "appointment_in_past"),
    (OPEN_NOW + timedelta(hours=10), "appointment_outside_hours"),  # 21:00 BST
])
def test_appointment_time_is_checked(wave, me, due, code):
    case = take_case(wave, me)
    with pytest.raises(FieldworkError) as caught:
        appointment_make(case=case, user=me, due_at=due, event_id=uuid.uuid4(), now=OPEN_NOW)
    assert (caught.value.code, caught.value.fields["field"]) == (code, "due_at")
    assert not Appointment.objects.exists()


def test_cases_come_from_released_replicates_and_later_releases(agency):
    sample = sample_with_cases(n_per_stratum=2, replicates=3, released=1)
    wave = wave_create(name="W", questionnaire_version=questionnaire_version(), sample=sample,
                       agency=agency, target_interviews=5)
    assert wave.cases.count() == 4
    assert set(wave.cases.values_list("sampled_business__replicate", flat=True)) == {1}
    release_replicate(sample, 2)
    assert sample_cases_sync(sample=sample) == 4
    assert sample_cases_sync(sample=sample) == 0
    assert wave.cases.count() == 8
    assert {c.stratum for c in wave.cases.all()} == {c.sampled_business.stratum
                                                     for c in wave.cases.all()}


def test_wave_create_checks_its_settings(agency):
    sample = sample_with_cases()
    version = questionnaire_version()
    common = {"name": "W", "questionnaire_version": version, "sample": sample,
              "agency": agency, "target_interviews": 5}
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_create(**common, business_hours={"days": [1], "start": "10:00", "end": "09:00"})
    assert caught.value.fields["field"] == "calling_end"
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_create(**common, stratum_targets={"E09000001|G": -1})
    assert caught.value.fields["field"] == "stratum_targets.E09000001|G"
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_create(**common, max_attempts=0)
    assert caught.value.code == "max_attempts_out_of_range"
    assert not Wave.objects.exists()


def test_wave_close_gives_every_open_case_its_final_disposition(wave, me, users):
    no_answer = take_case(wave, me)
    record(no_answer, me, "no_answer")
    interviewed = take_case(wave, me)
    state, _ = interview_start_or_resume(case=interviewed, user=me, now=OPEN_NOW)
    answer_submit(interview=state.interview, user=me, event_id=uuid.uuid4(), path="trading",
                  value="1")
    refused = take_case(wave, users[Role.SUPERVISOR])
    record(refused, users[Role.SUPERVISOR], "refusal")
    wave_close(wave=wave)
    codes = dict(Case.objects.filter(wave=wave).values_list("pk", "final_code"))
    assert codes[no_answer.pk] == "3.13"
    assert codes[interviewed.pk] == "1.2"
    assert codes[refused.pk] == "2.11"
    assert sorted(set(codes.values())) == ["1.2", "2.11", "3.11", "3.13"]
    assert Interview.objects.get(case=interviewed).status == "partial"
    assert set(Case.objects.filter(wave=wave).values_list("status", flat=True)) == {
        "closed", "final"}
    wave.refresh_from_db()
    assert wave.status == "closed"


def test_wave_progress_counts_by_status_code_and_stratum(agency, me, users):
    from survey.selectors.fieldwork import wave_progress
    from tests.survey.fieldwork_factories import STRATA, complete_case

    wave = wave_in_field(agency, n_per_stratum=2, stratum_targets={STRATA[0]: 1})
    complete_case(take_case(wave, me), me)
    record(take_case(wave, me), me, "refusal")
    record(take_case(wave, me), me, "busy")
    progress = wave_progress(wave=wave)
    assert (progress.cases, progress.attempted, progress.completes, progress.target) == (
        4, 3, 1, 4)
    assert progress.by_status == {"final": 2, "callback": 1, "fresh": 1}
    assert progress.by_final_code == {"1.1": 1, "2.11": 1}
    assert progress.strata == {
        STRATA[0]: {"cases": 2, "completes": 1, "target": 1},
        STRATA[1]: {"cases": 2, "completes": 0, "target": None},
    }
