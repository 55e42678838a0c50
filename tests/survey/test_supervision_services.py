"""Supervision services: release the next replicate (cases join the wave through the
`replicates_released` signal), reassign and close cases, open and close the wave; each
audited."""

import uuid

import pytest

from accounts.models import AuditEvent
from accounts.roles import Role
from sampling.services import replicates_release
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import Case, Interview, Wave
from survey.services import supervision
from survey.services.calls import call_attempt_record
from survey.services.interviews import answer_submit, interview_start_or_resume
from survey.services.queue import case_next
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, STRATA, take_case, wave_in_field


def with_replicates(wave: Wave) -> Wave:
    """Give the synthetic sample the stratum populations a release recomputes weights from."""
    sample = wave.sample
    sample.allocation_table = [{"stratum": s, "population": 100} for s in STRATA]
    sample.save(update_fields=["allocation_table"])
    return wave


@pytest.fixture
def staged(agency):
    """A wave in the field: 6 cases of replicate 1 released; replicates 2 and 3 waiting."""
    return with_replicates(wave_in_field(agency, n_per_stratum=3, replicates=3, released=1))


def audit_of(kind: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(detail__supervision=kind).order_by("pk"))


@pytest.mark.django_db
def test_release_next_replicate_adds_its_cases_to_the_wave(staged, users):
    assert staged.cases.count() == 6
    released = supervision.wave_replicate_release_next(wave=staged, user=users[Role.SUPERVISOR])
    assert (released.replicate, released.cases_added) == (2, 6)
    assert staged.cases.count() == 12
    staged.sample.refresh_from_db()
    assert staged.sample.released_replicates == [1, 2]
    again = supervision.wave_replicate_release_next(wave=staged, user=users[Role.SUPERVISOR])
    assert again.replicate == 3 and staged.cases.count() == 18
    with pytest.raises(FieldworkConflict, match="already released") as caught:
        supervision.wave_replicate_release_next(wave=staged, user=users[Role.SUPERVISOR])
    assert caught.value.code == "no_replicate_left"
    [first, second] = audit_of("replicate_release")
    assert first.user == users[Role.SUPERVISOR] and first.detail["replicate"] == 2
    assert first.detail["cases_added"] == 6 and first.detail["wave"] == staged.pk


@pytest.mark.django_db
def test_a_release_from_sampling_reaches_open_waves_but_not_closed_ones(staged, agency):
    closed = with_replicates(wave_in_field(agency, name="Closed wave", n_per_stratum=1,
                                           replicates=2, released=1))
    closed.status = Wave.Status.CLOSED
    closed.save()
    replicates_release(sample=staged.sample, replicates=[2])
    replicates_release(sample=closed.sample, replicates=[2])
    assert staged.cases.count() == 12
    assert closed.cases.count() == 2


@pytest.mark.django_db
def test_release_on_a_closed_wave_is_refused(staged, users):
    supervision.wave_finish(wave=staged, user=users[Role.SUPERVISOR])
    with pytest.raises(FieldworkConflict, match="closed"):
        supervision.wave_replicate_release_next(wave=staged, user=users[Role.SUPERVISOR])


@pytest.mark.django_db
def test_reassign_clears_the_claim_and_only_the_new_interviewer_gets_the_case(staged, users,
                                                                              agency):
    first, second = users[Role.INTERVIEWER], make_user(Role.INTERVIEWER, agency=agency)
    case = take_case(staged, first)
    done = supervision.case_reassign(case=case, interviewer=second, user=users[Role.SUPERVISOR])
    assert done.claim_cleared
    case.refresh_from_db()
    assert case.reserved_for == second and case.assigned_to is None
    assert case_next(wave=staged, user=first, now=OPEN_NOW).case.pk != case.pk
    assert case_next(wave=staged, user=second, now=OPEN_NOW).case.pk == case.pk
    [event] = audit_of("case_reassign")
    assert event.object_id == str(case.pk) and event.detail["interviewer"] == second.username


