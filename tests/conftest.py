import pytest
from hypothesis import settings as hypothesis_settings

from accounts.roles import Role
from tests.factories import AgencyFactory, make_user

# Property tests check what holds, not how fast: a loaded CI machine must not fail them on
# Hypothesis's per-example deadline (speed targets live in benchmarks/).
hypothesis_settings.register_profile("bas", deadline=None)
hypothesis_settings.load_profile("bas")


@pytest.fixture
def agency(db):
    return AgencyFactory()


@pytest.fixture
def other_agency(db):
    return AgencyFactory()


@pytest.fixture
def users(db, agency):
    """One user of each role; fieldwork roles in `agency`, MOPAC roles in MOPAC."""
    return {role: make_user(role, agency=agency if role in (
        Role.INTERVIEWER, Role.SUPERVISOR) else None) for role in Role}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_public_rate_limit(settings):
    """Tests share one client address and the limit's table outlives transactional tests'
    flushes; the limit is tested on its own (tests/exports/test_public_rate_limit.py)."""
    settings.PUBLIC_API_RATE = None
