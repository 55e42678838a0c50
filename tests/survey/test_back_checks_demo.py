"""The demo's back-checks: each day drawn at its end, every check made the next morning by
the supervisor or a colleague (never the interviewer), the fast interviewer's interviews
found discrepant and sent back to review, the honest ones' not."""

from datetime import timedelta

import numpy as np
import pytest

from accounts.roles import Role
from demo.back_checks import back_check_wave
from survey.models import BackCheck, BackCheckDraw, Interview
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field
from tests.survey.test_back_checks import completes

pytestmark = pytest.mark.django_db


def test_the_demo_draws_each_day_and_makes_every_check(agency, users):
    wave = wave_in_field(agency, n_per_stratum=20)
    team = [users[Role.INTERVIEWER], *(make_user(Role.INTERVIEWER, agency=agency)
                                       for _ in range(2))]
    fast = team[-1]
    for day in range(2):
        for interviewer, n in zip(team, (8, 5, 6), strict=True):
            completes(wave, interviewer, n, at=OPEN_NOW + timedelta(days=day))
    log = back_check_wave(wave, team, users[Role.SUPERVISOR], np.random.default_rng(1),
                          fast=(fast,))
    assert log.days == 2 == BackCheckDraw.objects.count()
    checks = BackCheck.objects.all()
    assert log.drawn == checks.count() == 2 + 1 + 2  # 10% of 16, 10 and 12, rounded up
    assert not checks.filter(outcome="").exists()
    assert all(c.checker_id != c.interviewer_id for c in checks)
    assert {c.checker_id for c in checks} > {users[Role.SUPERVISOR].pk}  # colleagues too
    for check in checks:
        assert check.checked_at > check.interview.completed_at  # the record's own times
    escalated = set(checks.filter(escalated=True).values_list("interviewer_id", flat=True))
    assert escalated == {fast.pk}
    assert set(log.escalated) == set(Interview.objects.filter(
        review_status=Interview.Review.COMPLETED).values_list("pk", flat=True))
    assert any("back-checked" in line for line in log.lines)


def test_the_demo_review_holds_what_a_back_check_found_discrepant(agency, users):
    from demo.review import review_wave
    from survey.models import Wave

    wave = wave_in_field(agency, n_per_stratum=20)
    Wave.objects.filter(pk=wave.pk).update(review_levels=Wave.Review.AGENCY_MOPAC)
    wave.refresh_from_db()
    team = [users[Role.INTERVIEWER], make_user(Role.INTERVIEWER, agency=agency)]
    for interviewer in team:
        completes(wave, interviewer, 10, at=OPEN_NOW)
    log = back_check_wave(wave, team, users[Role.SUPERVISOR], np.random.default_rng(1),
                          fast=(team[-1],))
    assert log.escalated
    review = review_wave(wave, supervisor=users[Role.SUPERVISOR], analyst=users[Role.ANALYST])
    assert review.held == len(log.escalated)
    assert set(Interview.objects.filter(review_status=Interview.Review.COMPLETED)
               .values_list("pk", flat=True)) == set(log.escalated)
