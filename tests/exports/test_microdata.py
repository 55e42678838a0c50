import json

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exports.microdata import (
    LONDON_CODE,
    MicrodataError,
    anonymise,
    coarsen,
    top_code,
    write_microdata,
)

CODEBOOK = {
    "dont_know_default": -8, "refused_default": -9,
    "variables": [
        {"name": "borough", "label": "Borough", "type": "select_one", "columns": ["borough"],
         "value_labels": {"E09000001": "City of London"}, "dont_know": None, "refused": None},
        {"name": "employees", "label": "Staff", "type": "integer", "columns": ["employees"],
         "value_labels": {}, "dont_know": True, "refused": True},
        {"name": "confidence_police", "label": "How confident are you?", "type": "select_one",
         "columns": ["confidence_police"], "dont_know": True, "refused": True,
         "value_labels": {"1": "Very confident", "2": "Fairly confident"}},
        {"name": "victim_online", "label": "Victim of any online crime (1 yes, 0 no)",
         "type": "calculate", "columns": ["victim_online"], "value_labels": {},
         "dont_know": None, "refused": None},
        {"name": "not_reported_reasons", "label": "Why not reported?",
         "type": "select_multiple", "dont_know": True, "refused": True,
         "value_labels": {"too_trivial": "Too trivial", "police_no_action": "No action"},
         "columns": ["not_reported_reasons__denial_of_service__too_trivial",
                     "not_reported_reasons__denial_of_service__police_no_action"]},
        {"name": "comments", "label": "Anything else?", "type": "text",
         "columns": ["comments"], "value_labels": {}, "dont_know": None, "refused": None},
    ],
}


