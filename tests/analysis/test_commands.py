"""The estimate and rake management commands: contract, R agreement and every error path."""

import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import DATA, EST_RTOL, SE_RTOL, assert_close

SAMPLE = DATA / "synthetic_sample.csv"
MARGINS = DATA / "synthetic_margins.csv"
DESIGN = ["--weight", "weight", "--strata", "stratum", "--cluster", "cluster", "--fpc", "fpc"]
COLUMNS = ["variable", "by", "domain", "estimate", "se", "ci_low", "ci_high", "n", "deff"]
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def run_estimate(tmp_path, *args) -> pd.DataFrame:
    out = tmp_path / "estimates.csv"
    call_command("estimate", str(SAMPLE), *args, "--out", str(out))
    return pd.read_csv(out, keep_default_na=False, na_values=["NaN", "nan", ""])


def reference_rows(reference, check):
    return reference[reference.check == check].set_index("domain")


def test_blocks_columns_and_counts(tmp_path, synthetic):
    table = run_estimate(tmp_path, *DESIGN, "--mean", "y", "--proportion", "b1", "b2",
                         "--by", "sector", "--by", "region")
    assert list(table.columns) == COLUMNS
    overall = table.iloc[:3]
    assert list(overall.variable) == ["y", "b1", "b2"]
    assert overall.by.isna().all() and overall.domain.isna().all()
    assert list(table.by.iloc[3:18].unique()) == ["sector"]
    assert list(table.by.iloc[18:].unique()) == ["region"]
    assert len(table) == 3 + 3 * 5 + 3 * 3
    assert overall.n.tolist() == [173, synthetic.b1.notna().sum(), 173]
    b1_sector = table[(table.variable == "b1") & (table.by == "sector")]
    expected_n = synthetic[synthetic.b1.notna()].groupby("sector").size()
    assert b1_sector.n.tolist() == expected_n.tolist()


def test_repeatable_variable_flags(tmp_path):
    table = run_estimate(tmp_path, *DESIGN, "--mean", "y", "--mean", "x", "--total", "y")
    assert table.variable.tolist() == ["y", "x", "y"]


def test_agrees_with_r_for_fixed_weights_and_subset(tmp_path, synthetic_reference):
    table = run_estimate(tmp_path, *DESIGN, "--mean", "y", "--subset", "region=A",
                         "--by", "sector")
    overall = reference_rows(synthetic_reference, "strat mean y subset region=A").iloc[0]
    assert_close(table.estimate[0], overall.estimate, EST_RTOL, "subset estimate")
    assert_close(table.se[0], overall.se, SE_RTOL, "subset se")
    assert_close(table.deff[0], overall.deff, SE_RTOL, "subset deff")
    by_sector = reference_rows(synthetic_reference, "strat mean y by sector subset region=A")
    rows = table.iloc[1:].set_index("domain").loc[by_sector.index]
    assert_close(rows.estimate, by_sector.estimate, EST_RTOL, "domain estimates")
    assert_close(rows.se, by_sector.se, SE_RTOL, "domain se")


@pytest.mark.parametrize("method", ["logit", "beta"])
def test_rake_with_strata_gives_calibration_aware_se(tmp_path, synthetic_reference, method):
    table = run_estimate(tmp_path, *DESIGN, "--rake", str(MARGINS), "--proportion", "b1",
                         "--by", "sector", "--ci", method)
    expected = reference_rows(synthetic_reference, f"cal raking prop b1 by sector {method}")
    rows = table.iloc[1:].set_index("domain").loc[expected.index]
    assert_close(rows.estimate, expected.estimate, EST_RTOL, "estimates")
    assert_close(rows.se, expected.se, SE_RTOL, "se")
    assert_close(rows.ci_low, expected.ci_low, EST_RTOL, "ci_low")
    assert_close(rows.ci_high, expected.ci_high, EST_RTOL, "ci_high")


def test_wilson_interval_option(tmp_path):
    table = run_estimate(tmp_path, *DESIGN, "--proportion", "b2", "--ci", "wilson")
    logit = run_estimate(tmp_path, *DESIGN, "--proportion", "b2")
    assert table.estimate[0] == logit.estimate[0]
    assert table.ci_low[0] < table.estimate[0] < table.ci_high[0]
    assert table.ci_low[0] != logit.ci_low[0]


