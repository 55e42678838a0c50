"""Weighting a closed wave with the analyst's options (population totals from the frame or an
uploaded margins file with its source and date, margins to rake on, weighting classes,
trimming bounds), the diagnostics shown before accepting, and the Accept step."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.roles import Role
from analysis.margins_file import MarginsFileError, read_margins_csv
from analysis.models import EstimateSet, PopulationMargins, WeightingRun
from analysis.services import estimate_set_create, frame_population
from analysis.weighting import WeightingOptionsError, WeightingSpec, check_spec
from analysis.weighting_runs import (
    WeightingStateError,
    accepted_run,
    population_margins_upload,
    weighting_accept,
    weighting_options_parse,
    weighting_request,
)
from bas.errors import BasError
from sampling.data.boroughs import BOROUGHS
from survey.models import Wave
from tests.analysis.test_wave_weighting import wave  # noqa: F401  (the closed wave)

pytestmark = pytest.mark.django_db
POPULATION = {"borough": {"E09000001": 10.0}, "sector_group": {"trade_transport": 10.0},
              "size_band": {"0-9": 10.0}}


def problems(error: WeightingOptionsError) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in error.problems:
        out.setdefault(problem.field, []).append(problem.message)
    return out


# -- every option's message, in the analyst's words ------------------------------------

@pytest.mark.parametrize(("data", "field", "message"), [
    ({"median_cap": "six"}, "median_cap", "The upper trimming bound must be a number of "
     "times the median weight (e.g. 3.5); 'six' is not a number."),
    ({"trim_lower": "inf"}, "trim_lower", "The lower trimming bound must be a number"),
    ({"population": "census"}, "population", "Population totals come from the frame or from "
     "an uploaded margins file."),
    ({"population": "file"}, "margins", "Choose an uploaded margins file, or upload one, to "
     "rake to its totals."),
    ({"population": "file", "margins": "x1"}, "margins", "'x1' is not an uploaded margins "
     "file."),
])
def test_each_unreadable_option_is_named(data, field, message):
    with pytest.raises(WeightingOptionsError) as caught:
        weighting_options_parse(data)
    assert any(m.startswith(message) for m in problems(caught.value)[field])


@pytest.mark.parametrize(("spec", "field", "message"), [
    (WeightingSpec(classes="postcode"), "classes", "Weighting classes must be one of: "
     "sampling stratum (borough x size band), borough, sector group, size band; 'postcode' "
     "is not one of them."),
    (WeightingSpec(rake_variables=()), "rake_variables", "Choose at least one margin to rake "
     "on (borough, sector group or size band)."),
    (WeightingSpec(rake_variables=("turnover",)), "rake_variables", "'turnover' cannot be "
     "raked on: choose from borough, sector group, size band."),
    (WeightingSpec(median_cap=1.0), "median_cap", "The upper trimming bound must be more "
     "than 1 times the median weight (e.g. 3.5 or 6), or left empty for no cap."),
    (WeightingSpec(trim_lower=1.5), "trim_lower", "The lower trimming bound must be between "
     "0 and 1 times the median weight (e.g. 0.3), or left empty for no floor."),
])
def test_each_unusable_option_is_named(spec, field, message):
    with pytest.raises(WeightingOptionsError) as caught:
        check_spec(spec, POPULATION)
    assert problems(caught.value)[field] == [message]


def test_a_margin_the_totals_lack_is_named():
    population = {"borough": POPULATION["borough"]}
    with pytest.raises(WeightingOptionsError) as caught:
        check_spec(WeightingSpec(rake_variables=("borough", "size_band")), population,
                   "The margins file from ONS")
    assert problems(caught.value) == {"rake_variables": [
        "The margins file from ONS has no population totals by size band: rake on another "
        "margin or use totals that have it."]}


def test_every_problem_is_reported_at_once():
    with pytest.raises(WeightingOptionsError) as caught:
        weighting_options_parse({"median_cap": "x", "trim_lower": "y", "population": "?"})
    assert set(problems(caught.value)) == {"median_cap", "trim_lower", "population"}
    assert caught.value.as_dict()["problems"][0]["field"] == "median_cap"


# -- the margins file ---------------------------------------------------------------------

def test_margins_file_takes_borough_names_or_codes():
    content = (b"variable,category,total\nborough,Camden,60\nborough,E09000001,40\n"
               b"size band,0-9,70\nsize_band,10-49,30\nsector_group,Trade_transport,100\n")
    assert read_margins_csv(content, "m.csv") == {
        "borough": {"E09000007": 60.0, "E09000001": 40.0},
        "size_band": {"0-9": 70.0, "10-49": 30.0}, "sector_group": {"trade_transport": 100.0}}


@pytest.mark.parametrize(("content", "message"), [
    (b"area,count\n", "m.csv: the first row must be the column names variable, category, "
     "total."),
    (b"variable,category,total\npostcode,N1,3\n", "m.csv: row 2, column variable: 'postcode' "
     "is not a margin the system can rake on (borough, sector_group or size_band)."),
    (b"variable,category,total\nborough,Gotham,3\n", "m.csv: row 2, column category: 'Gotham' "
     "is not a borough the frame knows."),
    (b"variable,category,total\nborough,Camden,lots\n", "m.csv: row 2, column total: 'lots' "
     "is not a number of businesses (0 or more)."),
    (b"variable,category,total\nborough,Camden,1\nborough,camden,2\n", "m.csv: row 3: "
     "borough 'camden' is given twice."),
    (b"variable,category,total\nborough,Camden,10\nsize_band,0-9,12\n", "m.csv: the totals "
     "by borough add up to 10 but those by size band add up to 12; every margin must "
     "describe the same businesses."),
    (b"variable,category,total\n", "m.csv: the file has no totals."),
    (b"PK\x03\x04rest", "m.csv: this is a spreadsheet, not a CSV file; save it as CSV "
     "(comma-separated, UTF-8) and upload that."),
    (b"variable,category,total\nborough,K\xf6ln,1\n", "m.csv: the file is not UTF-8 text"),
])
def test_margins_file_problems_name_row_and_column(content, message):
    with pytest.raises(MarginsFileError) as caught:
        read_margins_csv(content, "m.csv")
    assert caught.value.message.startswith(message)


def test_upload_needs_a_source_and_a_past_date():
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(WeightingOptionsError) as caught:
        population_margins_upload(content=b"variable,category,total\nborough,Camden,1\n",
                                  name="m.csv", source=" ", as_of=tomorrow.isoformat())
    found = problems(caught.value)
    assert found["source"] == ["Say where the totals come from (e.g. 'ONS UK Business Counts "
                               "2025'), so the publication can cite it."]
    assert found["as_of"][0].startswith(f"The totals' date {tomorrow:%d %B %Y} is in the "
                                        "future")
    with pytest.raises(WeightingOptionsError) as caught:
        population_margins_upload(content=b"", name="m.csv", source="ONS", as_of="31/03/2025")
    assert problems(caught.value)["as_of"] == [
        "'31/03/2025' is not a date: write it as year-month-day, e.g. 2025-03-31."]
    assert PopulationMargins.objects.count() == 0


# -- weighting, diagnostics, acceptance ---------------------------------------------------------

def margins_csv(closed_wave, scale: float = 2.0) -> bytes:
    population = frame_population(closed_wave)
    lines = ["variable,category,total"]
    lines += [f"borough,{BOROUGHS[code]},{total * scale}"
              for code, total in population["borough"].items()]
    lines += [f"size_band,{band},{total * scale}"
              for band, total in population["size_band"].items()]
    return "\n".join(lines).encode()


def test_a_wave_in_field_is_not_weighted(wave):  # noqa: F811
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.IN_FIELD)
    wave.refresh_from_db()
    with pytest.raises(WeightingStateError, match="Wave T is in field: close it before "
                       "weighting"):
        weighting_request(wave=wave, data={})
    assert not wave.weightings.exists()


def test_uploaded_margins_are_raked_to_and_the_diagnostics_show_every_margin(wave):  # noqa: F811
    data = {"population": "file", "source": "ONS UK Business Counts 2025",
            "as_of": "2025-03-31", "rake_variables": ["borough", "size_band"],
            "classes": "borough", "median_cap": "", "trim_lower": ""}
    run = weighting_request(wave=wave, data=data, upload=("counts.csv", margins_csv(wave)))
    assert run.status == "done" and run.accepted_at is None
    assert run.margins.source == "ONS UK Business Counts 2025"
    assert run.margins.as_of == dt.date(2025, 3, 31)
    assert run.spec["classes"] == "borough" and run.spec["median_cap"] is None
    margins = run.diagnostics["margins"]
    assert {m["variable"] for m in margins} == {"borough", "size_band"}
    # no trimming: every margin is hit exactly, at twice the frame's counts
    assert all(m["hit"] and m["achieved"] == pytest.approx(m["target"]) for m in margins)
    assert run.diagnostics["weights"]["total"] == pytest.approx(6000)
    weights = run.diagnostics["weights"]
    assert weights["deff_weighting"] == pytest.approx(1 + weights["cv"] ** 2)
    assert weights["effective_n"] == pytest.approx(weights["n"] / weights["deff_weighting"])


def test_trimming_bounds_hold_and_are_stated(wave):  # noqa: F811
    run = weighting_request(wave=wave, data={"median_cap": "2", "trim_lower": "0.5"})
    weights = run.diagnostics["weights"]
    median = sorted(w for w in run.weights.filter(status="respondent")
                    .values_list("final_weight", flat=True))[weights["n"] // 2]
    assert weights["max"] <= 2.0 * median * 1.05 and weights["min"] >= 0.5 * median * 0.95
    assert any("trimmed to 0.5 to 2 x the median weight" in step for step in run.progress)


def test_only_an_accepted_run_is_estimated_and_published(wave):  # noqa: F811
    draft = weighting_request(wave=wave, data={})
    with pytest.raises(BasError, match="is a draft: accept it"):
        estimate_set_create(run=draft)
    assert accepted_run(wave) is None
    run = weighting_accept(run=draft)
    assert accepted_run(wave) == run
    with pytest.raises(WeightingStateError, match="was already accepted on"):
        weighting_accept(run=run)
    assert estimate_set_create(run=run).run == run
    later_draft = weighting_request(wave=wave, data={"median_cap": "4"})
    assert accepted_run(wave) == run != later_draft


def test_the_page_shows_options_problems_beside_their_fields(client, users, wave):  # noqa: F811
    client.force_login(users[Role.ANALYST])
    page = client.get(reverse("weighting-new", args=[wave.pk])).content.decode()
    for field in ("population", "rake_variables", "classes", "median_cap", "trim_lower",
                  "source", "as_of", 'type="file"'):
        assert field in page
    response = client.post(reverse("weighting-start", args=[wave.pk]),
                           {"median_cap": "0.5", "population": "file"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The weighting was not run" in page
    assert "Choose an uploaded margins file, or upload one" in page
    assert not WeightingRun.objects.exists()


def test_the_page_weighs_shows_the_diagnostics_and_accepts(client, users, wave):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users[Role.ANALYST])
    upload = SimpleUploadedFile("counts.csv", margins_csv(wave, 1.0), "text/csv")
    response = client.post(reverse("weighting-start", args=[wave.pk]), {
        "population": "file", "file": upload, "source": "ONS counts", "as_of": "2025-01-31",
        "rake_variables": ["borough", "size_band"], "classes": "stratum",
        "median_cap": "6", "trim_lower": ""})
    run = WeightingRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "weighting-detail", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    for text in ("draft, not yet accepted", "Design effect from weighting", "Effective sample "
                 "size", "Weight range", "Target", "Achieved", "ONS counts, as at 31 January "
                 "2025", "Camden", "Accept this weighting run"):
        assert text in page, text
    assert "E09000007" not in page
    client.post(reverse("weighting-accept", args=[run.pk]))
    run.refresh_from_db()
    assert run.accepted_by == users[Role.ANALYST]
    page = client.get(reverse("weighting-detail", args=[run.pk])).content.decode()
    assert "Accept this weighting run" not in page and "Estimate</button>" in page


def test_the_api_uploads_margins_weighs_and_accepts(client, users, wave):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users[Role.ANALYST])
    response = client.post(reverse("api-margins"), {
        "file": SimpleUploadedFile("counts.csv", margins_csv(wave)), "source": "ONS",
        "as_of": "2025-03-31"})
    assert response.status_code == 201, response.json()
    margins = response.json()["id"]
    assert client.get(reverse("api-margins")).json()[0]["source"] == "ONS"
    bad = client.post(reverse("api-weighting-start", args=[wave.pk]),
                      {"population": "file", "margins": margins, "median_cap": 0.9,
                       "rake_variables": ["sector_group"]}, content_type="application/json")
    assert bad.status_code == 400
    fields = {e["field"] for e in bad.json()["errors"][0]["problems"]}
    assert fields == {"median_cap", "rake_variables"}
    response = client.post(reverse("api-weighting-start", args=[wave.pk]),
                           {"population": "file", "margins": margins,
                            "rake_variables": ["borough", "size_band"], "median_cap": None},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["summary"]["population"]["source"] == "ONS"
    assert body["summary"]["deff"] >= 1 and body["accepted_at"] is None
    assert client.post(reverse("api-estimates-start", args=[body["id"]]), {},
                       content_type="application/json").status_code == 400
    accepted = client.post(reverse("api-weighting-accept", args=[body["id"]]))
    assert accepted.status_code == 200 and accepted.json()["accepted_at"]
    again = client.post(reverse("api-weighting-accept", args=[body["id"]]))
    assert again.status_code == 409
    assert client.post(reverse("api-estimates-start", args=[body["id"]]), {},
                       content_type="application/json").status_code == 201
    assert EstimateSet.objects.count() == 1


def test_the_api_reviews_estimates_by_measure_and_domain(client, users, wave):  # noqa: F811
    client.force_login(users[Role.ANALYST])
    run = weighting_accept(run=weighting_request(wave=wave, data={}))
    estimates = estimate_set_create(run=run)
    body = client.get(reverse("api-estimates", args=[estimates.pk]),
                      {"measure": "victim_online", "by": "borough"}).json()
    assert body["rows"] == estimates.rows  # the whole set, as stored
    table = body["table"]
    assert table and {r["measure"] for r in table} == {"victim_online"}
    assert {r["breakdown"] for r in table} == {"borough"}
    assert all(r["domain_label"] == BOROUGHS[r["domain"]] for r in table)
    one = client.get(reverse("api-estimates", args=[estimates.pk]),
                     {"domain": "E09000007"}).json()["table"]
    assert {r["domain_label"] for r in one} == {"Camden"}
    assert client.get(reverse("api-estimates", args=[estimates.pk]),
                      {"by": "postcode"}).status_code == 400
