import csv
import io
import json

import openpyxl
import pytest

from bas.cells import safe_cell
from exports.opendata import COLUMNS, opendata_csv, opendata_metadata_json
from exports.workbook import publication_workbook
from tests.exports.helpers import publication

ATTACKS = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1", "=HYPERLINK(\"x\")"]


@pytest.mark.parametrize("text", ATTACKS)
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -0.5, 12, 0.25, None, True, "Camden", "a=b", ""])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value


def test_csv_text_cells_are_neutralised_and_numbers_stay_numbers():
    data = publication(wave="=cmd|' /C calc'!A0")
    text = opendata_csv(data).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [c for c, _, _ in COLUMNS] == list(rows[0])
    assert all(r["wave"] == "'=cmd|' /C calc'!A0" for r in rows)
    assert rows[0]["estimate"] == "0.25" and rows[0]["unweighted_base"] == "150"
    assert {r["suppressed"] for r in rows} == {"true", "false"}


def test_xlsx_text_cells_are_never_formulas():
    book = openpyxl.load_workbook(io.BytesIO(publication_workbook(publication(wave="=1+2"))))
    formulas = [(sheet.title, cell.coordinate) for sheet in book for row in sheet.iter_rows()
                for cell in row if cell.data_type == "f"]
    assert formulas == []
    assert book["Cover"]["B4"].value == "'=1+2"
    headline = book["Headline"]
    assert headline.cell(4, 3).value == 0.25 and headline.cell(4, 3).data_type == "n"


def test_metadata_documents_columns_licence_and_release():
    meta = json.loads(opendata_metadata_json(publication()))
    assert meta["licence"]["title"] == "Open Government Licence v3.0"
    assert meta["release_date"] == "2026-01-15"
    fields = meta["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == [c for c, _, _ in COLUMNS]
    assert all(f["description"] for f in fields)
    assert "weighting" in meta["methodology"] and meta["resources"][0]["encoding"] == "utf-8"
