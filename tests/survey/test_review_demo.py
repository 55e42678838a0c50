"""The demo's review: one interview rejected with a comment on a question, amended with a
reason and resubmitted, then every complete approved by the supervisor and by MOPAC."""

import pytest

from accounts.roles import Role
from demo.review import review_wave
from survey.models import AnswerEvent, Interview, ReviewEvent, Wave
from tests.factories import make_user
from tests.survey.test_review import completed, reviewed_wave


@pytest.mark.django_db
def test_the_demo_review_rejects_one_amends_it_and_approves_all(agency, users):
    wave = reviewed_wave(agency, Wave.Review.AGENCY_MOPAC)
    second = make_user(Role.INTERVIEWER, agency, username="second")
    first = completed(wave, users[Role.INTERVIEWER])
    completed(wave, second)
    log = review_wave(wave, supervisor=users[Role.SUPERVISOR], analyst=users[Role.ANALYST])
    assert log.approved == 2 and log.rejected == first.pk
    assert not Interview.objects.exclude(review_status=Interview.Review.APPROVED).exists()
    rejection = ReviewEvent.objects.get(action="rejected")
    assert [c.path for c in rejection.comments.all()] == [log.path]
    amended = AnswerEvent.objects.get(interview=first, path=log.path, reason__gt="")
    assert amended.user == users[Role.INTERVIEWER] and amended.previous != amended.value
    assert list(ReviewEvent.objects.filter(interview=first).values_list("action", flat=True)) == [
        "completed", "rejected", "resubmitted", "approved", "approved"]
    assert rejection.recorded_at > first.completed_at  # review times follow the record