def test_json_table_and_stdout(tmp_path):
    out = tmp_path / "e.json"
    call_command("estimate", str(SAMPLE), *DESIGN, "--mean", "y", "--by", "region",
                 "--format", "json", "--out", str(out))
    records = json.loads(out.read_text())
    assert list(records[0]) == COLUMNS and records[0]["by"] == "" and len(records) == 4
    stdout = io.StringIO()
    call_command("estimate", str(SAMPLE), "--weight", "weight", "--mean", "y",
                 "--format", "table", stdout=stdout)
    assert "estimate" in stdout.getvalue().splitlines()[0]
    stdout = io.StringIO()
    call_command("estimate", str(SAMPLE), "--weight", "weight", "--total", "y", stdout=stdout)
    assert stdout.getvalue().splitlines()[0] == ",".join(COLUMNS)


def test_rake_command_writes_r_raking_weights(tmp_path, synthetic):
    out = tmp_path / "weights.csv"
    call_command("rake", str(SAMPLE), "--weight", "weight", "--margins", str(MARGINS),
                 "--id", "id", "--out", str(out))
    written = pd.read_csv(out)
    assert list(written.columns) == ["id", "weight"]
    assert written.id.tolist() == synthetic.id.tolist()
    r_weights = pd.read_csv(DATA / "calibrated_weights.csv")
    assert_close(written.weight, r_weights.raking, EST_RTOL, "raked weights")


def test_categories_compare_as_strings(tmp_path):
    data = pd.DataFrame({"id": [1, 2, 3, 4], "w": [1.0, 2, 1, 2], "band": [1, 2, 2, 1],
                         "flag": [" yes", "no", "yes ", "no"]})
    margins = pd.DataFrame({"variable": ["band", "band", "flag", "flag"],
                            "category": ["1.0", " 2", "yes", "no"], "total": [40, 60, 30, 70]})
    data.to_csv(tmp_path / "d.csv", index=False)
    margins.to_csv(tmp_path / "m.csv", index=False)
    call_command("rake", str(tmp_path / "d.csv"), "--weight", "w", "--margins",
                 str(tmp_path / "m.csv"), "--id", "id", "--out", str(tmp_path / "o.csv"))
    weights = pd.read_csv(tmp_path / "o.csv").weight.to_numpy()
    assert_close(weights[[0, 3]].sum(), 40, 1e-9, "band 1")
    assert_close(weights[[0, 2]].sum(), 30, 1e-9, "flag yes")


@pytest.fixture
def bad_files(tmp_path):
    sample = pd.read_csv(SAMPLE)
    margins = pd.read_csv(MARGINS)

    def write(name, frame):
        path = tmp_path / name
        frame.to_csv(path, index=False)
        return path

    text_weight = sample.astype({"weight": object})
    text_weight.loc[4, "weight"] = "heavy"
    negative = sample.copy()
    negative.loc[6, "weight"] = -3.0
    blank = sample.copy()
    blank.loc[7, "weight"] = np.nan
    new_category = sample.copy()
    new_category.loc[9, "region"] = "Z"
    not_binary = sample.copy()
    not_binary.loc[2, "b2"] = 2
    absent = pd.concat([margins, pd.DataFrame({"variable": ["region"], "category": ["D"],
                                               "total": [0]})])
    absent.loc[absent.variable == "region", "total"] = [11000, 6200, 3800, 0]
    disagree = margins.copy()
    disagree.loc[0, "total"] = 12000
    return {
        "text_weight": write("text_weight.csv", text_weight),
        "negative": write("negative.csv", negative),
        "blank": write("blank.csv", blank),
        "new_category": write("new_category.csv", new_category),
        "not_binary": write("not_binary.csv", not_binary),
        "absent": write("absent_margins.csv", absent),
        "disagree": write("disagree_margins.csv", disagree),
        "no_total_column": write("no_total.csv", margins.drop(columns="total")),
    }


