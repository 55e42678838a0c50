"""The microdata as statisticians' tools read it: missing codes from the codebook, labels
whole or shortened from the front, measurement levels, display formats, short names, CSV
integers, empty variables, .dta version 118; PSPP's mean ignores the missing codes."""

import csv
import re
import shutil
import subprocess
from functools import cache

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from django.conf import settings

from exports.microdata import anonymise, write_microdata
from exports.microdata_variables import (
    DTA_VARIABLE_LABEL,
    MAX_NAME,
    SAV_VARIABLE_LABEL,
    fit_label,
    fitted_labels,
    short_name,
)
from questionnaires.engine.codebook import codebook
from questionnaires.engine.loader import load_workbook
from sampling.data.boroughs import BOROUGHS

BAS = settings.BASE_DIR / "questionnaires" / "forms_data" / "bas_questionnaire.xlsx"
SCALE = {"1": "Very", "2": "Fairly", "3": "Neither", "4": "Not very", "5": "Not at all"}


def small_codebook(dont_know=-7, refused=-1) -> dict:
    """Settings with other codes than -8/-9, and one question with its own code (98)."""
    return {"dont_know_default": dont_know, "refused_default": refused, "variables": [
        {"name": "satisfaction", "label": "How satisfied are you?", "type": "select_one",
         "columns": ["satisfaction"], "value_labels": SCALE, "dont_know": dont_know,
         "refused": refused},
        {"name": "trading", "label": "Trading from home?", "type": "select_one",
         "columns": ["trading"], "value_labels": {"1": "Yes", "2": "No"}, "dont_know": 98,
         "refused": None},
        {"name": "incidents", "label": "How many times?", "type": "integer",
         "columns": ["incidents"], "value_labels": {}, "dont_know": dont_know,
         "refused": refused},
        {"name": "never_asked", "label": "A question nobody reached", "type": "select_one",
         "columns": ["never_asked"], "value_labels": {"1": "Yes", "2": "No"},
         "dont_know": dont_know, "refused": refused},
    ]}


def small_respondents(n: int = 200, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "borough": ["E09000033"] * n, "sector_group": ["professional_business"] * n,
        "size_band": ["0-9"] * n, "final_weight": rng.uniform(5, 20, n),
        "satisfaction": rng.choice([1, 2, 3, 4, 5, -7, -1], n).astype(float),
        "trading": rng.choice([1, 2, 98], n).astype(float),
        "incidents": rng.choice([0, 1, 2, 3, -7, -1], n).astype(float),
        "never_asked": [np.nan] * n,
    })


def test_missing_codes_come_from_the_codebook_in_every_format(tmp_path):
    micro = anonymise(small_respondents(), small_codebook())
    paths = write_microdata(micro, tmp_path)
    table = micro.table
    sav, sav_meta = pyreadstat.read_sav(str(paths[1]), user_missing=True)
    assert sav_meta.missing_ranges["satisfaction"] == [{"lo": -7.0, "hi": -7.0},
                                                       {"lo": -1.0, "hi": -1.0}]
    assert sav_meta.missing_ranges["trading"] == [{"lo": 98.0, "hi": 98.0}]
    assert sav_meta.variable_value_labels["trading"][98] == "Don't know"
    assert sav_meta.variable_value_labels["satisfaction"][-1] == "Refused"
    plain, _ = pyreadstat.read_sav(str(paths[1]))  # as SPSS users see a mean: codes missing
    assert plain["satisfaction"].max() == 5 and plain["satisfaction"].min() == 1
    assert plain["trading"].isna().sum() == (table["trading"] == 98).sum() > 0
    dta, dta_meta = pyreadstat.read_dta(str(paths[2]), user_missing=True)
    assert dta_meta.missing_user_values["satisfaction"] == ["a", "b"]
    assert set(dta["satisfaction"][table["satisfaction"] == -7]) == {"a"}
    assert set(dta["satisfaction"][table["satisfaction"] == -1]) == {"b"}
    assert set(dta["trading"][table["trading"] == 98]) == {"a"}
    assert dta_meta.variable_value_labels["satisfaction"]["a"] == "Don't know"
    assert dta_meta.variable_value_labels["satisfaction"]["b"] == "Refused"
    assert dta_meta.variable_value_labels["trading"]["a"] == "Don't know"
    stata, _ = pyreadstat.read_dta(str(paths[2]))
    assert stata["incidents"].max() <= 3 and stata["incidents"].min() >= 0
    assert paths[2].read_bytes()[:40].startswith(b"<stata_dta><header><release>118")
    rows = {r["name"]: r for r in csv.DictReader(paths[3].read_text("utf-8").splitlines())}
    assert rows["satisfaction"]["missing_values"] == "Don't know = -7; Refused = -1"
    assert rows["trading"]["missing_values"] == "Don't know = 98"
    assert rows["incidents"]["value_labels"] == "Don't know = -7; Refused = -1"  # no "'"
    assert rows["satisfaction"]["value_labels"].startswith("Very = 1; Fairly = 2")
    assert "Don't know" not in rows["final_weight"]["missing_values"]


