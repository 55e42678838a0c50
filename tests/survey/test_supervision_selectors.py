"""Supervision's read side on a constructed wave whose figures are worked out by hand.

The wave has 10 cases in two strata (A = E09000001|G, B = E09000033|M), five each:

    A1 1.1  A2 1.1  A3 2.11  A4 3.13 (interim)  A5 never dialled (3.11)
    B1 1.1  B2 2.21 (interim)  B3 4.20  B4 2.32  B5 3.12 then 3.14 (interim -> 3.14)

so I=3, P=0, R=1, NC=1, O=1, UH=3, UO=0, NE=1 and e = 6/7.
"""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.roles import Role
from sampling.models import SampledBusiness
from survey.aapor import OUTCOMES
from survey.models import CallAttempt, Case, Interview
from survey.selectors.supervision import borough_targets, case_rows, wave_report
from tests.factories import make_user
from tests.survey.fieldwork_factories import STRATA, wave_in_field

A, B = STRATA
DAY1 = datetime(2025, 6, 11, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)
CODE_OUTCOME = {o.code: o.key for o in reversed(OUTCOMES.values())}


def at(day: datetime, hh_mm: str) -> datetime:
    hours, minutes = map(int, hh_mm.split(":"))
    return day + timedelta(hours=hours, minutes=minutes)


def dial(case: Case, user, code: str, called_at: datetime, final: bool = False) -> None:
    """Record an attempt directly (the figures, not the services, are under test here)."""
    CallAttempt.objects.create(case=case, interviewer=user, outcome=CODE_OUTCOME[code],
                               code=code, called_at=called_at)
    case.attempt_count += 1
    case.last_code = code
    case.status = Case.Status.FINAL if final else Case.Status.CALLBACK
    case.final_code = code if final else ""
    case.save()


def interview(case: Case, user, minutes: float, completed_at: datetime) -> Interview:
    made = Interview.objects.create(case=case, version=case.wave.questionnaire_version,
                                    interviewer=user, status=Interview.Status.COMPLETE,
                                    answers={"trading": "2"}, completed_at=completed_at)
    Interview.objects.filter(pk=made.pk).update(
        started_at=completed_at - timedelta(minutes=minutes))
    return made


@pytest.fixture
def constructed(agency):
    wave = wave_in_field(agency, n_per_stratum=5, target_interviews=10,
                         stratum_targets={A: 4, B: 6})
    a = make_user(Role.INTERVIEWER, agency=agency, username="interviewer_a")
    b = make_user(Role.INTERVIEWER, agency=agency, username="interviewer_b")
    cases = list(Case.objects.filter(wave=wave).order_by("pk"))
    a1, a2, a3, a4, _a5 = (c for c in cases if c.stratum == A)
    b1, b2, b3, b4, b5 = (c for c in cases if c.stratum == B)
    dial(a1, a, "1.1", at(DAY1, "10:05"), final=True)
    dial(a2, a, "1.1", at(DAY1, "10:40"), final=True)
    dial(a3, a, "2.11", at(DAY1, "11:10"), final=True)
    dial(a4, b, "3.13", at(DAY1, "10:00"))
    dial(b1, b, "1.1", at(DAY2, "10:30"), final=True)
    dial(b2, b, "2.21", at(DAY2, "11:00"))
    dial(b3, b, "4.20", at(DAY2, "11:15"), final=True)
    dial(b4, b, "2.32", at(DAY2, "11:20"), final=True)
    dial(b5, b, "3.12", at(DAY2, "11:30"))
    dial(b5, b, "3.14", at(DAY2, "11:45"))
    interview(a1, a, 20, at(DAY1, "10:30"))
    interview(a2, a, 30, at(DAY1, "11:05"))
    interview(b1, b, 40, at(DAY2, "11:00"))
    return wave


@pytest.mark.django_db
def test_current_dispositions_come_from_final_codes_or_the_attempts(constructed):
    codes = sorted(row.disposition for row in case_rows(constructed))
    assert codes == sorted(["1.1", "1.1", "2.11", "3.13", "3.11",
                            "1.1", "2.21", "4.20", "2.32", "3.14"])


