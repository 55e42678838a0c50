"""One interviewer sending two next-case requests at the same moment holds one case.

(A double click, or two browser tabs.) Each thread has its own database connection, as
concurrent requests do; runs on SQLite and PostgreSQL.
"""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from survey.models import Case
from survey.services.queue import case_next
from tests.factories import AgencyFactory, make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field
from tests.survey.test_fieldwork_concurrency import run_at_once

REQUESTS = 2
ROUNDS = 5


@pytest.fixture
def field(transactional_db):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    agency = AgencyFactory()
    wave = wave_in_field(agency, n_per_stratum=6)
    return wave, make_user(Role.INTERVIEWER, agency=agency)


@pytest.mark.django_db(transaction=True)
def test_two_next_case_requests_of_one_interviewer_at_once_hold_one_case(field):
    wave, me = field
    for _ in range(ROUNDS):
        Case.objects.filter(assigned_to=me).update(assigned_to=None, assigned_at=None)
        results = run_at_once(lambda i: case_next(wave=wave, user=me, now=OPEN_NOW), REQUESTS)
        assert [r for r in results if isinstance(r, Exception)] == []
        assert Case.objects.filter(assigned_to=me).count() == 1
        held = Case.objects.get(assigned_to=me)
        assert {r.case.pk for r in results} == {held.pk}
        assert sorted(r.reason for r in results) == ["fresh", "held"]
