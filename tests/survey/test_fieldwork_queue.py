"""The case queue: order, business hours, attempt cap, retry gaps, quotas, stale claims."""

import uuid
from datetime import timedelta

import pytest

from accounts.roles import Role
from survey.errors import FieldworkConflict
from survey.models import Case
from survey.services.calls import appointment_make, call_attempt_record
from survey.services.queue import STALE_CLAIM, case_next
from tests.factories import make_user
from tests.survey.fieldwork_factories import (
    OPEN_NOW,
    STRATA,
    complete_case,
    take_case,
    wave_in_field,
)


@pytest.fixture
def me(users):
    return users[Role.INTERVIEWER]


@pytest.fixture
def colleague(agency):
    return make_user(Role.INTERVIEWER, agency=agency)


def call(case, user, outcome, at=OPEN_NOW):
    return call_attempt_record(case=case, user=user, outcome=outcome, event_id=uuid.uuid4(),
                               called_at=at)


def test_fresh_cases_in_order_and_a_held_case_comes_back(agency, me, colleague):
    wave = wave_in_field(agency)
    first = case_next(wave=wave, user=me, now=OPEN_NOW)
    assert first.reason == "fresh"
    again = case_next(wave=wave, user=me, now=OPEN_NOW + timedelta(minutes=5))
    assert (again.case.pk, again.reason) == (first.case.pk, "held")
    other = case_next(wave=wave, user=colleague, now=OPEN_NOW)
    assert other.case.pk == first.case.pk + 1
    held = Case.objects.get(pk=first.case.pk)
    assert (held.assigned_to, held.assigned_at) == (me, OPEN_NOW + timedelta(minutes=5))


def test_due_appointment_before_due_callback_before_fresh(agency, me, colleague):
    wave = wave_in_field(agency)
    busy, appointed = take_case(wave, me), take_case(wave, colleague)
    call(busy, me, "busy")
    due = OPEN_NOW + timedelta(hours=1)
    appointment_make(case=appointed, user=colleague, due_at=due, ask_for="The manager",
                     event_id=uuid.uuid4(), now=OPEN_NOW)
    later = due + timedelta(minutes=1)
    got = [case_next(wave=wave, user=make_user(Role.INTERVIEWER, agency=agency), now=later)
           for _ in range(3)]
    assert [(n.case.pk, n.reason) for n in got] == [
        (appointed.pk, "appointment"), (busy.pk, "callback"), (busy.pk + 2, "fresh")]


def test_callbacks_and_appointments_wait_until_due(agency, me):
    wave = wave_in_field(agency, n_per_stratum=1)  # two cases
    first = take_case(wave, me)
    call(first, me, "no_answer")
    second = take_case(wave, me)
    appointment_make(case=second, user=me, due_at=OPEN_NOW + timedelta(hours=3),
                     event_id=uuid.uuid4(), now=OPEN_NOW)
    assert case_next(wave=wave, user=me, now=OPEN_NOW + timedelta(hours=1)).reason == (
        "none_available")
    found = case_next(wave=wave, user=me, now=OPEN_NOW + timedelta(hours=2, minutes=1))
    assert (found.case.pk, found.reason) == (first.pk, "callback")


def test_retry_gap_depends_on_the_last_outcome(agency, me):
    wave = wave_in_field(agency, n_per_stratum=1)
    case = take_case(wave, me)
    call(case, me, "busy")
    take_case(wave, me)  # the other case, so only the busy one remains
    Case.objects.filter(assigned_to=me).update(assigned_to=None)
    Case.objects.exclude(pk=case.pk).update(status=Case.Status.FINAL)
    assert case_next(wave=wave, user=me, now=OPEN_NOW + timedelta(minutes=14)).case is None
    assert case_next(wave=wave, user=me, now=OPEN_NOW + timedelta(minutes=15)).case == case


def test_no_case_outside_business_hours(agency, me):
    wave = wave_in_field(agency)
    evening = OPEN_NOW.replace(hour=17)  # 18:00 BST
    found = case_next(wave=wave, user=me, now=evening)
    assert (found.case, found.reason) == (None, "outside_business_hours")
    assert found.next_open_at == OPEN_NOW.replace(day=12, hour=8)  # 09:00 BST next day
    saturday = OPEN_NOW + timedelta(days=3)
    assert case_next(wave=wave, user=me, now=saturday).case is None
    assert not Case.objects.filter(assigned_to=me).exists()


def test_attempt_cap_makes_the_case_final(agency, me):
    wave = wave_in_field(agency, n_per_stratum=1, max_attempts=2)
    case = take_case(wave, me)
    call(case, me, "answering_machine")
    Case.objects.exclude(pk=case.pk).update(status=Case.Status.FINAL)
    tomorrow = OPEN_NOW + timedelta(days=1)
    assert take_case(wave, me, tomorrow) == case
    call(case, me, "busy", tomorrow)
    case.refresh_from_db()
    assert (case.status, case.attempt_count, case.final_code) == ("final", 2, "3.14")
    assert case_next(wave=wave, user=me, now=tomorrow + timedelta(hours=5)).case is None


def test_quota_met_stops_fresh_cases_in_that_stratum(agency, me):
    full, other = STRATA
    wave = wave_in_field(agency, stratum_targets={full: 1, other: 5})
    first = take_case(wave, me)
    assert first.stratum == full
    complete_case(first, me)
    issued = []
    for _ in range(3):
        issued.append(take_case(wave, me))
        call(issued[-1], me, "refusal")
    assert {c.stratum for c in issued} == {other}
    assert case_next(wave=wave, user=me, now=OPEN_NOW).reason == "none_available"


def test_stale_claims_expire(agency, me, colleague):
    wave = wave_in_field(agency, n_per_stratum=1)
    mine = take_case(wave, me)
    take_case(wave, colleague)
    third = make_user(Role.INTERVIEWER, agency=agency)
    assert case_next(wave=wave, user=third, now=OPEN_NOW + timedelta(minutes=59)).case is None
    late = OPEN_NOW + STALE_CLAIM + timedelta(minutes=1)
    found = case_next(wave=wave, user=third, now=late)
    assert (found.case.pk, found.reason) == (mine.pk, "fresh")
    # The vanished interviewer does not get it back as "held", and cannot record on it.
    assert case_next(wave=wave, user=me, now=late).case.pk != mine.pk
    with pytest.raises(FieldworkConflict) as caught:
        call(mine, me, "busy", late)
    assert caught.value.code == "case_not_held"


def test_reserved_case_only_for_its_interviewer(agency, me, colleague):
    wave = wave_in_field(agency, n_per_stratum=1)
    first = Case.objects.filter(wave=wave).order_by("pk").first()
    Case.objects.filter(pk=first.pk).update(reserved_for=me)
    assert take_case(wave, colleague) != first
    assert take_case(wave, me) == first


def test_wave_not_in_field(agency, me):
    wave = wave_in_field(agency, open_field=False)
    with pytest.raises(FieldworkConflict) as caught:
        case_next(wave=wave, user=me, now=OPEN_NOW)
    assert caught.value.code == "wave_not_in_field"
