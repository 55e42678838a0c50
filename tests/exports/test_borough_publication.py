"""Publication carries the borough estimates (small-area run): the workbook's borough sheet,
the open data and its Data Package, the public API and the dashboard say per borough and
measure which estimate is published (direct, model-based, pooled), its interval and why;
suppressed only where the rule (or the cell rule, for direct estimates) says so; and what
was published does not change when a later small-area run is made."""

import csv
import io
import json
from collections import Counter

import openpyxl
import pytest

from analysis.selectors import small_area_rows
from analysis.small_area_runs import small_area_estimates
from exports.disclosure import SUPPRESSED_SYMBOL
from exports.models import Publication
from exports.services import publication_preview, wave_publish
from tests.exports.conftest import BAS_WORKBOOK, make_wave, weigh

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def borough_publication(django_db_setup, django_db_blocker, tmp_path_factory):
    """One wave, weighted, with borough estimates, published (built once per module inside a
    transaction rolled back at the end)."""
    from django.db import transaction

    from questionnaires.services import questionnaire_version_upload
    from tests.factories import AgencyFactory

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            version = questionnaire_version_upload(workbook=BAS_WORKBOOK.read_bytes(),
                                                   filename=BAS_WORKBOOK.name)
            wave = make_wave(AgencyFactory(), version, name="Wave 2024", seed=5)
            run = weigh(wave)
            small_area = small_area_estimates(run=run)
            folder = tmp_path_factory.mktemp("publication")
            result = wave_publish(wave=wave, out=folder)
            yield {"wave": wave, "run": run, "small_area": small_area, "result": result,
                   "folder": folder}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def borough_rows(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["breakdown"] == "borough"]


def chosen_rows(small_area) -> dict[tuple[str, str], dict]:
    return {(r["measure"], r["borough"]): r for r in small_area_rows(small_area)}


def test_the_publication_carries_the_rules_choice_and_the_runs_notes(borough_publication):
    publication = borough_publication["result"].publication
    small_area = borough_publication["small_area"]
    assert publication.small_area == small_area
    notes = publication.facts["small_area_notes"]
    # the notes come from the run's record: method, auxiliaries, smoothing, benchmark, rule
    assert notes[:-1] == small_area.notes
    text = " ".join(notes)
    for words in ("REML", "log_businesses", "share_size_0_9", "smoothed",
                  "ratio-benchmarked", "CV is at most 20%", "at most 25%",
                  "not subject to the cell rule", "fewer than 30 respondents"):
        assert words in text, words
    rows = borough_rows(publication.rows)
    per_measure = Counter(r["measure"] for r in rows)
    # every borough has a row for each modelled measure (model-based where no sample says
    # enough); other measures have rows where the wave's data has them
    assert all(per_measure[m] == 33 for m in small_area.spec["measures"]), per_measure
    assert all(0 < n <= 33 for n in per_measure.values()), per_measure
    model = [r for r in rows if r["source"] == "model-based"]
    assert len(model) > 30  # before: every borough figure was [c]
    stored = chosen_rows(small_area)
    for row in model:
        chosen = stored[(row["measure"], row["domain"])]
        assert row["estimate"] == round(chosen["eblup"], 3)
        half = 1.96 * chosen["mse"] ** 0.5
        assert row["ci_low"] == round(max(0.0, chosen["eblup"] - half), 3)
        assert row["ci_high"] == round(min(1.0, chosen["eblup"] + half), 3)
        assert chosen["rrmse"] <= 0.25 and row["note"].startswith("Model-based")
    # direct cells the cell rule withholds stay withheld (about 7 respondents a borough)
    assert not [r for r in rows if r["source"] == "direct"]
    suppressed = [r for r in rows if r["suppressed"]]
    assert all(r["estimate"] is None and r["source"] == "" for r in suppressed)
    # measures without borough estimates are as before: the cell rule alone
    others = [r for r in rows if r["measure"] not in small_area.spec["measures"]]
    assert others and all(r["suppressed"] for r in others)


def test_workbook_borough_sheet_says_which_estimate_each_figure_is(borough_publication):
    publication = borough_publication["result"].publication
    book = openpyxl.load_workbook(borough_publication["folder"] / "bas_results.xlsx")
    sheet = book["By borough"]
    header = [c.value for c in sheet[3]]
    assert header[4:] == ["Estimate", "95% CI lower", "95% CI upper", "Unweighted base",
                          "Source", "Why this estimate"]
    table = [row for row in sheet.iter_rows(min_row=4, values_only=True) if any(row)]
    published = borough_rows(publication.rows)
    assert len(table) == len(published)
    for values, row in zip(table, published, strict=True):
        assert values[2] == row["domain"]
        if row["suppressed"]:
            assert values[4:9] == (SUPPRESSED_SYMBOL,) * 5
        else:
            assert values[4:7] == (row["estimate"], row["ci_low"], row["ci_high"])
            assert values[8] == row["source"] and values[9] == row["note"]
    assert sheet.cell(4 + [r["source"] for r in published].index("model-based"),
                      5).number_format == "0.0%"
    notes = [row[1] for row in book["Notes"].iter_rows(min_row=4, values_only=True)]
    for note in publication.facts["small_area_notes"]:
        assert note in notes
    assert any(str(n).startswith("Borough figures by source: ") for n in notes)