@pytest.mark.django_db
def test_reassign_keeps_the_claim_of_an_interviewer_in_the_interview(staged, users, agency):
    first, second = users[Role.INTERVIEWER], make_user(Role.INTERVIEWER, agency=agency)
    case = take_case(staged, first)
    interview_start_or_resume(case=case, user=first, now=OPEN_NOW)
    done = supervision.case_reassign(case=case, interviewer=second, user=users[Role.SUPERVISOR])
    assert not done.claim_cleared
    case.refresh_from_db()
    assert case.assigned_to == first and case.reserved_for == second


@pytest.mark.django_db
def test_reassign_only_to_an_interviewer_of_the_wave_agency(staged, users, other_agency):
    case = staged.cases.first()
    outsider = make_user(Role.INTERVIEWER, agency=other_agency)
    with pytest.raises(FieldworkError, match="not an interviewer of") as caught:
        supervision.case_reassign(case=case, interviewer=outsider, user=users[Role.SUPERVISOR])
    assert caught.value.fields["field"] == "interviewer"
    with pytest.raises(FieldworkError, match="not an interviewer of"):
        supervision.case_reassign(case=case, interviewer=users[Role.SUPERVISOR],
                                  user=users[Role.SUPERVISOR])
    case.refresh_from_db()
    assert case.reserved_for is None


@pytest.mark.django_db
def test_close_gives_the_final_disposition_from_the_attempts(staged, users):
    me = users[Role.INTERVIEWER]
    case = take_case(staged, me)
    for outcome in ("no_answer", "answering_machine"):
        Case.objects.filter(pk=case.pk).update(assigned_to=me, assigned_at=OPEN_NOW)
        case = Case.objects.get(pk=case.pk)
        call_attempt_record(case=case, user=me, outcome=outcome, event_id=uuid.uuid4())
    closed = supervision.case_close(case=case, user=users[Role.SUPERVISOR])
    assert (closed.status, closed.final_code) == (Case.Status.FINAL, "3.14")
    assert closed.assigned_to is None and closed.next_call_at is None
    with pytest.raises(FieldworkConflict, match="final"):
        supervision.case_close(case=closed, user=users[Role.SUPERVISOR])
    [event] = audit_of("case_close")
    assert event.detail["final_code"] == "3.14" and event.user == users[Role.SUPERVISOR]


@pytest.mark.django_db
def test_close_a_case_mid_interview_makes_a_partial(staged, users):
    me = users[Role.INTERVIEWER]
    case = take_case(staged, me)
    state, _ = interview_start_or_resume(case=case, user=me, now=OPEN_NOW)
    answer_submit(interview=state.interview, user=me, event_id=uuid.uuid4(), path="trading",
                  value="1", now=OPEN_NOW)
    closed = supervision.case_close(case=case, user=users[Role.SUPERVISOR])
    assert closed.final_code == "1.2"
    assert Interview.objects.get(case=case).status == Interview.Status.PARTIAL


@pytest.mark.django_db
def test_open_and_close_the_wave_are_audited(agency, users):
    wave = with_replicates(wave_in_field(agency, open_field=False))
    assert supervision.wave_open(wave=wave, user=users[Role.ADMIN]).status == "in_field"
    closed = supervision.wave_finish(wave=wave, user=users[Role.ADMIN])
    assert closed.status == Wave.Status.CLOSED
    assert set(wave.cases.values_list("final_code", flat=True)) == {"3.11"}
    assert [e.detail["supervision"] for e in audit_of("wave_open") + audit_of("wave_close")] \
        == ["wave_open", "wave_close"]
    with pytest.raises(FieldworkConflict, match="closed"):
        supervision.case_close(case=wave.cases.first(), user=users[Role.ADMIN])


@pytest.mark.django_db
def test_replicates_release_sends_replicates_released_after_storing(staged):
    from sampling.signals import replicates_released

    seen = []

    def receiver(sender, *, sample, replicates, **kwargs):
        sample.refresh_from_db()
        seen.append((sender, sample.pk, replicates, sample.released_replicates))

    replicates_released.connect(receiver)
    try:
        replicates_release(sample=staged.sample, replicates=[3])
    finally:
        replicates_released.disconnect(receiver)
    assert seen == [(type(staged.sample), staged.sample.pk, [1, 3], [1, 3])]