ESTIMATE_ERRORS = [
    ("missing data file", lambda f: ["nope.csv", "--weight", "weight", "--mean", "y"],
     ["nope.csv", "file not found"]),
    ("missing weight column", lambda f: [SAMPLE, "--weight", "wt", "--mean", "y"],
     ["synthetic_sample.csv", "missing column 'wt'"]),
    ("missing variable column", lambda f: [SAMPLE, "--weight", "weight", "--mean", "income"],
     ["missing column 'income'"]),
    ("missing by column", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y", "--by", "zz"],
     ["missing column 'zz'"]),
    ("missing strata column", lambda f: [SAMPLE, "--weight", "weight", "--strata", "st",
                                         "--mean", "y"], ["missing column 'st'"]),
    ("non-numeric weight", lambda f: [f["text_weight"], "--weight", "weight", "--mean", "y"],
     ["text_weight.csv", "row 6", "column 'weight'", "'heavy'"]),
    ("negative weight", lambda f: [f["negative"], "--weight", "weight", "--mean", "y"],
     ["negative.csv", "row 8", "column 'weight'", "-3"]),
    ("missing weight", lambda f: [f["blank"], "--weight", "weight", "--mean", "y"],
     ["blank.csv", "row 9", "column 'weight'", "nan"]),
    ("non-numeric variable", lambda f: [SAMPLE, "--weight", "weight", "--mean", "region"],
     ["row 2", "column 'region'", "'C'"]),
    ("proportion not 0/1", lambda f: [f["not_binary"], "--weight", "weight",
                                      "--proportion", "b2"],
     ["not_binary.csv", "row 4", "column 'b2'", "not 0 or 1"]),
    ("unparseable subset", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y",
                                      "--subset", "regionA"], ["--subset 'regionA'", "VAR=VALUE"]),
    ("subset column missing", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y",
                                         "--subset", "area=A"], ["missing column 'area'"]),
    ("subset matches nothing", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y",
                                          "--subset", "region=Q"], ["no row has region = 'Q'"]),
    ("nothing to estimate", lambda f: [SAMPLE, "--weight", "weight"], ["nothing to estimate"]),
    ("missing margins file", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y",
                                        "--rake", "none.csv"], ["none.csv", "file not found"]),
    ("data category absent from margins", lambda f: [f["new_category"], "--weight", "weight",
                                                     "--mean", "y", "--rake", MARGINS],
     ["new_category.csv", "row 11", "column 'region'", "'Z'", "no population total"]),
    ("margin category absent from data", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y",
                                                    "--rake", f["absent"]],
     ["column 'region'", "margin category 'D'", "no respondents"]),
    ("margins disagree", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y",
                                    "--rake", f["disagree"]],
     ["disagree_margins.csv", "'region' sums to 22000", "'size' sums to 21000"]),
    ("margins without total column", lambda f: [SAMPLE, "--weight", "weight", "--mean", "y",
                                                "--rake", f["no_total_column"]],
     ["no_total.csv", "missing column 'total'"]),
]


@pytest.mark.parametrize("name,make_args,fragments", ESTIMATE_ERRORS,
                         ids=[e[0] for e in ESTIMATE_ERRORS])
def test_estimate_errors(tmp_path, bad_files, name, make_args, fragments):
    out = tmp_path / "out.csv"
    args = [str(a) for a in make_args(bad_files)]
    with pytest.raises(CommandError) as caught:
        call_command("estimate", *args, "--out", str(out))
    assert caught.value.returncode == 2
    for fragment in fragments:
        assert fragment in str(caught.value), (fragment, str(caught.value))
    assert not out.exists()


RAKE_ERRORS = [
    ("missing id column", lambda f: [SAMPLE, "--weight", "weight", "--margins", MARGINS,
                                     "--id", "ref"], ["missing column 'ref'"]),
    ("duplicate id", lambda f: [SAMPLE, "--weight", "weight", "--margins", MARGINS,
                                "--id", "cluster"], ["row 3", "column 'cluster'",
                                                     "more than once"]),
    ("non-numeric weight", lambda f: [f["text_weight"], "--weight", "weight", "--margins",
                                      MARGINS, "--id", "id"], ["'heavy'", "row 6"]),
    ("data category absent", lambda f: [f["new_category"], "--weight", "weight", "--margins",
                                        MARGINS, "--id", "id"], ["'Z'", "column 'region'"]),
    ("margin category absent", lambda f: [SAMPLE, "--weight", "weight", "--margins",
                                          f["absent"], "--id", "id"], ["margin category 'D'"]),
    ("margins disagree", lambda f: [SAMPLE, "--weight", "weight", "--margins", f["disagree"],
                                    "--id", "id"], ["totals disagree"]),
    ("missing margin variable", lambda f: [SAMPLE.parent / "apiclus1.csv", "--weight", "pw",
                                           "--margins", MARGINS, "--id", "cds"],
     ["apiclus1.csv", "missing column 'region'"]),
]


@pytest.mark.parametrize("name,make_args,fragments", RAKE_ERRORS,
                         ids=[e[0] for e in RAKE_ERRORS])
def test_rake_errors(tmp_path, bad_files, name, make_args, fragments):
    out = tmp_path / "weights.csv"
    args = [str(a) for a in make_args(bad_files)]
    with pytest.raises(CommandError) as caught:
        call_command("rake", *args, "--out", str(out))
    assert caught.value.returncode == 2
    for fragment in fragments:
        assert fragment in str(caught.value), (fragment, str(caught.value))
    assert not out.exists()


def test_process_exit_code_is_2(tmp_path):
    out = tmp_path / "o.csv"
    done = subprocess.run(
        [sys.executable, str(MANAGE), "estimate", str(SAMPLE), "--weight", "region",
         "--mean", "y", "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "column 'weight'" not in done.stderr and "column 'region'" in done.stderr
    assert not out.exists()
