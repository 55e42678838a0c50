"""Publishing a weighted wave end to end: the files, the public API and the dashboard."""

import io
import json

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from analysis.models import WeightingRun
from exports.models import Publication
from exports.services import wave_publish
from survey.models import Wave

pytestmark = pytest.mark.django_db
CONTACT = ("name", "address", "phone", "postcode", "reference", "SYN", "Synthetic Business")


def sheet_rows(sheet):
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]


def test_publish_writes_every_output_and_marks_the_wave(published):
    folder, wave = published["folder"], published["wave"]
    names = {p.name for p in folder.iterdir()}
    assert {"bas_results.xlsx", "bas_results.csv", "bas_results_metadata.json",
            "bas_microdata.csv", "bas_microdata.sav", "bas_microdata.dta",
            "bas_microdata_codebook.csv", "bas_questionnaire_codebook.xlsx"} <= names
    wave.refresh_from_db()
    assert wave.published_at is not None
    publication = Publication.objects.get(wave=wave)
    assert publication.estimate_set.spec["purpose"] == "publication"
    assert {"victim_burglary", "reported_police"} <= set(publication.estimate_set.spec[
        "proportions"])


def test_workbook_figures_match_the_estimates(published):
    result = published["result"]
    estimates = pd.DataFrame(result.publication.estimate_set.rows)
    book = openpyxl.load_workbook(published["folder"] / "bas_results.xlsx")
    assert book.sheetnames == ["Cover", "Headline", "By borough", "By sector", "Change",
                               "Notes"]
    cover = {row[0]: row[1] for row in book["Cover"].iter_rows(min_row=3, values_only=True)}
    assert cover["Wave"] == "Wave 2024"
    run = result.publication.estimate_set.run
    assert cover["Achieved interviews (n)"] == run.diagnostics["respondents"]
    assert 0 < cover["Response rate (AAPOR RR3)"] < 1
    headline = book["Headline"]
    assert headline.freeze_panes == "A4"
    checked = 0
    for _group, label, estimate, low, high, base in sheet_rows(headline):
        variable = next(r["measure"] for r in result.publication.rows if r["measure_label"]
                        == label)
        row = estimates[(estimates["variable"] == variable) & (estimates["by"] == "")].iloc[0]
        if estimate == "[c]":
            assert row["n"] < 30
            continue
        assert estimate == pytest.approx(round(row["estimate"], 3))
        assert low == pytest.approx(round(row["ci_low"], 3))
        assert high == pytest.approx(round(row["ci_high"], 3))
        assert base == row["n"]
        checked += 1
    assert checked >= 15
    assert headline.cell(4, 3).number_format == "0.0%"
    sectors = sheet_rows(book["By sector"])
    shown = [r for r in sectors if r[4] != "[c]"]
    assert shown, "some sector estimates are large enough to show"
    for row in shown:
        variable = next(r["measure"] for r in result.publication.rows
                        if r["measure_label"] == row[1])
        match = estimates[(estimates["variable"] == variable) & (estimates["by"] ==
                          "sector_group") & (estimates["domain"] == row[2])].iloc[0]
        assert row[4] == pytest.approx(round(match["estimate"], 3)) and row[7] >= 30
    boroughs = sheet_rows(book["By borough"])
    assert len(boroughs) == sum(r["breakdown"] == "borough" for r in result.publication.rows)
    # ~7 respondents a borough: all suppressed
    assert all(r[4] == "[c]" for r in boroughs)


def test_open_data_csv_and_metadata(published):
    folder = published["folder"]
    table = pd.read_csv(folder / "bas_results.csv", keep_default_na=False)
    assert set(table["breakdown"]) == {"all", "borough", "sector_group"}
    hidden = table[table["suppressed"] == "true"]
    assert (hidden["estimate"] == "").all() and (hidden["unweighted_base"] == "").all()
    meta = json.loads((folder / "bas_results_metadata.json").read_text())
    assert meta["licence"]["title"] == "Open Government Licence v3.0"
    assert meta["title"].endswith("Wave 2024") and meta["release_date"]


def test_microdata_read_back_with_labels_and_no_contact_details(published):
    folder = published["folder"]
    frame, meta = pyreadstat.read_sav(str(folder / "bas_microdata.sav"))
    assert len(frame) == published["result"].publication.estimate_set.run.diagnostics[
        "respondents"]
    assert meta.column_names_to_labels["victim_online"].startswith("Victim of any online")
    assert meta.variable_value_labels["confidence_police"][1] == "Very confident"
    stata, stata_meta = pyreadstat.read_dta(str(folder / "bas_microdata.dta"))
    assert list(stata.columns) == list(frame.columns)
    assert stata_meta.variable_value_labels["victim_online"] == {0: "No", 1: "Yes"}
    assert not [c for c in frame.columns if c in ("comments", "employees", "borough", "case")]
    text = (folder / "bas_microdata.csv").read_text()
    assert not [word for word in ("Synthetic Business", "Example Street", "HYPERLINK")
                if word in text]


def test_second_wave_shows_change_from_the_first(published, tmp_path):
    result = wave_publish(wave=published["next"], out=tmp_path)
    changes = result.publication.changes
    assert changes and {c["measure"] for c in changes} >= {"confident_police"}
    overall = next(c for c in changes if c["measure"] == "victim_online"
                   and c["breakdown"] == "all")
    assert overall["change"] == pytest.approx(overall["estimate"]
                                              - overall["previous_estimate"], abs=0.0011)
    book = openpyxl.load_workbook(io.BytesIO((tmp_path / "bas_results.xlsx").read_bytes()))
    change = book["Change"]
    assert change["A1"].value == "Change from Wave 2024 to Wave 2025"
    assert {row[9] for row in sheet_rows(change)} <= {"Yes *", "No", "[c]"}


