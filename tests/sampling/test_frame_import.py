import pandas as pd
import pytest
from openpyxl import Workbook

from sampling.core import FrameError, load_frame
from sampling.core.errors import FRAME_MESSAGES
from tests.sampling.conftest import write_csv

GOOD = [
    "R1,Ashford Builders Ltd,1 Elm Road,SW1A 1AA,020 7946 0001,E09000033,41201,3",
    "R2,Bramley Digital,2 Oak Lane,ec1a1bb,020 7946 0002,City of London,62.01/2,12",
    "R3,Corwick Cafe,,N1 9GU,07700 900003,Islington,5610,60",
    "R4,Dunmere Care,4 Row,CR0 1AA,+44 7700 900004,croydon,86.10,300",
]


def test_good_csv_is_normalised(tmp_path):
    frame = load_frame(write_csv(tmp_path / "frame.csv", GOOD))
    assert frame["reference"].tolist() == ["R1", "R2", "R3", "R4"]
    assert frame["borough"].tolist() == ["E09000033", "E09000001", "E09000019", "E09000008"]
    assert frame["sector"].tolist() == ["F", "J", "I", "Q"]
    assert frame["sic2007"].tolist() == ["41201", "62012", "5610", "8610"]
    assert frame["postcode"].tolist()[1] == "EC1A 1BB"
    assert frame["phone"].tolist()[3] == "07700900004"
    assert frame["size_band"].astype(str).tolist() == ["0-9", "10-49", "50-249", "250+"]
    assert frame["employees"].tolist() == [3, 12, 60, 300]


def test_every_bad_row_is_reported_with_file_row_field_value_and_nothing_imported(tmp_path):
    rows = GOOD[:1] + [
        "R2,Name,addr,NOTAPOSTCODE,020 7946 0002,Gotham,62012,5",          # row 3
        "R3,Name,addr,N1 9GU,020 7946 0003,Camden,4012,-1",                 # row 4
        "R4,,addr,N1 9GU,999,Camden,ab12,seven",                            # row 5
        "R1,Name,addr,SW1A 1AA,020 7946 0001,Westminster,41201,3",          # row 6
    ]
    with pytest.raises(FrameError) as caught:
        load_frame(write_csv(tmp_path / "bad.csv", rows))
    found = {(i.row, i.field, i.code, i.value) for i in caught.value.issues}
    assert found == {
        (3, "postcode", "postcode_invalid", "NOTAPOSTCODE"),
        (3, "borough", "borough_unknown", "Gotham"),
        (4, "sic2007", "sic_division", "4012"),
        (4, "employees", "employees_invalid", "-1"),
        (5, "name", "required", ""),
        (5, "phone", "phone_invalid", "999"),
        (5, "sic2007", "sic_format", "ab12"),
        (5, "employees", "employees_invalid", "seven"),
        (6, "reference", "duplicate_reference", "R1"),
        (6, "phone", "duplicate_phone_postcode", "020 7946 0001"),
    }
    assert all(i.file == "bad.csv" for i in caught.value.issues)
    message = str(caught.value)
    assert "bad.csv, row 3, borough='Gotham'" in message
    assert "nothing was imported" in message
    dup = next(i for i in caught.value.issues if i.code == "duplicate_reference")
    assert dup.message == FRAME_MESSAGES["duplicate_reference"].format(first_row=2)
    division = next(i for i in caught.value.issues if i.code == "sic_division")
    assert division.message == FRAME_MESSAGES["sic_division"].format(division="40")


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    rows = [GOOD[0], "", "R2,Name,addr,N1 9GU,020 7946 0002,Nowhere,62012,5"]
    with pytest.raises(FrameError) as caught:
        load_frame(write_csv(tmp_path / "f.csv", rows))
    assert [(i.row, i.field) for i in caught.value.issues] == [(4, "borough")]


def test_missing_columns_are_reported_on_the_header_row(tmp_path):
    path = write_csv(tmp_path / "f.csv", ["R1,Name,N1 9GU"], header="reference,name,postcode")
    with pytest.raises(FrameError) as caught:
        load_frame(path)
    assert {(i.row, i.field, i.code) for i in caught.value.issues} == {
        (1, column, "missing_column")
        for column in ("address", "phone", "borough", "sic2007", "employees")}


def test_unsupported_file_type_and_empty_frame(tmp_path):
    other = tmp_path / "frame.json"
    other.write_text("{}")
    with pytest.raises(FrameError, match="unsupported file type"):
        load_frame(other)
    with pytest.raises(FrameError, match="no data rows"):
        load_frame(write_csv(tmp_path / "empty.csv", []))


def _xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "frame"
    sheet.append(["reference", "name", "address", "postcode", "phone", "borough", "sic2007",
                  "employees"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_frame_with_numeric_cells(tmp_path):
    path = _xlsx(tmp_path / "frame.xlsx", [
        ["X1", "Elmford Media", "1 Road", "W1B 2AA", "020 7946 0100", "Westminster", 59111, 4],
        ["X2", "Fenley Estates", None, "SE1 7PB", "020 7946 0101", "Southwark", "68.10", 20.0],
    ])
    frame = load_frame(path)
    assert frame["sic2007"].tolist() == ["59111", "6810"]
    assert frame["employees"].tolist() == [4, 20]
    assert frame["borough"].tolist() == ["E09000033", "E09000028"]


def test_xlsx_errors_name_sheet_and_row(tmp_path):
    path = _xlsx(tmp_path / "frame.xlsx", [
        ["X1", "Elmford Media", "1 Road", "W1B 2AA", "020 7946 0100", "Westminster", 59111, 4],
        [None] * 8,
        ["X2", "Fenley Estates", None, "SE1 7PB", "020 7946 0101", "Paris", 6810, 2],
    ])
    with pytest.raises(FrameError) as caught:
        load_frame(path)
    (issue,) = caught.value.issues
    assert (issue.file, issue.sheet, issue.row, issue.field) == ("frame.xlsx", "frame", 4,
                                                                 "borough")
    assert "frame.xlsx, sheet frame, row 4" in str(caught.value)


def test_synthetic_frame_round_trips_through_csv_with_borough_names(tmp_path):
    from sampling.core import make_synthetic_frame

    frame = make_synthetic_frame(2000, 5, borough_names=True)
    frame.to_csv(tmp_path / "f.csv", index=False)
    clean = load_frame(tmp_path / "f.csv")
    assert len(clean) == 2000
    assert clean["borough"].str.fullmatch(r"E090000[0-3][0-9]").all()
    assert isinstance(clean, pd.DataFrame)
