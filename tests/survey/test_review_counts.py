"""Only interviews approved at the wave's last level count as completes: targets, AAPOR
rates and the supervision page, and the weighting's respondent table."""

from datetime import timedelta

import pytest

from accounts.roles import Role
from analysis.respondents import case_frame, respondent_answers
from survey.models import Interview, Wave
from survey.selectors.supervision import supervised_waves, wave_report
from survey.services.queue import full_strata
from survey.services.review import escalate_to_review, review_approve
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW
from tests.survey.test_review import completed, reviewed_wave

LATER = OPEN_NOW + timedelta(hours=1)


@pytest.fixture
def two_done(agency, users):
    """A wave reviewed by the agency only: two completes, the first approved."""
    wave = reviewed_wave(agency, Wave.Review.AGENCY)
    other = make_user(Role.INTERVIEWER, agency, username="second")
    first = completed(wave, users[Role.INTERVIEWER])
    second = completed(wave, other)
    review_approve(interview=first, by=users[Role.SUPERVISOR], now=LATER)
    return wave, first, second


@pytest.mark.django_db
def test_supervision_shows_completed_and_approved(two_done):
    wave, first, second = two_done
    report = wave_report(wave=wave)
    assert (report.review.completed, report.review.approved) == (2, 1)
    assert report.review.awaiting_agency == 1
    assert report.overall.completed == 1 and report.overall.partial == 1
    assert report.overall.rates["RR1"] == pytest.approx(1 / report.overall.issued)
    assert {d["code"]: d["cases"] for d in report.dispositions}["1.1"] == 1
    assert supervised_waves(user=first.interviewer).get(pk=wave.pk).completes == 1


@pytest.mark.django_db
def test_targets_count_approved_completes_only(two_done):
    wave, first, second = two_done
    stratum = first.case.stratum
    Wave.objects.filter(pk=wave.pk).update(stratum_targets={stratum: 1,
                                                             second.case.stratum: 1})
    wave.refresh_from_db()
    full = full_strata(wave)
    assert stratum in full
    if second.case.stratum != stratum:
        assert second.case.stratum not in full


@pytest.mark.django_db
def test_weighting_counts_approved_interviews_as_respondents(two_done, users):
    wave, first, second = two_done
    table = case_frame(wave).set_index("case")
    assert table.loc[first.case_id, "status"] == "respondent"
    assert table.loc[second.case_id, "status"] == "nonrespondent"
    assert table.loc[second.case_id, "disposition"] == "1.2"
    assert list(respondent_answers(wave).index) == [first.case_id]
    escalate_to_review(first, by=users[Role.SUPERVISOR], reason="Back-check", now=LATER)
    assert respondent_answers(wave).empty


@pytest.mark.django_db
def test_a_wave_without_review_counts_every_complete(agency, users):
    wave = reviewed_wave(agency, Wave.Review.NONE)
    completed(wave, users[Role.INTERVIEWER])
    report = wave_report(wave=wave)
    assert (report.review.completed, report.review.approved, report.overall.completed) == (
        1, 1, 1)
    assert Interview.objects.get().review_status == ""


@pytest.mark.django_db
def test_the_supervision_api_gives_both_counts(two_done, users):
    from django.test import Client
    from django.urls import reverse

    wave, first, second = two_done
    client = Client()
    client.force_login(users[Role.SUPERVISOR])
    body = client.get(reverse("api-wave-supervision", args=[wave.pk])).json()
    assert body["review"]["completed"] == 2 and body["review"]["approved"] == 1
    assert body["overall"]["completed"] == 1


@pytest.mark.django_db
def test_weighting_says_how_many_completes_are_still_in_review(two_done):
    from analysis.core import AnalysisError
    from analysis.models import WeightingRun
    from analysis.services import weighting_run

    wave, first, second = two_done
    try:
        run = weighting_run(wave=wave)
    except AnalysisError:  # two interviews may not weight; the run still says what it read
        run = WeightingRun.objects.get(wave=wave)
    assert ("completed interviews not yet approved in review, so not respondents "
            "(AAPOR 1.2): 1") in run.progress


@pytest.mark.django_db
def test_each_interviewers_approved_interviews_beside_their_completes(two_done):
    from survey.selectors.supervision import interviewer_productivity

    wave, first, second = two_done
    approved = {p.user_id: p.approved for p in interviewer_productivity(wave=wave)}
    assert approved.get(first.interviewer_id, 0) == 1
    assert approved.get(second.interviewer_id, 0) == 0