@pytest.mark.django_db
def test_aapor_rates_match_the_hand_computed_figures(constructed):
    rates = wave_report(wave=constructed).rates
    assert rates["e"] == pytest.approx(6 / 7)
    assert rates["RR1"] == pytest.approx(3 / 9)
    assert rates["RR3"] == pytest.approx(3 / (6 + 6 / 7 * 3))  # = 0.35
    assert rates["RR3"] == pytest.approx(0.35)
    assert rates["COOP1"] == pytest.approx(3 / 5)
    assert rates["REF1"] == pytest.approx(1 / 9)
    assert rates["CON1"] == pytest.approx(5 / 9)


@pytest.mark.django_db
def test_counts_overall_by_stratum_and_by_borough_against_targets(constructed):
    report = wave_report(wave=constructed)
    overall = report.overall
    assert (overall.issued, overall.attempted, overall.contacted, overall.completed,
            overall.refused, overall.non_contact, overall.other, overall.unknown,
            overall.ineligible) == (10, 9, 5, 3, 1, 1, 1, 3, 1)
    assert overall.target == 10 and overall.achieved == pytest.approx(0.3)
    strata = {t.key: t for t in report.by_stratum}
    assert (strata[A].issued, strata[A].attempted, strata[A].contacted, strata[A].completed,
            strata[A].refused, strata[A].unknown, strata[A].target) == (5, 4, 3, 2, 1, 2, 4)
    assert (strata[B].issued, strata[B].attempted, strata[B].contacted, strata[B].completed,
            strata[B].non_contact, strata[B].other, strata[B].ineligible,
            strata[B].unknown, strata[B].target) == (5, 5, 2, 1, 1, 1, 1, 1, 6)
    assert strata[A].achieved == pytest.approx(0.5)
    assert strata[B].rates["RR1"] == pytest.approx(1 / 4)
    boroughs = {t.key: t for t in report.by_borough}
    assert set(boroughs) == {"E09000001", "E09000033"}
    assert boroughs["E09000001"].label == "City of London"
    assert boroughs["E09000001"].completed == 2 and boroughs["E09000001"].target == 4
    assert boroughs["E09000033"].completed == 1 and boroughs["E09000033"].target == 6
    for field in ("issued", "completed", "refused", "unknown", "ineligible"):
        assert sum(getattr(t, field) for t in report.by_stratum) == getattr(overall, field)
        assert sum(getattr(t, field) for t in report.by_borough) == getattr(overall, field)
    assert {d["code"]: d["cases"] for d in report.dispositions} == {
        "1.1": 3, "2.11": 1, "2.21": 1, "2.32": 1, "3.11": 1, "3.13": 1, "3.14": 1, "4.20": 1}


@pytest.mark.django_db
def test_a_borough_target_shares_a_stratum_target_by_issued_cases(constructed):
    moved = SampledBusiness.objects.filter(sample=constructed.sample, stratum=B).first()
    moved.business.borough = "E09000001"
    moved.business.save()
    targets = borough_targets(case_rows(constructed), constructed.stratum_targets)
    assert targets == pytest.approx({"E09000001": 4 + 6 / 5, "E09000033": 6 * 4 / 5})


@pytest.mark.django_db
def test_interviewer_productivity(constructed):
    rows = {p.username: p for p in wave_report(wave=constructed).interviewers}
    a, b = rows["interviewer_a"], rows["interviewer_b"]
    # a: three calls in two clock hours (11:xx and 12:xx London time) on one day.
    assert (a.calls, a.active_hours, a.completes, a.refusals) == (3, 2, 2, 1)
    assert a.calls_per_hour == pytest.approx(1.5)
    assert a.refusal_rate == pytest.approx(1 / 3)
    assert a.average_minutes == pytest.approx(25)
    # b: one call on day 1, six in two clock hours on day 2.
    assert (b.calls, b.active_hours, b.completes, b.refusals) == (7, 3, 1, 0)
    assert b.calls_per_hour == pytest.approx(7 / 3)
    assert b.refusal_rate == 0
    assert b.average_minutes == pytest.approx(40)


@pytest.mark.django_db
def test_an_empty_wave_has_no_rates_rather_than_an_error(agency):
    wave = wave_in_field(agency, n_per_stratum=0)
    report = wave_report(wave=wave)
    assert report.overall.issued == 0
    assert report.rates["RR1"] is None and report.interviewers == []
