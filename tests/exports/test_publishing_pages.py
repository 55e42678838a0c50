"""The analyst's side of publication: estimates reviewed (filters, borough names, CSV and
XLSX downloads through the formula-safety function), a wave published from a page with a
preview and a confirmation, a publication withdrawn with a reason the public is told; the
public API paginated; proportions at 0% or 100% with a proper interval."""

import csv
import io

import numpy as np
import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from analysis.core.boundary import BOUNDARY_METHOD, boundary_interval, with_boundary_intervals
from analysis.models import EstimateSet
from bas.errors import BasError
from exports.models import Publication, PublicationFile
from exports.services import publication_withdraw, wave_publish_confirmed
from survey.models import Wave

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client, users):
    client.force_login(users[Role.ANALYST])
    return users[Role.ANALYST]


def next_set(published) -> EstimateSet:
    return EstimateSet.objects.filter(run__wave=published["next"]).latest("pk")


# -- intervals at 0% and 100% --------------------------------------------------------------

def test_a_proportion_at_0_or_100_percent_gets_a_korn_graubard_interval():
    low, high = boundary_interval(np.array([0.0, 1.0]), np.array([30, 30]))
    assert low[0] == 0 and high[0] == pytest.approx(1 - 0.025 ** (1 / 30))
    assert high[1] == 1 and low[1] == pytest.approx(0.025 ** (1 / 30))
    rows = with_boundary_intervals([
        {"estimate": 1.0, "n": 12, "ci_low": None, "ci_high": 1.0},
        {"estimate": 0.4, "n": 12, "ci_low": 0.2, "ci_high": 0.6}], "logit")
    assert rows[0]["ci_method"] == BOUNDARY_METHOD and 0.7 < rows[0]["ci_low"] < 1
    assert rows[1] == {"estimate": 0.4, "n": 12, "ci_low": 0.2, "ci_high": 0.6,
                       "ci_method": "logit"}


def test_estimate_sets_carry_a_bound_for_every_row(published):
    rows = next_set(published).rows
    edge = [r for r in rows if r["estimate"] in (0.0, 1.0) and r["n"]]
    assert all(r["ci_low"] is not None and r["ci_high"] is not None for r in rows if r["n"])
    assert all(r["ci_method"] == BOUNDARY_METHOD for r in edge)


# -- estimates review ------------------------------------------------------------------------

def test_review_filters_by_measure_and_domain_with_borough_names(published, client, analyst):
    estimates = next_set(published)
    url = reverse("estimates-detail", args=[estimates.pk])
    page = client.get(url, {"measure": "victim_online", "by": "borough"}).content.decode()
    assert "Camden" in page and "E09000007" not in page.split("<tbody>")[1]
    assert "Confidence in the police</td>" not in page
    page = client.get(url, {"domain": "E09000007"}).content.decode()
    body = page.split("<tbody>")[1]
    assert body.count("<tr>") == len({r["variable"] for r in estimates.rows}) - 0
    assert "Westminster" not in body


