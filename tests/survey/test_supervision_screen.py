"""The supervisor's wave screen: progress bars by borough and sector, who holds which case,
durations from the interview's own timestamps (never negative), case search and sorting,
CSV downloads, and a release confirmation that says how many cases."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from sampling.models import FrameBusiness
from survey.models import Case, Interview
from survey.selectors.supervision import interview_minutes, wave_report
from tests.factories import PASSWORD, make_user
from tests.survey.fieldwork_factories import take_case, wave_in_field
from tests.survey.test_supervision_selectors import DAY1, A, B, at, constructed  # noqa: F401

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_progress_by_sector_with_targets_shared_from_the_strata(constructed):  # noqa: F811
    sectors = {t.key: t for t in wave_report(wave=constructed).by_sector}
    trade, professional = sectors["trade_transport"], sectors["professional_business"]
    assert (trade.label, trade.issued, trade.completed, trade.target) == (
        "Wholesale, retail and transport", 5, 2, 4)
    assert (professional.issued, professional.completed, professional.target) == (5, 1, 6)
    assert trade.achieved == pytest.approx(0.5)


def test_interview_length_is_never_negative(constructed, agency):  # noqa: F811
    """An interview completed 'before' it started (clocks that disagree) is untimed."""
    wrong = Case.objects.filter(wave=constructed, stratum=A).order_by("pk")[4]
    interviewer = Interview.objects.filter(case__wave=constructed).first().interviewer
    made = Interview.objects.create(case=wrong, version=constructed.questionnaire_version,
                                    interviewer=interviewer, status=Interview.Status.COMPLETE,
                                    completed_at=at(DAY1, "09:00"))
    Interview.objects.filter(pk=made.pk).update(started_at=at(DAY1, "09:00") + timedelta(days=400))
    people = {p.username: p for p in wave_report(wave=constructed).interviewers}
    person = people[interviewer.username]
    assert person.average_minutes == pytest.approx(25.0)  # 20 and 30, not the wrong one
    assert person.untimed == 1
    assert all(p.average_minutes is None or p.average_minutes >= 0 for p in people.values())
    assert interview_minutes(at(DAY1, "10:00"), at(DAY1, "09:00")) is None
    assert interview_minutes(at(DAY1, "09:00"), at(DAY1, "09:30")) == 30


def test_the_wave_page_shows_bars_sectors_who_is_where_and_downloads(constructed, agency):  # noqa: F811
    supervisor = make_user(Role.SUPERVISOR, agency=agency)
    interviewer = make_user(Role.INTERVIEWER, agency=agency, username="ivy")
    take_case(constructed, interviewer)
    page = client_for(supervisor).get(reverse("supervision-wave", args=[constructed.pk])).text
    assert '<progress id="wave-progress" max="10" value="3">' in page
    assert 'id="by-sector"' in page and "Wholesale, retail and transport" in page
    assert "2 of 4 (50%)" in page
    assert 'id="at-work"' in page and "<td>ivy</td>" in page
    assert "progress.csv" in page and "cases.csv" in page
    assert "data-refresh-seconds" in page
    assert "<style>" not in page and "onsubmit" not in page  # no inline code (CSP)


def test_release_confirmation_says_how_many_cases(agency):
    wave = wave_in_field(agency, n_per_stratum=2, replicates=3, released=1)
    supervisor = make_user(Role.SUPERVISOR, agency=agency)
    page = client_for(supervisor).get(reverse("supervision-wave", args=[wave.pk])).text
    assert "Release replicate 2? 4 more businesses will join this wave" in page
    assert "Release replicate 2 (4 cases)" in page


def test_progress_csv_has_every_domain(constructed, agency):  # noqa: F811
    analyst = make_user(Role.ANALYST)
    response = client_for(analyst).get(reverse("supervision-progress-csv", args=[constructed.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    domains = {(r["domain"], r["key"]) for r in rows}
    assert ("wave", "all") in domains and ("stratum", A) in domains and ("stratum", B) in domains
    assert ("sector", "trade_transport") in domains and ("borough", "E09000001") in domains
    wave_row = next(r for r in rows if r["domain"] == "wave")
    assert (wave_row["completed"], wave_row["target"], wave_row["RR3"]) == ("3", "10", "0.35")


def _cases_csv(client, wave, **params) -> list[dict]:
    response = client.get(reverse("supervision-cases-csv", args=[wave.pk]), params)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_cases_csv_has_no_contact_details_and_is_formula_safe(agency):
    wave = wave_in_field(agency, n_per_stratum=2)
    businesses = Case.objects.filter(wave=wave).values("sampled_business__business")
    for business in FrameBusiness.objects.filter(pk__in=businesses):
        business.reference = f"=HYPERLINK({business.pk})"
        business.save(update_fields=["reference"])
    rows = _cases_csv(client_for(make_user(Role.SUPERVISOR, agency=agency)), wave)
    assert len(rows) == 4
    assert set(rows[0]) == {"case", "reference", "stratum", "borough", "status", "calls",
                            "last_code", "final_code", "next_call_at", "held_by",
                            "reserved_for"}
    assert all(r["reference"].startswith("'=") for r in rows)
    text = str(rows)
    assert "020 7946" not in text and "Example Street" not in text


def test_case_search_by_reference_and_by_name_only_for_the_agency(agency):
    wave = wave_in_field(agency, n_per_stratum=2)
    first = Case.objects.filter(wave=wave).order_by("pk").first().sampled_business.business
    supervisor = client_for(make_user(Role.SUPERVISOR, agency=agency))
    analyst = client_for(make_user(Role.ANALYST))
    url = reverse("supervision-cases", args=[wave.pk])
    by_reference = supervisor.get(url, {"q": first.reference}).text
    assert by_reference.count("<tr data-case=") == 1
    by_name = supervisor.get(url, {"q": first.name}).text
    assert by_name.count("<tr data-case=") == 1 and first.name in by_name
    # MOPAC's analysts work with references: no names shown, none searchable.
    assert analyst.get(url, {"q": first.name}).text.count("<tr data-case=") == 0
    assert first.name not in analyst.get(url).text
    assert len(_cases_csv(analyst, wave, q=first.reference)) == 1


def test_cases_sort_by_calls_then_case(agency):
    wave = wave_in_field(agency, n_per_stratum=2)
    busiest = Case.objects.filter(wave=wave).order_by("pk").last()
    Case.objects.filter(pk=busiest.pk).update(attempt_count=5)
    page = client_for(make_user(Role.SUPERVISOR, agency=agency)).get(
        reverse("supervision-cases", args=[wave.pk]), {"order": "calls"}).text
    assert page.index(f'<tr data-case="{busiest.pk}"') == page.index("<tr data-case=")


def test_paging_keeps_the_search(agency):
    wave = wave_in_field(agency, n_per_stratum=30)
    page = client_for(make_user(Role.SUPERVISOR, agency=agency)).get(
        reverse("supervision-cases", args=[wave.pk]), {"q": "SYN", "order": "stratum"}).text
    assert "q=SYN" in page and "order=stratum" in page and "page=2" in page


def test_a_fractional_target_is_shown_as_it_is_counted():
    """A sector's target shared from strata can be fractional: '2 of 1.2 (165%)', never the
    rounded '2 of 1 (165%)'."""
    from django.template.loader import render_to_string

    from survey.selectors.supervision import CaseRow, tally

    rows = [CaseRow(stratum="s", borough="E09000001", disposition="1.1", attempted=True)] * 2
    html = render_to_string("survey/supervision/_tally_table.html",
                            {"rows": [tally("x", "Sector X", rows, 1.21)], "heading": "Sector",
                             "table_id": "t"})
    assert "2 of 1.2 (165%)" in html and "2 of 1 (" not in html
