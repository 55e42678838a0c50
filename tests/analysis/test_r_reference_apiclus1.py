"""Agreement with R survey 4.1 on apiclus1 (figures from data/apiclus1_reference.R)."""

import numpy as np
import pandas as pd
import pytest

from analysis.core import (
    calibrate,
    domains_by,
    jk1_weights,
    make_design,
    margin_population,
    margins_from_frame,
    match_margins,
    rake,
    survey_mean,
    survey_proportion,
    survey_total,
    whole_population,
)

from .conftest import DATA, EST_RTOL, SE_RTOL, assert_close


@pytest.fixture(scope="module")
def api() -> pd.DataFrame:
    return pd.read_csv(DATA / "apiclus1.csv")


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(DATA / "apiclus1_r_survey_reference.csv").set_index("check")


@pytest.fixture(scope="module")
def design(api):
    return make_design(api.pw, cluster=api.dnum, fpc=api.fpc)


@pytest.fixture(scope="module")
def margins(api):
    frame = pd.DataFrame({
        "variable": ["stype"] * 3 + ["sch.wide"] * 2,
        "category": ["E", "H", "M", "No", "Yes"],
        "total": [4421, 755, 1018, 1072, 5122],
    })
    return match_margins(api, margins_from_frame(frame))


def check(result, reference, name, index=0):
    row = reference.loc[name]
    assert_close(result.estimate[index], row.estimate, EST_RTOL, name)
    assert_close(result.se[index], row.se, SE_RTOL, name)


def test_mean_cluster_design_with_fpc(design, api, reference):
    check(survey_mean(design, api.api00), reference, "mean api00, cluster design (id=dnum, fpc)")


def test_total(design, api, reference):
    check(survey_total(design, api.enroll), reference, "total enroll")


@pytest.mark.parametrize("method,name", [
    ("logit", "proportion sch.wide=Yes, logit CI"),
    ("beta", "proportion sch.wide=Yes, beta (Korn-Graubard) CI"),
])
def test_proportion_intervals(design, api, reference, method, name):
    result = survey_proportion(design, api.sch_wide_yes)
    check(result, reference, name)
    low, high = result.confint(method)
    assert_close([low[0], high[0]], reference.loc[name, ["ci_low", "ci_high"]], EST_RTOL, name)


def test_svyby_domains(design, api, reference):
    result = survey_mean(design, api.api00, domains_by(api.stype, "stype"))
    assert result.domains == ("E", "H", "M")
    for i, label in enumerate(result.domains):
        check(result, reference, f"mean api00 in domain stype={label}", i)


def test_subset_keeps_the_whole_design(design, api, reference):
    result = survey_mean(design, api.api00, whole_population(len(api), api.stype == "H"))
    check(result, reference, "mean api00 in subpopulation stype=H via subset()")


def test_post_stratification(design, api, margins, reference):
    raked = rake(api.pw.to_numpy(), margins[:1])
    result = survey_mean(design.with_weights(raked.weights, raked.calibration), api.api00)
    check(result, reference,
          "mean api00 after post-stratification on stype (E 4421, H 755, M 1018)")


def test_raking_gives_calibration_aware_se(design, api, margins, reference):
    raked = rake(api.pw.to_numpy(), margins)
    result = survey_mean(design.with_weights(raked.weights, raked.calibration), api.api00)
    check(result, reference, "mean api00 after raking on stype and sch.wide (No 1072, Yes 5122)")


def test_calibrate_raking(design, api, margins, reference):
    raked = rake(api.pw.to_numpy(), margins)
    cal = calibrate(api.pw.to_numpy(), raked.calibration.model_matrix,
                    margin_population(margins), calfun="raking")
    np.testing.assert_allclose(cal.weights, raked.weights, rtol=1e-6)
    result = survey_mean(design.with_weights(cal.weights, cal.calibration), api.api00)
    check(result, reference, "mean api00 after calibrate(~stype+sch.wide, calfun=raking)")


def test_jk1_replicates(design, api, reference):
    result = survey_mean(design.with_replicates(jk1_weights(design)), api.api00)
    check(result, reference, "mean api00, JK1 jackknife replicates")