def test_measurement_levels_formats_integers_and_empty_variables(tmp_path):
    micro = anonymise(small_respondents(), small_codebook())
    paths = write_microdata(micro, tmp_path)
    _, meta = pyreadstat.read_sav(str(paths[1]))
    assert meta.variable_measure["satisfaction"] == "ordinal"  # a five-point scale
    assert meta.variable_measure["trading"] == "nominal"
    assert meta.variable_measure["incidents"] == "scale"
    assert meta.variable_measure["final_weight"] == "scale"
    assert meta.variable_measure["size_band"] == "ordinal"
    assert meta.original_variable_types["satisfaction"] == "F2.0"  # 1..5 and -7, -1
    assert meta.original_variable_types["trading"] == "F2.0"  # 98
    assert meta.original_variable_types["respondent_id"] == "F3.0"
    assert "never_asked" not in micro.table.columns
    assert micro.withheld["never_asked"].startswith("no answers")
    with paths[0].open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        first = next(reader)
    assert re.fullmatch(r"-?\d+", first["satisfaction"])  # "1", not "1.0"
    assert re.fullmatch(r"\d+", first["respondent_id"]) and re.fullmatch(r"\d+",
                                                                          first["area"])
    assert float(first["final_weight"]) == micro.table["final_weight"].iloc[0]  # exact


def test_labels_are_shortened_from_the_front_and_stay_unique():
    long = "In the last 12 months, has the business experienced any of the following? [{}]"
    labels = {f"v{i}": long.format(text) for i, text in enumerate(
        ["Burglary or attempted burglary of the premises", "Theft by staff"])}
    fitted = fitted_labels(labels, 60)
    assert fitted["v0"].startswith("…") and fitted["v0"].endswith("of the premises]")
    assert len(set(fitted.values())) == 2 and all(len(t) <= 60 for t in fitted.values())
    same_tail = {"a": "x" * 90 + " end", "b": "y" * 90 + " end"}
    fitted = fitted_labels(same_tail, 10)
    assert fitted["a"] != fitted["b"] and all(len(t) <= 10 for t in fitted.values())
    assert fit_label("short", 80) == "short"


def test_short_names_keep_their_words():
    assert short_name("crime_channel__criminal_damage", set(), "crime_channel") == \
        "crime_channel_criminal_damage"
    name = short_name("not_reported_reasons__denial_of_service__police_no_action", set(),
                      "not_reported_reasons")
    assert len(name) <= MAX_NAME and not re.search(r"_\d+$", name)
    assert name.startswith("nrr_den") and "pol" in name  # the question's initials
    taken = {"crime_channel_criminal_damage"}
    other = short_name("crime_channel__criminal_damage", taken, "crime_channel")
    assert other not in taken and len(other) <= MAX_NAME


@cache
def bas_codebook() -> dict:
    return codebook(load_workbook(BAS))


