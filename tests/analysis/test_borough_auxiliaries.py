"""Borough auxiliaries for small-area models: the frame's counts and shares, and an uploaded
borough table validated with file, row and column."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.borough_table import BoroughTableError, read_borough_csv
from analysis.models import BoroughTable
from analysis.small_area_runs import SmallAreaOptionsError, borough_table_upload
from sampling import services as sampling
from sampling.data.boroughs import BOROUGHS
from sampling.models import FrameBusiness
from sampling.selectors import borough_auxiliaries


def table_csv(rows=None, header="borough,crime_rate,footfall") -> bytes:
    if rows is None:
        rows = [f"{code},{i + 1}.5,{100 * i}" for i, code in enumerate(BOROUGHS)]
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.mark.django_db
def test_frame_auxiliaries_per_borough():
    frame = sampling.frame_create_synthetic(size=1500, seed=2)
    table = borough_auxiliaries(frame)
    assert list(table.index) == list(BOROUGHS)
    assert table["businesses"].sum() == 1500
    camden = FrameBusiness.objects.filter(frame=frame, borough="E09000007")
    assert table.loc["E09000007", "businesses"] == camden.count()
    assert table.loc["E09000007", "share_size_0_9"] == pytest.approx(
        camden.filter(size_band="0-9").count() / camden.count())
    assert table.loc["E09000007", "share_trade_transport"] == pytest.approx(
        camden.filter(sector__in=["G", "H"]).count() / camden.count())
    groups = [c for c in table.columns if c.startswith("share_") and "size" not in c]
    bands = [c for c in table.columns if c.startswith("share_size_")]
    assert len(groups) == 6 and bands[-1] == "share_size_250_plus"
    with_businesses = table["businesses"] > 0
    np.testing.assert_allclose(table.loc[with_businesses, groups].sum(axis=1), 1.0)
    np.testing.assert_allclose(table.loc[with_businesses, bands].sum(axis=1), 1.0)
    np.testing.assert_allclose(table["log_businesses"], np.log1p(table["businesses"]))


def test_a_borough_table_reads_codes_and_names():
    rows = [f"{name if i % 2 else code},\"{i + 1:,}\",{i}"
            for i, (code, name) in enumerate(BOROUGHS.items())]
    values = read_borough_csv(table_csv(rows), "crime.csv")
    assert list(values) == ["crime_rate", "footfall"]
    assert values["crime_rate"]["E09000002"] == 2.0 and len(values["footfall"]) == 33


def test_every_problem_of_a_borough_table_is_named_with_row_and_column():
    rows = [f"{code},1,2" for code in list(BOROUGHS)[:30]]
    rows[3] = "Gotham,1,2"
    rows[5] = f"{list(BOROUGHS)[0]},1,2"
    rows[7] = f"{list(BOROUGHS)[7]},lots,"
    rows[9] = f"{list(BOROUGHS)[9]},1"
    with pytest.raises(BoroughTableError) as caught:
        read_borough_csv(table_csv(rows), "crime.csv")
    messages = [p["message"] for p in caught.value.fields["problems"]]
    assert "row 5, column 'borough': 'Gotham' is not a London borough" in messages[0]
    assert "row 7, column 'borough': City of London is given twice (also row 2)" in messages[1]
    assert messages[2] == "row 9, column 'crime_rate': 'lots' is not a number"
    assert messages[3] == "row 9, column 'footfall': the value is missing"
    assert messages[4] == "row 11: the row has 2 fields; the header has 3"
    assert messages[5].startswith("column 'borough': 6 boroughs have no row: Bexley, Bromley")
    assert str(caught.value).startswith("crime.csv: row 5")
    assert caught.value.code == "borough_table" and caught.value.http_status == 400


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"place,rate\nCamden,1\n", "the first column must be the borough"),
    (b"borough\nCamden\n", "at least one numeric column"),
    (b"borough,a,A\n", "column 'A': the column name is repeated"),
    (b"borough,rate\n", "no rows after the header"),
    (b"PK\x03\x04rest", "this is a spreadsheet"),
    (b"borough,rate\n\xff\xfe", "not UTF-8"),
])
def test_bad_borough_files(content, message):
    with pytest.raises(BoroughTableError, match=message):
        read_borough_csv(content, "t.csv")


@pytest.mark.django_db
def test_upload_stores_the_table_with_source_and_date():
    table = borough_table_upload(content=table_csv(), name="crime.csv",
                                 source="Met Police recorded crime", as_of="2025-03-31")
    stored = BoroughTable.objects.get()
    assert stored == table and stored.columns == ["crime_rate", "footfall"]
    assert stored.values["crime_rate"]["E09000033"] == 33.5
    assert str(stored.as_of) == "2025-03-31"


@pytest.mark.django_db
def test_upload_reports_every_problem_at_once():
    with pytest.raises(SmallAreaOptionsError) as caught:
        borough_table_upload(content=b"borough,rate\nGotham,1\n", name="t.csv", source="",
                             as_of="31/03/2025")
    fields = [p["field"] for p in caught.value.fields["problems"]]
    assert fields == ["source", "as_of", "file", "file"]
    assert BoroughTable.objects.count() == 0