def test_downloads_are_csv_and_xlsx_with_every_text_cell_made_safe(published, client, analyst):
    estimates = next_set(published)
    estimates.rows = [*estimates.rows, {"variable": "=HYPERLINK(\"x\")", "by": "", "domain": "",
                                        "estimate": 0.5, "se": 0.1, "ci_low": 0.3,
                                        "ci_high": 0.7, "n": 40, "deff": 1.2}]
    estimates.save()
    response = client.get(reverse("estimates-download", args=[estimates.pk, "csv"]),
                          {"by": "all"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:3] == ["Measure", "Measure, in words", "Breakdown"]
    assert {row[2] for row in table[1:]} == {"all"}
    assert table[-1][0] == "'=HYPERLINK(\"x\")"
    response = client.get(reverse("estimates-download", args=[estimates.pk, "xlsx"]),
                          {"by": "borough", "measure": "victim_online"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Estimates"]
    values = [row for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert values and {row[4] for row in values} >= {"Camden"}
    assert client.get(f"/analysis/estimates/{estimates.pk}/download.exe").status_code == 404


# -- publish with a preview and a confirmation; withdraw with a reason --------------------------

def test_the_publish_page_previews_and_stores_nothing(published, client, analyst):
    wave = published["next"]
    before = (Publication.objects.count(), EstimateSet.objects.count())
    page = client.get(reverse("publication-new", args=[wave.pk])).content.decode()
    for text in ("what the public will see", "Headline estimates", "Methodology note",
                 "Achieved interviews", "Compared with", "Wave 2024", "I have checked",
                 "95% confidence interval (%)"):
        assert text in page, text
    assert (Publication.objects.count(), EstimateSet.objects.count()) == before
    wave.refresh_from_db()
    assert wave.published_at is None


def test_a_wave_without_an_accepted_run_says_what_to_do_first(published, client, analyst):
    wave = published["next"]
    wave.weightings.update(accepted_at=None)
    page = client.get(reverse("publication-new", args=[wave.pk])).content.decode()
    assert "has no accepted weighting run: weight the wave, check the diagnostics" in page
    assert "I have checked" not in page


def test_publishing_needs_the_confirmation(published, client, analyst, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wave = published["next"]
    response = client.post(reverse("publication-create", args=[wave.pk]))
    assert response.status_code == 400
    assert "tick the box to confirm" in response.content.decode()
    assert not Publication.objects.filter(wave=wave).exists()
    response = client.post(reverse("publication-create", args=[wave.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    publication = Publication.objects.get(wave=wave)
    assert publication.created_by == analyst
    assert set(publication.files.values_list("name", flat=True)) == {
        "bas_results.xlsx", "bas_results.csv", "bas_results_metadata.json"}
    assert (tmp_path / "publications").is_dir()
    page = client.get(reverse("publication-list")).content.decode()
    assert "Wave 2025" in page and "live" in page


def test_withdrawal_needs_a_reason_and_the_public_is_told(published, client, users):
    publication = published["result"].publication
    with pytest.raises(BasError, match="Say why the publication is withdrawn"):
        publication_withdraw(publication=publication, reason="  oops ")
    publication_withdraw(publication=publication, user=users[Role.ANALYST],
                         reason="An error in the weighting of Wave 2024 was found.")
    with pytest.raises(BasError, match="was already withdrawn on"):
        publication_withdraw(publication=publication, reason="An error again, twice over.")
    client.logout()
    waves = client.get(reverse("public-waves")).json()["results"]
    assert waves == [{**waves[0], "name": "Wave 2024", "status": "withdrawn",
                      "withdrawal_reason": "An error in the weighting of Wave 2024 was found.",
                      "downloads": {}}]
    assert waves[0]["withdrawn_at"]
    assert client.get(reverse("public-estimates")).json()["count"] == 0
    page = client.get(reverse("results-dashboard")).content.decode()
    assert "withdrawn" in page and "An error in the weighting of Wave 2024 was found." in page
    name = "bas_results.csv"
    assert client.get(reverse("results-download", args=[publication.pk, name])
                      ).status_code == 404


def test_the_api_previews_publishes_and_withdraws(published, client, analyst, settings,
                                                  tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wave = published["next"]
    preview = client.get(reverse("api-publication-preview", args=[wave.pk])).json()
    assert preview["ready"] and preview["rows"] and preview["previous_wave"] == "Wave 2024"
    refused = client.post(reverse("api-publication-create", args=[wave.pk]), {},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "not_confirmed"
    created = client.post(reverse("api-publication-create", args=[wave.pk]), {"confirm": True},
                          content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    short = client.post(reverse("api-publication-withdraw", args=[pk]), {"reason": "no"},
                        content_type="application/json")
    assert short.status_code == 400 and short.json()["errors"][0]["field"] == "reason"
    done = client.post(reverse("api-publication-withdraw", args=[pk]),
                       {"reason": "Published before the embargo date."},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["withdrawn_reason"]
    again = client.post(reverse("api-publication-withdraw", args=[pk]),
                        {"reason": "Published before the embargo date."},
                        content_type="application/json")
    assert again.status_code == 409


# -- the public API and downloads ---------------------------------------------------------------

def test_public_downloads_are_served_from_the_database(published, client):
    publication = published["result"].publication
    waves = client.get(reverse("public-waves")).json()["results"]
    links = waves[0]["downloads"]
    assert set(links) == {"bas_results.xlsx", "bas_results.csv", "bas_results_metadata.json"}
    for name, link in links.items():
        response = client.get(link)
        assert response.status_code == 200, name
        stored = PublicationFile.objects.get(publication=publication, name=name)
        assert response.content == bytes(stored.content)
    assert waves[0]["release_date"] and waves[0]["status"] == "published"
    assert client.get(reverse("results-download", args=[publication.pk, "bas_microdata.csv"])
                      ).status_code == 404


def test_public_api_is_paginated_with_a_bounded_page_size(published, client):
    first = client.get(reverse("public-estimates"), {"page_size": 7}).json()
    total = first["count"]
    assert total > 7 and len(first["results"]) == 7 and first["previous"] is None
    assert "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert second["results"] != first["results"] and second["previous"]
    huge = client.get(reverse("public-estimates"), {"page_size": 100000}).json()
    assert len(huge["results"]) == min(total, 500)
    assert len(client.get(reverse("public-estimates")).json()["results"]) == min(total, 100)
    assert client.get(reverse("public-estimates"), {"page": 9999}).status_code == 404
    assert client.get(reverse("public-changes")).json()["count"] == 0


def test_only_waves_published_and_not_withdrawn_are_public(published):
    assert Wave.objects.get(pk=published["wave"].pk).published_at is not None
    with pytest.raises(BasError, match="tick the box"):
        wave_publish_confirmed(wave=published["next"], confirmed=False)


def test_notes_state_the_interval_used_at_0_and_100_percent(published):
    import datetime as dt
    import json

    from exports.disclosure import DisclosureRules
    from exports.opendata import opendata_metadata_json
    from exports.publication import Publication as PublicationData
    from exports.publication import WaveFacts
    from exports.tables import published_rows
    from exports.workbook import publication_workbook

    rows = published_rows([
        {"variable": "victim_online", "by": "", "domain": "", "estimate": 1.0, "se": 0.0,
         "ci_low": 0.9, "ci_high": 1.0, "n": 40, "deff": None, "ci_method": BOUNDARY_METHOD},
    ], DisclosureRules(threshold=4))
    assert rows[0]["ci_method"] == BOUNDARY_METHOD and rows[0]["ci_low"] == 0.9
    facts = WaveFacts(1, "Wave X", None, None, 40, None, dt.date(2026, 1, 5))
    data = PublicationData(facts, DisclosureRules(threshold=4), rows)
    assert "Korn-Graubard" in data.interval_note()
    notes = openpyxl.load_workbook(io.BytesIO(publication_workbook(data)))["Notes"]
    assert any("Korn-Graubard" in str(row[1]) for row in notes.iter_rows(values_only=True))
    metadata = json.loads(opendata_metadata_json(data))
    assert "Korn-Graubard" in metadata["methodology"]["confidence_intervals"]
    plain = PublicationData(facts, DisclosureRules(threshold=4), [{**rows[0], "ci_method": ""}])
    assert "Korn-Graubard" not in plain.interval_note()


def test_percent_filter():
    from exports.templatetags.results import percent

    assert (percent(0.1234), percent(1.0), percent(None), percent(0.5, 0)) == (
        "12.3", "100.0", "-", "50")
