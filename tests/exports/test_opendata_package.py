"""Open data as the Datastore reads it: the Data Package validates (frictionless) with its
primary key and missing values; suppressed figures are one convention everywhere ("[c]" in
the workbook, empty with status [c] in the CSV, stated in the metadata); datastore.json holds
what the London Datastore's (CKAN) dataset page needs, from the wave's record."""

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from exports.datastore import datastore_record
from exports.disclosure import SUPPRESSED_SYMBOL
from exports.opendata import CSV_NAME, opendata_csv, opendata_metadata
from exports.workbook import publication_workbook
from tests.exports.helpers import estimate_rows, publication

frictionless = pytest.importorskip(
    "frictionless", reason="frictionless is not installed (pip install frictionless, a dev "
                           "extra): the Data Package is not validated")


def small_publication():
    rows = estimate_rows(bases=(50, 20, 45, 35)) + estimate_rows(
        "victim_any", bases=(80, 70, 10, 40))
    return publication(rows=rows)


def write_package(folder, pub) -> dict:
    (folder / CSV_NAME).write_bytes(opendata_csv(pub))
    metadata = opendata_metadata(pub)
    (folder / "bas_results_metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    return metadata


def validate(path):
    report = frictionless.Package(str(path)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    return report


def test_the_data_package_declares_its_key_and_missing_values_and_validates(tmp_path):
    metadata = write_package(tmp_path, small_publication())
    schema = metadata["resources"][0]["schema"]
    assert schema["primaryKey"] == ["wave", "measure", "breakdown", "domain"]
    assert schema["missingValues"] == [""]
    validate(tmp_path / "bas_results_metadata.json")
    # a duplicated key is caught: the key means something
    text = (tmp_path / CSV_NAME).read_text(encoding="utf-8")
    lines = text.splitlines()
    (tmp_path / CSV_NAME).write_text("\r\n".join([*lines, lines[1]]) + "\r\n",
                                     encoding="utf-8")
    report = frictionless.Package(str(tmp_path / "bas_results_metadata.json")).validate()
    assert not report.valid
    assert ["primary-key"] in report.flatten(["type"])


def test_one_suppression_convention_in_the_workbook_csv_and_metadata():
    pub = small_publication()
    suppressed = [r for r in pub.rows if r["suppressed"]]
    assert suppressed
    rows = list(csv.DictReader(io.StringIO(opendata_csv(pub).decode("utf-8"))))
    for row in rows:
        hidden = row["suppressed"] == "true"
        assert row["status"] == (SUPPRESSED_SYMBOL if hidden else "")
        if hidden:
            assert row["estimate"] == row["ci_low"] == row["ci_high"] == ""
            assert row["unweighted_base"] == ""
    book = load_workbook(io.BytesIO(publication_workbook(pub)))
    shown = [c.value for c in book["By borough"]["E"][3:]]
    assert shown.count(SUPPRESSED_SYMBOL) == sum(r["breakdown"] == "borough"
                                                 for r in suppressed)
    marker = opendata_metadata(pub)["methodology"]["suppression_marker"]
    assert SUPPRESSED_SYMBOL in marker and "empty" in marker and "status" in marker


def test_datastore_record_has_what_the_dataset_page_needs():
    pub = small_publication()
    record = datastore_record(pub, workbook="bas_results.xlsx",
                              metadata="bas_results_metadata.json")
    assert record["license_id"] == "uk-ogl"
    assert "@" in record["maintainer_email"] and record["maintainer_email"] == record[
        "contact_email"]
    assert record["publisher"].startswith("Mayor's Office for Policing")
    assert {"crime", "business", "policing"} <= {t["name"] for t in record["tags"]}
    codes = [b["code"] for b in record["spatial_coverage"]["boroughs"]]
    assert codes == [f"E090000{i:02d}" for i in range(1, 34)]
    assert record["spatial_coverage"]["name"] == "London"
    assert record["temporal_coverage"] == {"from": "2025-10-06", "to": "2025-11-28"}
    assert record["update_frequency"] == "Annually"
    extras = {e["key"]: e["value"] for e in record["extras"]}
    assert extras["temporal_coverage_from"] == "2025-10-06"
    assert extras["release_date"] == "2026-01-15"
    assert [r["url"] for r in record["resources"]] == [
        "bas_results.csv", "bas_results.xlsx", "bas_results_metadata.json"]


def test_dates_come_from_the_record_not_the_clock():
    pub = small_publication()
    facts = pub.facts
    assert facts.release_date != dt.date.today()
    record = datastore_record(pub, workbook="w", metadata="m")
    assert record["temporal_coverage"]["to"] == facts.fieldwork_end.isoformat()


@pytest.mark.django_db
def test_the_published_folder_holds_a_valid_package_and_datastore_json(published):
    folder = published["folder"]
    validate(folder / "bas_results_metadata.json")
    record = json.loads((folder / "datastore.json").read_text(encoding="utf-8"))
    for resource in record["resources"]:
        assert (folder / resource["url"]).exists()
    facts = published["result"].publication.facts
    assert record["temporal_coverage"] == {"from": facts["fieldwork_start"],
                                           "to": facts["fieldwork_end"]}
