import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from tests.factories import AgencyFactory, make_user
from tests.survey.fieldwork_factories import take_case, wave_in_field


@pytest.fixture
def field(transactional_db):
    """A wave in the field, an interviewer, and a case claimed by them (at OPEN_NOW, inside
    the wave's calling hours: starting the interview later needs only the claim)."""
    for role in Role:  # earlier transactional tests flush the migration's groups
        Group.objects.get_or_create(name=role.value)
    agency = AgencyFactory()
    wave = wave_in_field(agency, n_per_stratum=2)
    me = make_user(Role.INTERVIEWER, agency=agency)
    return wave, me, take_case(wave, me)
