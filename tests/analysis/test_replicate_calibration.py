"""Raking and calibration of a design with replicate weights calibrate every replicate, as
R's calibrate() on an svrep.design (figures from data/make_replicate_reference.R); a design
with replicates is never given new weights without its replicates."""

import numpy as np
import pandas as pd
import pytest

from analysis.core import (
    EstimationError,
    WeightingError,
    calibrate_design,
    domains_by,
    jk1_weights,
    jkn_weights,
    make_design,
    margin_population,
    margins_from_frame,
    match_margins,
    rake,
    rake_design,
    survey_mean,
    survey_total,
)

from .conftest import DATA, EST_RTOL, SE_RTOL, assert_close


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(DATA / "replicate_calibration_reference.csv", keep_default_na=False)


@pytest.fixture(scope="module")
def matched(synthetic):
    return match_margins(synthetic, margins_from_frame(pd.read_csv(DATA / "synthetic_margins.csv")))


@pytest.fixture(scope="module")
def jkn_design(synthetic_design):
    return synthetic_design.with_replicates(jkn_weights(synthetic_design))


def compare(result, reference, check):
    rows = reference[reference.check == check].set_index("domain")
    assert len(rows), check
    order = [result.domains.index(label) for label in rows.index]
    assert_close(result.estimate[order], rows.estimate, EST_RTOL, f"{check}: estimate")
    assert_close(result.se[order], rows.se, SE_RTOL, f"{check}: se")


def check_all(design, synthetic, reference, name):
    compare(survey_mean(design, synthetic.y), reference, f"JKn cal {name} mean y")
    compare(survey_total(design, synthetic.y), reference, f"JKn cal {name} total y")
    compare(survey_mean(design, synthetic.b1, domains_by(synthetic.sector, "sector")),
            reference, f"JKn cal {name} mean b1 by sector")


def test_raking_a_jkn_design_rakes_every_replicate(jkn_design, synthetic, matched, reference):
    raked = rake_design(jkn_design, matched)
    check_all(raked, synthetic, reference, "raking")
    for r in range(raked.replicates.count):  # every replicate meets the margins
        for m in matched:
            sums = np.bincount(m.codes, weights=raked.replicates.weights[:, r])
            assert_close(sums, m.margin.totals, 1e-8, f"replicate {r + 1}")


@pytest.mark.parametrize("calfun", ["linear", "raking"])
def test_calibrating_a_jkn_design_calibrates_every_replicate(jkn_design, synthetic, matched,
                                                             reference, calfun):
    model = rake(synthetic.weight.to_numpy(), matched).calibration.model_matrix
    design = calibrate_design(jkn_design, model, margin_population(matched), calfun=calfun)
    check_all(design, synthetic, reference, calfun)


def test_replicate_that_cannot_be_calibrated_is_named(jkn_design, synthetic, matched):
    """R warns and keeps the unconverged weights of that replicate; we refuse."""
    model = rake(synthetic.weight.to_numpy(), matched).calibration.model_matrix
    with pytest.raises(WeightingError, match=r"replicate \d+: calibration \(logit\)"):
        calibrate_design(jkn_design, model, margin_population(matched), calfun="logit",
                         bounds=(0.7, 1.4))


def test_jk1_cluster_design_calibrated_by_raking(reference):
    api = pd.read_csv(DATA / "apiclus1.csv")
    design = make_design(api.pw, cluster=api.dnum, fpc=api.fpc)
    design = design.with_replicates(jk1_weights(design))
    margins = margins_from_frame(pd.DataFrame({
        "variable": ["stype"] * 3 + ["sch.wide"] * 2,
        "category": ["E", "H", "M", "No", "Yes"],
        "total": [4421, 755, 1018, 1072, 5122]}))
    raked = rake_design(design, match_margins(api, margins))
    compare(survey_mean(raked, api.api00), reference, "apiclus1 JK1 cal raking mean api00")


def test_new_weights_without_the_replicates_are_refused(jkn_design, synthetic):
    with pytest.raises(EstimationError, match="replicate weights"):
        jkn_design.with_weights(synthetic.weight.to_numpy() * 2, None)


def test_replicates_are_added_before_calibration(synthetic_design, synthetic, matched):
    raked = rake_design(synthetic_design, matched)
    with pytest.raises(EstimationError, match="before raking or calibrating"):
        raked.with_replicates(jkn_weights(synthetic_design))


def test_calibrated_design_with_rows_as_psus(synthetic, matched, reference):
    """The BAS design (strata, rows as PSUs, raked): calibration-aware SEs as R's."""
    design = rake_design(make_design(synthetic.weight, strata=synthetic.stratum), matched)
    compare(survey_mean(design, synthetic.y), reference, "rows cal raking mean y")
    compare(survey_total(design, synthetic.y), reference, "rows cal raking total y")
    compare(survey_mean(design, synthetic.b1, domains_by(synthetic.sector, "sector")),
            reference, "rows cal raking mean b1 by sector")
    compare(survey_total(design, synthetic.y, domains_by(synthetic.region, "region")),
            reference, "rows cal raking total y by region")