def bas_respondents(n: int = 300, seed: int = 11) -> pd.DataFrame:
    """Every column of the BAS codebook filled with plausible codes."""
    rng = np.random.default_rng(seed)
    book = bas_codebook()
    columns: dict[str, object] = {
        "borough": rng.choice(list(BOROUGHS)[:3], n), "sector_group": ["retail"] * n,
        "size_band": ["0-9"] * n, "final_weight": rng.uniform(5, 20, n)}
    for entry in book["variables"]:
        codes = [c for c in (entry["dont_know"], entry["refused"]) if c is not None]
        for column in entry["columns"]:
            if entry["type"] == "select_multiple":
                values = rng.choice([0, 1, *codes], n)
            elif entry["type"] in ("integer", "decimal"):
                values = rng.choice([0, 1, 2, 5, 40, *codes], n)
            elif entry["value_labels"] and all(re.fullmatch(r"-?\d+", k)
                                               for k in entry["value_labels"]):
                values = rng.choice([int(k) for k in entry["value_labels"]] + codes, n)
            elif entry["type"] == "text" or entry["value_labels"]:
                values = rng.choice(list(entry["value_labels"]) or ["some text"], n)
            else:
                values = rng.choice([0, 1], n)
            columns[column if column not in ("borough", "sector", "size_band")
                    else f"{column}_answer"] = values
    return pd.DataFrame(columns)


def test_bas_form_names_and_labels_fit_and_stay_unique(tmp_path):
    micro = anonymise(bas_respondents(), bas_codebook())
    names = list(micro.table.columns)
    assert len(names) == len(set(names)) and max(map(len, names)) <= MAX_NAME
    assert not [n for n in names if re.search(r"_\d{3}$", n)]  # no counters
    assert "crime_channel_criminal_damage" in names
    paths = write_microdata(micro, tmp_path)
    _, sav = pyreadstat.read_sav(str(paths[1]))
    _, dta = pyreadstat.read_dta(str(paths[2]))
    for meta, limit in ((sav, SAV_VARIABLE_LABEL), (dta, DTA_VARIABLE_LABEL)):
        labels = meta.column_names_to_labels
        assert max(len(t) for t in labels.values()) <= limit
        assert len(set(labels.values())) == len(labels)  # no two variables read the same
        dummies = [labels[n] for n in names if n.startswith("crime_types_")]
        assert len(dummies) == 15 and len(set(dummies)) == 15
        assert labels["crime_types_burglary"].endswith(
            "[Burglary or attempted burglary of the premises]")
        incidents = labels["incidents_burglary"]
        assert incidents.endswith("[Burglary or attempted burglary of the premises]")
        assert "${" not in incidents
    # the SPSS file carries the whole label where it fits
    question = next(e for e in bas_codebook()["variables"] if e["name"] == "crime_types")
    assert sav.column_names_to_labels["crime_types_burglary"].startswith(question["label"])
    # value labels of question-level codes and of the settings' codes
    assert sav.variable_value_labels["confidence_police"][-8] == "Don't know"
    assert sav.variable_measure["confidence_police"] == "ordinal"
    assert sav.variable_measure["respondent_role"] == "nominal"
    assert sav.variable_measure["incidents_burglary"] == "scale"
    assert sav.original_variable_types["confidence_police"] == "F2.0"


def _pspp_mean(sav: str, variable: str, tmp_path) -> float:
    """The mean as PSPP computes it (AGGREGATE leaves user-missing values out, as SPSS)."""
    syntax = tmp_path / "mean.sps"
    syntax.write_text(f"GET FILE='{sav}'.\nCOMPUTE whole = 1.\n"
                      f"AGGREGATE /OUTFILE=* /BREAK=whole /result=MEAN({variable}).\n"
                      "FORMATS result (F18.8).\nLIST.\n", encoding="utf-8")
    out = tmp_path / "mean.csv"
    subprocess.run(["pspp", str(syntax), "-o", str(out)], check=True, timeout=120,
                   capture_output=True)
    rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    header = next(i for i, r in enumerate(rows) if r[:2] == ["whole", "result"])
    return float(rows[header + 1][1])


@pytest.mark.skipif(shutil.which("pspp") is None,
                    reason="PSPP is not installed (Debian package pspp): the .sav is not "
                           "checked in PSPP")
def test_pspp_mean_ignores_the_missing_codes(tmp_path):
    micro = anonymise(small_respondents(), small_codebook())
    paths = write_microdata(micro, tmp_path)
    values = micro.table["satisfaction"]
    answered = values[values.between(1, 5)]
    mean = _pspp_mean(str(paths[1]), "satisfaction", tmp_path)
    assert mean == pytest.approx(answered.mean(), abs=1e-3)
    assert mean != pytest.approx(values.mean(), abs=1e-3)