def test_open_data_carries_source_and_note_and_the_package_validates(borough_publication):
    frictionless = pytest.importorskip("frictionless")
    folder = borough_publication["folder"]
    publication = borough_publication["result"].publication
    rows = list(csv.DictReader(io.StringIO((folder / "bas_results.csv").read_text("utf-8"))))
    assert len(rows) == len(publication.rows)
    model = [r for r in rows if r["source"] == "model-based"]
    assert model and all(r["note"] and r["estimate"] and r["suppressed"] == "false"
                         for r in model)
    assert {r["source"] for r in rows if r["breakdown"] != "borough"} <= {"direct", ""}
    assert all(r["source"] == "" for r in rows if r["suppressed"] == "true")
    meta = json.loads((folder / "bas_results_metadata.json").read_text())
    fields = {f["name"]: f for f in meta["resources"][0]["schema"]["fields"]}
    assert fields["source"]["constraints"] == {"enum": ["direct", "model-based", "pooled"]}
    assert "model-based" in fields["source"]["description"] and "note" in fields
    assert meta["methodology"]["borough_estimates"] == publication.facts["small_area_notes"]
    report = frictionless.Package(str(folder / "bas_results_metadata.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    datastore = json.loads((folder / "datastore.json").read_text())
    assert "source column" in datastore["resources"][0]["description"]


def test_public_api_gives_each_borough_figures_source_interval_and_note(borough_publication,
                                                                       client):
    from django.urls import reverse

    publication = borough_publication["result"].publication
    results = []
    for measure in borough_publication["small_area"].spec["measures"]:
        results += client.get(reverse("public-estimates"), {
            "breakdown": "borough", "measure": measure}).json()["results"]
    assert len(results) == 33 * len(borough_publication["small_area"].spec["measures"])
    model = [r for r in results if r["source"] == "model-based"]
    assert model and all(r["ci_low"] <= r["estimate"] <= r["ci_high"] for r in model)
    assert all(r["note"].startswith("Model-based") for r in model)
    assert {r["source"] for r in results if r["suppressed"]} == {""}
    [headline] = client.get(reverse("public-estimates"), {"breakdown": "all",
                                                          "measure": "victim_any"}).json()[
        "results"]
    assert headline["source"] == "direct" and headline["note"] == ""
    [wave] = client.get(reverse("public-waves")).json()["results"]
    assert wave["borough_estimates"] == publication.facts["small_area_notes"]
    schema = client.get(reverse("api-schema"), {"format": "json"})
    if schema.status_code == 200:
        assert "source" in json.dumps(schema.json()["components"]["schemas"][
            "PublicEstimateOutput"])


def test_dashboard_gets_the_sources_and_the_notes(borough_publication, client):
    from django.urls import reverse

    html = client.get(reverse("results-dashboard")).content.decode()
    assert 'id="borough-notes"' in html and "model-based" in html
    assert "fewer than 30 businesses" in html  # the publication's own threshold
    data = json.loads(html.split('id="results-data" type="application/json">')[1]
                      .split("</script>")[0])
    sources = {r["source"] for r in data["rows"] if r["breakdown"] == "borough"}
    assert "model-based" in sources
    assert data["waves"][0]["borough_estimates"][0].startswith("Direct borough estimates")


def test_a_later_small_area_run_does_not_change_what_was_published(borough_publication,
                                                                   client):
    from django.urls import reverse

    publication = Publication.objects.get(pk=borough_publication["result"].publication.pk)
    files = {f.name: bytes(f.content) for f in publication.files.all()}
    query = {"breakdown": "borough", "measure": "victim_fraud"}
    api = client.get(reverse("public-estimates"), query).json()
    later = small_area_estimates(run=borough_publication["run"],
                                 rule={"model_threshold": 0.6})
    publication.refresh_from_db()
    assert publication.small_area == borough_publication["small_area"]
    assert {f.name: bytes(f.content) for f in publication.files.all()} == files
    assert client.get(reverse("public-estimates"), query).json() == api
    # the preview (what a new publication would be) uses the later run
    preview = publication_preview(wave=borough_publication["wave"])
    assert preview.facts.small_area_run == later.pk
    assert (sum(r["source"] == "model-based" for r in borough_rows(preview.rows))
            > sum(r["source"] == "model-based" for r in borough_rows(publication.rows)))


def test_the_publish_page_previews_the_borough_sources_and_notes(borough_publication,
                                                                 client, users):
    from django.urls import reverse

    from accounts.roles import Role

    client.force_login(users[Role.ANALYST])
    wave = borough_publication["wave"]
    page = client.get(reverse("publication-new", args=[wave.pk])).content.decode()
    counts = borough_publication["result"].publication.facts
    assert f"(borough estimates {counts['small_area_run']})" in page
    assert "<th>Source</th>" in page and "<td>model-based</td>" in page
    assert "not subject to the cell rule" in page


def test_the_publish_command_says_what_the_borough_figures_are(borough_publication, tmp_path,
                                                               capsys):
    from django.core.management import call_command

    call_command("publish", str(borough_publication["wave"].pk), "--out", str(tmp_path))
    output = capsys.readouterr().out
    small_area = borough_publication["small_area"]
    assert f"borough figures (borough estimates {small_area.pk}): " in output
    assert "model-based" in output
