"""Two replicate releases at the same instant both count (issue 18, item 5): the sample's row
is locked before the replicates released so far are read. Threads with their own database
connections, as concurrent requests; runs on SQLite and PostgreSQL."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from sampling import services
from sampling.models import Sample, SampledBusiness
from survey.models import Case
from survey.services.supervision import wave_replicate_release_next
from tests.factories import AgencyFactory, make_user
from tests.survey.fieldwork_factories import wave_in_field
from tests.survey.test_fieldwork_concurrency import run_at_once
from tests.survey.test_supervision_services import with_replicates


@pytest.fixture
def agency(transactional_db):
    # earlier transactional tests flush the tables, the migration's groups included
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return AgencyFactory()


def _released(sample: Sample) -> tuple[list[int], set[int]]:
    sample.refresh_from_db()
    flagged = set(SampledBusiness.objects.filter(sample=sample, released=True)
                  .values_list("replicate", flat=True))
    return sorted(sample.released_replicates), flagged


@pytest.mark.django_db(transaction=True)
def test_two_analysts_releasing_at_once_release_both(agency):
    wave = with_replicates(wave_in_field(agency, n_per_stratum=2, replicates=5, released=1))
    for first in (2, 4):
        # each request loaded the sample before the other one's release
        stale = [Sample.objects.get(pk=wave.sample_id) for _ in range(2)]
        results = run_at_once(lambda i, stale=stale, first=first: services.replicates_release(
            sample=stale[i], replicates=[first + i]), 2)
        assert [r for r in results if isinstance(r, Exception)] == []
    assert _released(wave.sample) == ([1, 2, 3, 4, 5], {1, 2, 3, 4, 5})
    assert Case.objects.filter(wave=wave).count() == SampledBusiness.objects.filter(
        sample=wave.sample).count()


@pytest.mark.django_db(transaction=True)
def test_an_analyst_and_a_supervisor_releasing_at_once_release_both(agency):
    supervisor = make_user(Role.SUPERVISOR, agency=agency)
    for round_ in range(3):
        wave = with_replicates(wave_in_field(agency, n_per_stratum=2, replicates=3, released=1,
                                             name=f"Wave {round_}"))
        stale = Sample.objects.get(pk=wave.sample_id)

        def release(i: int, wave=wave, stale=stale):
            if i == 0:
                return services.replicates_release(sample=stale, replicates=[2])
            return wave_replicate_release_next(wave=wave, user=supervisor)

        results = run_at_once(release, 2)
        assert [r for r in results if isinstance(r, Exception)] == []
        released, flagged = _released(wave.sample)
        # the supervisor released the lowest replicate not yet released when it looked
        assert released == sorted({1, 2, results[1].replicate}) and flagged == set(released)
        assert Case.objects.filter(wave=wave).count() == SampledBusiness.objects.filter(
            sample=wave.sample, released=True).count()