def respondents(n: int = 120, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    common = ["E09000033", "E09000007"]
    rare = ["E09000029", "E09000001"]
    borough = [common[i % 2] for i in range(n - 4)] + rare * 2
    return pd.DataFrame({
        "case": np.arange(1000, 1000 + n), "stratum": ["s"] * n, "borough": borough,
        "sector": ["M"] * n, "sector_group": ["professional_business"] * (n - 4)
        + ["trade_transport"] * 4, "size_band": ["0-9"] * n,
        "final_weight": rng.uniform(5, 20, n), "employees": rng.integers(1, 500, n),
        "borough_answer": borough, "confidence_police": rng.choice([1, 2, -8], n),
        "victim_online": rng.choice([0.0, 1.0, np.nan], n),
        "not_reported_reasons__denial_of_service__too_trivial": rng.choice([0, 1], n),
        "not_reported_reasons__denial_of_service__police_no_action": rng.choice([0, 1], n),
        "comments": ["=HYPERLINK(\"x\") call 020 7946 0000"] * n,
        "reported_any": rng.choice([0.0, 1.0], n),
    })


def test_no_identifiers_free_text_or_exact_counts():
    data = anonymise(respondents(), CODEBOOK)
    columns = set(data.table.columns)
    assert not columns & {"case", "stratum", "borough", "sector", "employees", "comments",
                          "borough_answer"}
    assert {"respondent_id", "area", "sector_group", "size_band", "final_weight",
            "confidence_police", "victim_online", "reported_any"} <= columns
    assert sorted(data.table["respondent_id"]) == list(range(1, 121))
    assert data.withheld["comments"] == "free text"
    assert all(len(name) <= 29 for name in columns)


def test_rare_borough_sector_combinations_are_coarsened():
    borough = pd.Series(["E09000033"] * 20 + ["E09000029"] * 2 + ["E09000032"] * 3)
    sector = pd.Series(["trade_transport"] * 25)
    area, _, steps = coarsen(borough, sector, k=10)
    assert set(area[:20]) == {33}
    # Sutton (outer south) and Wandsworth (inner west) are rare and in different
    # sub-regions, both still rare there: they end up in London
    assert set(area[20:]) == {LONDON_CODE}
    assert steps["borough to sub-region"] == 5
    counts = pd.Series(list(zip(area, strict=True))).value_counts()
    assert counts.min() >= 5


def test_unknown_borough_is_named():
    with pytest.raises(MicrodataError, match="'Narnia' is not a London GSS code"):
        coarsen(pd.Series(["Narnia"]), pd.Series(["trade_transport"]), k=10)


def test_sav_and_dta_read_back_with_variable_and_value_labels(tmp_path):
    data = anonymise(respondents(), CODEBOOK)
    paths = write_microdata(data, tmp_path)
    assert [p.suffix for p in paths] == [".csv", ".sav", ".dta", ".csv", ".json", ".txt"]
    for reader, path in ((pyreadstat.read_sav, paths[1]), (pyreadstat.read_dta, paths[2])):
        frame, meta = reader(str(path))
        assert len(frame) == 120
        labels = meta.column_names_to_labels
        assert labels["confidence_police"] == "How confident are you?"
        assert labels["final_weight"].startswith("Final weight")
        values = meta.variable_value_labels
        assert values["confidence_police"][1] == "Very confident"
        assert values["victim_online"] == {0: "No", 1: "Yes"}
        assert values["area"][33] == "Westminster"
        assert frame["final_weight"].sum() == pytest.approx(data.table["final_weight"].sum())
        # don't know is missing, not a value: it never enters a mean
        assert frame["confidence_police"].isna().sum() == (
            data.table["confidence_police"] == -8).sum() > 0
    codebook = pd.read_csv(paths[3])
    assert list(codebook["name"]) == list(data.table.columns)
    text = paths[0].read_text()
    assert "HYPERLINK" not in text and "020 7946" not in text


def test_top_code_lowers_values_above_the_kth_largest_answer():
    values = pd.Series([float(v) for v in range(1, 31)] + [-8.0, -9.0, np.nan])
    coded, at, changed = top_code(values, 10, {-8.0, -9.0})
    assert (at, changed) == (21.0, 9)
    assert list(coded[:21]) == list(values[:21])
    assert set(coded[21:30]) == {21.0}
    assert list(coded[30:32]) == [-8.0, -9.0] and np.isnan(coded.iloc[32])


def test_top_code_with_fewer_answers_than_k_releases_nothing():
    _, at, changed = top_code(pd.Series([5.0, 900.0, -8.0, -8.0]), 3, {-8.0})
    assert (at, changed) == (None, 0)


@given(st.lists(st.one_of(st.integers(-9, 10**7).map(float), st.just(np.nan)), max_size=60),
       st.integers(1, 15))
def test_top_code_properties(raw, k):
    values = pd.Series(raw, dtype=float)
    coded, at, changed = top_code(values, k, {-8.0, -9.0})
    answers = values.notna() & ~values.isin([-8.0, -9.0])
    if at is None:
        assert answers.sum() < k and coded.equals(values)
        return
    released = coded[answers]
    assert (released == released.max()).sum() >= k  # the top value is shared by k or more
    assert released.max() == at and changed == int((values[answers] > at).sum())
    assert coded[~answers].equals(values[~answers])  # codes and blanks untouched
    assert (coded[answers] <= values[answers]).all()
    below = answers & (values <= at)
    assert coded[below].equals(values[below])  # only the values above the top code change


def test_numeric_answers_are_top_coded_and_rare_ones_withheld(tmp_path):
    n = 120
    data = respondents(n)
    data["incidents"] = [1.0] * (n - 12) + [2.0] * 8 + [40.0, 60.0, 80.0, 500.0]
    data["cost__robbery"] = [np.nan] * (n - 3) + [15000.0, 250.0, -8.0]
    codebook = {**CODEBOOK, "variables": [*CODEBOOK["variables"],
        {"name": "incidents", "label": "How many times?", "type": "integer",
         "columns": ["incidents"], "value_labels": {}, "dont_know": True, "refused": True},
        {"name": "cost", "label": "Cost?", "type": "decimal", "columns": ["cost__robbery"],
         "value_labels": {}, "dont_know": True, "refused": True}]}
    micro = anonymise(data, codebook)
    assert micro.table["incidents"].max() == 2.0
    assert (micro.table["incidents"] == 2.0).sum() == 12
    assert micro.top_coded == {"incidents": {"at": 2.0, "rows": 4}}
    assert "cost_robbery" not in micro.table.columns
    assert micro.withheld["cost_robbery"].startswith("fewer than 10 answers")
    paths = write_microdata(micro, tmp_path)
    codebook_rows = pd.read_csv(paths[3], keep_default_na=False).set_index("name")
    assert codebook_rows.loc["incidents", "top_coded_at"] == "2"
    assert codebook_rows.loc["final_weight", "top_coded_at"] == ""
    meta = json.loads(paths[4].read_text())
    assert meta["top_coding"]["variables"]["incidents"] == {"at": 2.0, "rows": 4}
    assert "cost_robbery" in meta["withheld"]


def test_contact_words_withhold_open_answers_but_not_coded_choices():
    n = 120
    data = respondents(n)
    data["recontact"] = [1, 2] * (n // 2)
    data["contact_phone"] = [79460000 + i for i in range(n)]
    codebook = {**CODEBOOK, "variables": [*CODEBOOK["variables"],
        {"name": "recontact", "label": "May we contact you again?", "type": "select_one",
         "columns": ["recontact"], "value_labels": {"1": "Yes", "2": "No"},
         "dont_know": None, "refused": None},
        {"name": "contact_phone", "label": "Phone", "type": "integer",
         "columns": ["contact_phone"], "value_labels": {}, "dont_know": None,
         "refused": None}]}
    micro = anonymise(data, codebook)
    assert "recontact" in micro.table.columns
    assert "contact_phone" not in micro.table.columns
    assert micro.withheld["contact_phone"] == "contact detail"


@pytest.mark.parametrize("head", [
    [np.nan] * 372,  # a follow-up asked of two businesses only, neither in the first 100
    [np.nan] * 150 + [-8.0],  # don't know the only value in the first 100 after missing
])
def test_dta_writes_sparse_follow_up_questions(tmp_path, head):
    from exports.microdata_files import write_dta
    from exports.microdata_variables import Variable

    values = pd.Series(head + [0.0, 1.0, -9.0] + [np.nan] * 5)
    variable = Variable("nrr_too_trivial", "Too trivial", "question",
                        value_labels={0: "Not selected", 1: "Selected", -8: "Don't know",
                                      -9: "Refused"},
                        missing={"dont_know": -8, "refused": -9})
    ids = pd.Series(range(1, len(values) + 1), name="respondent_id")
    table = pd.DataFrame({"respondent_id": ids, "nrr_too_trivial": values})
    path = tmp_path / "m.dta"
    write_dta(table, [Variable("respondent_id", "Serial", "design"), variable], path)
    frame, meta = pyreadstat.read_dta(str(path), user_missing=True)
    frame = frame.sort_values("respondent_id").reset_index(drop=True)
    assert frame["respondent_id"].tolist() == ids.tolist()
    read = frame["nrr_too_trivial"]
    assert read.isna().sum() == values.isna().sum()
    assert read[values == 0.0].tolist() == [0.0] and read[values == 1.0].tolist() == [1.0]
    assert read[values == -9.0].tolist() == ["b"] and read[values == -8.0].tolist() == (
        ["a"] if -8.0 in head else [])
    assert meta.variable_value_labels["nrr_too_trivial"]["b"] == "Refused"
