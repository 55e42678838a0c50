import io

import openpyxl
import pandas as pd

from questionnaires.engine import (
    codebook,
    diff_definitions,
    respondent_long_table,
    respondent_table,
    write_codebook_xlsx,
)

from .helpers import form
from .test_routing import CRIMES

HEADER = ["type", "name", "label", "relevant", "calculation", "repeat_count", "dont_know",
          "refused"]


def crime_form(extra_label=""):
    return form(
        ["select_one yn", "trading", "Trading?" + extra_label],
        ["begin group", "g", "G", "${trading} = 1"],
        ["select_multiple crime", "crimes", "Which crimes?", "", "", "", "yes", "yes"],
        ["begin repeat", "detail", "Detail", "${crimes} != ''", "", "count-selected(${crimes})"],
        ["integer", "incidents", "How many ${detail}?", "", "", "", "yes"],
        ["end repeat"],
        ["end group"],
        ["calculate", "victim", "Any crime", "", "if(count-selected(${crimes}) > 0, 1, 0)"],
        header=HEADER, choices=CRIMES)


def test_codebook_entries():
    book = codebook(crime_form())
    by_name = {v["name"]: v for v in book["variables"]}
    assert list(by_name) == ["trading", "crimes", "incidents", "victim"]
    crimes = by_name["crimes"]
    assert crimes["value_labels"] == {"burglary": "Burglary", "hacking": "Hacking",
                                      "robbery": "Robbery", "none": "None"}
    assert (crimes["dont_know"], crimes["refused"]) == (-8, -9)
    assert crimes["routing"] == "${trading} = 1"
    assert crimes["columns"] == ["crimes__burglary", "crimes__hacking", "crimes__robbery",
                                 "crimes__none"]
    incidents = by_name["incidents"]
    assert incidents["routing"] == "(${trading} = 1) and (${crimes} != '')"
    assert incidents["repeat"] == "detail"
    assert incidents["instances"] == "one per choice selected at crimes"
    assert incidents["columns"][:2] == ["incidents__burglary", "incidents__hacking"]
    assert incidents["question"] == "How many ${detail}?"
    assert by_name["victim"]["calculation"] == "if(count-selected(${crimes}) > 0, 1, 0)"


def test_codebook_xlsx():
    buffer = io.BytesIO()
    write_codebook_xlsx(codebook(crime_form()), buffer)
    ws = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["codebook"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("name", "label", "type")
    assert [r[0] for r in rows[1:]] == ["trading", "crimes", "incidents", "victim"]
    assert "burglary = Burglary" in rows[2][4]


def test_respondent_table_wide_and_long():
    d = crime_form()
    cases = [
        {"trading": "1", "crimes": ["burglary", "robbery"], "detail[burglary]/incidents": 2,
         "detail[robbery]/incidents": -8},
        {"trading": "2"},
        {"trading": "1", "crimes": -9},
        {"trading": "1", "crimes": [], "detail[hacking]/incidents": 5},  # off-route answer
    ]
    table = respondent_table(d, cases, case_ids=["a", "b", "c", "d"])
    assert table.index.tolist() == ["a", "b", "c", "d"]
    assert table.loc["a", "trading"] == 1
    assert table.loc["a", "crimes__burglary"] == 1 and table.loc["a", "crimes__hacking"] == 0
    assert pd.isna(table.loc["b", "crimes__burglary"])
    assert table.loc["c", "crimes__robbery"] == -9
    assert table.loc["a", "incidents__burglary"] == 2
    assert table.loc["a", "incidents__robbery"] == -8
    assert pd.isna(table.loc["a", "incidents__hacking"])
    assert pd.isna(table.loc["d", "incidents__hacking"])
    assert table.loc["a", "victim"] == 1 and table.loc["b", "victim"] == 0
    long = respondent_long_table(d, cases, "detail", case_ids=["a", "b", "c", "d"])
    assert long[["case", "instance", "incidents"]].values.tolist() == [
        ["a", "burglary", 2], ["a", "robbery", -8]]


def test_counted_repeat_columns_come_from_the_data():
    d = form(["integer", "n", "N?"],
             ["begin repeat", "site", "Site", "", "", "${n}"],
             ["select_multiple crime", "kinds", "Kinds?"],
             ["end repeat"], header=HEADER, choices=CRIMES)
    table = respondent_table(d, [{"n": 2, "site[1]/kinds": ["hacking"],
                                  "site[2]/kinds": ["none"]}])
    assert table.loc[0, "kinds__1__hacking"] == 1
    assert table.loc[0, "kinds__2__none"] == 1
    assert table.loc[0, "kinds__2__hacking"] == 0


def test_diff_between_versions():
    old = crime_form()
    new = form(
        ["select_one yn", "trading", "Is the business trading?"],
        ["begin group", "g", "G", "${trading} = 1"],
        ["select_multiple crime", "crimes", "Which crimes?", "", "", "", "yes"],
        ["end group"],
        ["integer", "staff", "Staff?"],
        ["calculate", "victim", "Any crime", "", "if(count-selected(${crimes}) > 0, 1, 0)"],
        header=HEADER, choices=CRIMES[:-1])
    diff = diff_definitions(old, new)
    assert diff["added"] == ["staff"]
    assert diff["removed"] == ["detail", "incidents"]
    assert diff["changed"]["trading"] == ["label"]
    assert diff["changed"]["crimes"] == ["refused", "choices"]
    assert "victim" not in diff["changed"]
    assert diff_definitions(old, crime_form()) == {"added": [], "removed": [], "changed": {},
                                                   "settings": []}
