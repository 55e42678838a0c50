"""Two reviewers acting on one interview at the same moment: only one succeeds.

Each transition locks the case, then the interview, before reading its review status, so
the second finds it already moved on (409). Each thread has its own database connection, as
concurrent requests do; runs on SQLite and PostgreSQL.
"""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from survey.errors import FieldworkConflict
from survey.models import Interview, ReviewEvent, Wave
from survey.services.review import review_approve, review_reject
from tests.factories import AgencyFactory, make_user
from tests.survey.fieldwork_factories import complete_case, take_case, wave_in_field
from tests.survey.test_fieldwork_concurrency import run_at_once

ROUNDS = 3


@pytest.fixture
def field(transactional_db):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    agency = AgencyFactory()
    wave = wave_in_field(agency, n_per_stratum=2)
    Wave.objects.filter(pk=wave.pk).update(review_levels=Wave.Review.AGENCY)
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    supervisors = [make_user(Role.SUPERVISOR, agency=agency) for _ in range(2)]
    interviews = [complete_case(take_case(wave, interviewer), interviewer).interview
                  for _ in range(ROUNDS)]
    return interviews, supervisors


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_approving_and_rejecting_at_once_one_wins(field):
    interviews, supervisors = field
    for interview in interviews:
        def act(i: int, interview=interview):
            if i == 0:
                return review_approve(interview=interview, by=supervisors[0])
            return review_reject(interview=interview, by=supervisors[1], comment="No")

        results = run_at_once(act, 2)
        failures = [r for r in results if isinstance(r, Exception)]
        assert len(failures) == 1, results
        assert isinstance(failures[0], FieldworkConflict)
        assert failures[0].code == "not_awaiting_review"
        decided = ReviewEvent.objects.filter(interview=interview).exclude(action="completed")
        assert decided.count() == 1
        interview.refresh_from_db()
        assert interview.review_status == decided.get().status_after
        assert interview.review_status in (Interview.Review.APPROVED, Interview.Review.REJECTED)
