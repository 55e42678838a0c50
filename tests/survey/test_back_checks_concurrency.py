"""Two checkers taking (or recording) the same back-check at the same moment: one wins, the
other gets a 409; two draws of the same day at once draw once. Each thread has its own
database connection, as concurrent requests do; runs on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from survey.errors import FieldworkConflict
from survey.models import BackCheck, BackCheckDraw
from survey.services import back_checks as services
from tests.factories import AgencyFactory, make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field
from tests.survey.test_back_checks import DAY, completes
from tests.survey.test_fieldwork_concurrency import run_at_once

EVENING = OPEN_NOW + timedelta(hours=10)
SCRIPT = {"happened": "yes", "respondent_role": "owner", "minutes": 20, "answers": {}}
ROUNDS = 3


@pytest.fixture
def field(transactional_db):
    for role in Role:  # earlier transactional tests flush the migration's groups
        Group.objects.get_or_create(name=role.value)
    agency = AgencyFactory()
    wave = wave_in_field(agency, n_per_stratum=5)
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    checkers = [make_user(Role.INTERVIEWER, agency=agency),
                make_user(Role.SUPERVISOR, agency=agency)]
    return wave, interviewer, checkers


@pytest.mark.django_db(transaction=True)
def test_two_draws_of_one_day_at_once_draw_once(field):
    wave, interviewer, _ = field
    completes(wave, interviewer, 10)
    results = run_at_once(lambda i: services.draw_back_checks(wave, day=DAY, now=EVENING), 2)
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(r.new for r in results) == [False, True]
    assert BackCheckDraw.objects.count() == 1 and BackCheck.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_checkers_at_once_one_wins(field):
    wave, interviewer, checkers = field
    completes(wave, interviewer, 10)
    services.back_check_plan_update(wave=wave, user=None, share_percent=30, seed=1,
                                    key_questions=[])
    checks = services.draw_back_checks(wave, day=DAY, now=EVENING).selected
    assert len(checks) == ROUNDS
    for check, action in zip(checks, ("take", "record", "take"), strict=True):
        def work(i: int, check=check, action=action):
            if action == "take":
                return services.back_check_take(back_check=check, user=checkers[i],
                                                now=EVENING)
            return services.back_check_record(back_check=check, user=checkers[i],
                                              now=EVENING, outcome="confirmed", note="",
                                              script=SCRIPT)

        results = run_at_once(work, 2)
        errors = [r for r in results if isinstance(r, Exception)]
        assert len(errors) == 1 and isinstance(errors[0], FieldworkConflict), results
        winner = next(r for r in results if not isinstance(r, Exception))
        check.refresh_from_db()
        assert check.checker_id == winner.checker_id