def test_public_api_shows_change_while_both_waves_are_published(published, client,
                                                                  tmp_path):
    # one wave published
    assert client.get(reverse("public-changes")).json()["results"] == []
    result = wave_publish(wave=published["next"], out=tmp_path)
    response = client.get(reverse("public-changes"), {"measure": "victim_online",
                                                      "breakdown": "all"})
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    [row] = response.json()["results"]
    stored = next(c for c in result.publication.changes
                  if (c["measure"], c["breakdown"]) == ("victim_online", "all"))
    assert (row["wave"], row["previous_wave"]) == (published["next"].pk, published["wave"].pk)
    assert row["change"] == stored["change"] and row["p_value"] == stored["p_value"]
    assert row["change_ci_low"] < row["change"] < row["change_ci_high"]
    boroughs = client.get(reverse("public-changes"),
                          {"breakdown": "borough"}).json()["results"]
    assert boroughs and all(r["change"] is None and r["significant"] is None
                            for r in boroughs if r["suppressed"])
    assert not [word for word in CONTACT
                if word in client.get(reverse("public-changes")).content.decode()]
    assert client.get(reverse("public-changes"), {"wave": "x"}).status_code == 400
    Wave.objects.filter(pk=published["wave"].pk).update(published_at=None)
    # its comparison is gone
    assert client.get(reverse("public-changes")).json()["results"] == []


def test_public_api_shows_published_waves_only_and_no_contact_fields(published, client):
    waves = client.get(reverse("public-waves")).json()["results"]
    assert [w["name"] for w in waves] == ["Wave 2024"]  # Wave 2025 is not published
    response = client.get(reverse("public-estimates"), {"measure": "victim_online",
                                                         "breakdown": "all"})
    assert response.status_code == 200 and "public" in response["Cache-Control"]
    rows = response.json()["results"]
    assert len(rows) == 1 and rows[0]["wave"] == published["wave"].pk
    assert rows[0]["ci_low"] < rows[0]["estimate"] < rows[0]["ci_high"]
    everything = client.get(reverse("public-estimates")).content.decode()
    assert not [word for word in CONTACT if word in everything]
    assert all(r["estimate"] is None for r in client.get(
        reverse("public-estimates"), {"breakdown": "borough"}).json()["results"])
    assert len(client.get(reverse("public-domains")).json()[1]["domains"]) == 33
    assert client.get(reverse("public-measures")).json()[0]["name"] == "confident_police"
    assert client.get(reverse("public-estimates"), {"breakdown": "x"}).status_code == 400


def test_unpublishing_a_wave_takes_it_off_the_api(published, client):
    assert client.get(reverse("public-waves")).json()["results"]
    Wave.objects.filter(pk=published["wave"].pk).update(published_at=None)
    assert client.get(reverse("public-waves")).json()["results"] == []
    assert client.get(reverse("public-estimates")).json()["results"] == []


def test_openapi_schema_documents_the_public_api(published, client, users):
    from accounts.roles import Role

    client.force_login(users[Role.ANALYST])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in ("waves", "measures", "domains", "estimates", "changes"):
        assert f"/api/public/{path}/" in schema["paths"]
    parameters = schema["paths"]["/api/public/estimates/"]["get"]["parameters"]
    assert {"wave", "measure", "breakdown"} <= {p["name"] for p in parameters}


def test_dashboard_needs_no_login_and_shows_published_data(published, client):
    page = client.get(reverse("results-dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "results-data" in html and "Wave 2024" in html and "Wave 2025" not in html
    assert "chart.umd.min.js" in html and "cdn" not in html.lower()
    assert not [word for word in CONTACT[4:] if word in html]


def test_publish_command_happy_path(published, tmp_path, capsys):
    call_command("publish", str(published["next"].pk), "--out", str(tmp_path / "out"))
    output = capsys.readouterr().out
    assert "published Wave 2025" in output and "bas_microdata.dta" in output
    assert "borough figures: direct estimates only (no borough estimates" in output
    assert (tmp_path / "out" / "bas_results.xlsx").exists()


def test_publish_command_exits_2_without_an_accepted_weighting(published, tmp_path):
    wave = published["next"]
    out = tmp_path / "out"
    WeightingRun.objects.filter(wave=wave).update(accepted_at=None)  # a draft
    with pytest.raises(CommandError, match="no accepted weighting run") as error:
        call_command("publish", wave.name, "--out", str(out))
    assert error.value.returncode == 2 and not out.exists()
    WeightingRun.objects.filter(wave=wave).update(status=WeightingRun.Status.FAILED)
    with pytest.raises(CommandError, match="no accepted weighting run") as error:
        call_command("publish", wave.name, "--out", str(out))
    assert error.value.returncode == 2 and not out.exists()
    with pytest.raises(CommandError, match="'Wave 1999': no wave") as error:
        call_command("publish", "Wave 1999", "--out", str(out))
    assert error.value.returncode == 2 and not out.exists()


def test_publish_command_exits_2_without_estimates(published, tmp_path):
    wave = published["next"]
    for run in WeightingRun.objects.filter(wave=wave):
        run.estimates.all().delete()
    with pytest.raises(CommandError, match="has no estimates") as error:
        call_command("publish", str(wave.pk), "--out", str(tmp_path / "out"))
    assert error.value.returncode == 2 and not (tmp_path / "out").exists()
