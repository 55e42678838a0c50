"""The design goes with the data: the estimates and standard errors computed from the
released microdata with the stated design (replicate weights and their scale) are the
published ones, computed with the project's analysis core as a user's tool would."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from analysis import core
from analysis.core.design import Replicates
from exports.microdata import areas_shown_by_strata

pytestmark = pytest.mark.django_db


def released_design(frame: pd.DataFrame, about: dict) -> core.Design:
    names = about["replicate_weights"]
    design = core.make_design(frame[about["weight"]], strata=frame[about["strata"]],
                              cluster=frame[about["psu"]])
    return replace(design, replicates=Replicates(
        "other", frame[names].to_numpy(dtype=float), float(about["scale"]),
        np.full(len(names), float(about["rscales"]))))


def test_estimates_and_ses_from_the_released_file_equal_the_published(published):
    folder = published["folder"]
    about = json.loads((folder / "bas_microdata_codebook.json").read_text())["design"]
    published_rows = [r for r in published["result"].publication.estimate_set.rows
                      if not r["by"]]
    assert len(published_rows) >= 4
    assert about["replicate_weights_files"] == [
        "bas_microdata_replicate_weights.csv", "bas_microdata_replicate_weights.sav",
        "bas_microdata_replicate_weights.dta"]
    for reader, ext in ((pyreadstat.read_dta, "dta"), (pyreadstat.read_sav, "sav")):
        frame = merged(folder, reader, ext)
        design = released_design(frame, about)
        for row in published_rows:
            result = core.estimate(design, "proportion", frame[row["variable"]].to_numpy(
                dtype=float), variable=row["variable"])
            assert result.estimate[0] == pytest.approx(row["estimate"], rel=1e-9)
            assert np.sqrt(result.variance[0]) == pytest.approx(row["se"], rel=1e-5), \
                row["variable"]
    csv_frame = pd.read_csv(folder / "bas_microdata.csv").merge(
        pd.read_csv(folder / "bas_microdata_replicate_weights.csv"), on="respondent_id")
    names = ["final_weight", *about["replicate_weights"]]
    assert np.array_equal(csv_frame[names].to_numpy(), frame[names].to_numpy())


def merged(folder, reader, ext: str) -> pd.DataFrame:
    """The microdata with its replicate weights, merged on respondent_id as the note says."""
    data, _ = reader(str(folder / f"bas_microdata.{ext}"))
    replicates, _ = reader(str(folder / f"bas_microdata_replicate_weights.{ext}"))
    assert len(replicates) == len(data)
    return data.merge(replicates, on="respondent_id", validate="one_to_one")


def test_the_stated_design_and_the_note(published):
    folder = published["folder"]
    frame = merged(folder, pyreadstat.read_sav, "sav")
    _, meta = pyreadstat.read_sav(str(folder / "bas_microdata.sav"))
    _, replicate_meta = pyreadstat.read_sav(
        str(folder / "bas_microdata_replicate_weights.sav"))
    about = json.loads((folder / "bas_microdata_codebook.json").read_text())["design"]
    assert about["strata"] == "variance_stratum" and about["psu"] == "psu"
    assert frame["psu"].is_unique and frame["variance_stratum"].min() == 1
    assert len(about["replicate_weights"]) == about["replicates"] > 10
    assert about["coarsened_areas_shown_by_strata"] >= 0
    assert meta.variable_measure["final_weight"] == "scale"
    assert replicate_meta.variable_measure[about["replicate_weights"][0]] == "scale"
    # every replicate weight is within a part in a million of the final weight
    ratio = frame[about["replicate_weights"]].to_numpy() / frame[["final_weight"]].to_numpy()
    assert np.abs(ratio - 1).max() < 1e-6
    note = (folder / "bas_microdata_how_to_estimate.txt").read_text()
    scale = repr(float(about["scale"]))
    assert f"multiplier({scale})" in note and f"scale = {scale}" in note
    assert "svyset" in note and "svrepdesign" in note and "CSPLAN" in note
    assert "merge 1:1 respondent_id using bas_microdata_replicate_weights.dta" in note
    # the stratified design alone gives standard errors near the published ones
    plain = core.make_design(frame["final_weight"], strata=frame["variance_stratum"],
                             cluster=frame["psu"])
    row = next(r for r in published["result"].publication.estimate_set.rows
               if not r["by"] and r["variable"] == "victim_any")
    se = np.sqrt(core.estimate(plain, "proportion",
                               frame["victim_any"].to_numpy(dtype=float)).variance[0])
    assert 0.7 < se / row["se"] < 1.5


def test_areas_shown_by_strata_counts_coarsened_rows_with_a_stratum_mate_shown():
    borough = pd.Series(["E09000001"] * 3 + ["E09000002"] * 2)
    area = np.array([1, 101, 101, 101, 101])  # two City rows and both Barking rows coarsened
    stratum = np.array([1, 1, 2, 3, 3])
    assert areas_shown_by_strata(borough, area, stratum) == 1  # the one beside a shown row
