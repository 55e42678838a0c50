"""Agreement with R survey 4.1 on a synthetic stratified cluster sample with fpc and a
stratum with one PSU (figures from data/make_reference.R)."""

import numpy as np
import pandas as pd
import pytest

from analysis.core import (
    calibrate,
    domains_by,
    domains_cross,
    jkn_weights,
    margin_population,
    margins_from_frame,
    match_margins,
    rake,
    survey_mean,
    survey_proportion,
    survey_ratio,
    survey_total,
    whole_population,
)

from .conftest import DATA, EST_RTOL, SE_RTOL, assert_close


def expected(reference: pd.DataFrame, check: str) -> pd.DataFrame:
    rows = reference[reference.check == check]
    assert len(rows), f"no reference rows for {check!r}"
    return rows.set_index("domain")


def compare(result, reference, check, deff=True):
    rows = expected(reference, check)
    assert sorted(result.domains) == sorted(rows.index), check
    order = [result.domains.index(label) for label in rows.index]
    assert_close(result.estimate[order], rows.estimate, EST_RTOL, f"{check}: estimate")
    assert_close(result.se[order], rows.se, SE_RTOL, f"{check}: se")
    if deff:
        assert_close(result.deff[order], rows.deff, SE_RTOL, f"{check}: deff")


@pytest.fixture(scope="module")
def matched(synthetic):
    margins = margins_from_frame(pd.read_csv(DATA / "synthetic_margins.csv"))
    return match_margins(synthetic, margins)


@pytest.fixture(scope="module")
def calibrated(synthetic, synthetic_design, matched):
    raked = rake(synthetic.weight.to_numpy(), matched)
    mm = raked.calibration.model_matrix
    population = margin_population(matched)
    out = {}
    for name, bounds in [("linear", (-np.inf, np.inf)), ("logit", (0.7, 1.4)),
                         ("raking", (-np.inf, np.inf))]:
        cal = calibrate(synthetic.weight.to_numpy(), mm, population, calfun=name, bounds=bounds)
        out[name] = synthetic_design.with_weights(cal.weights, cal.calibration)
    out["ipf"] = synthetic_design.with_weights(raked.weights, raked.calibration)
    return out


def test_stratified_mean_and_total_with_lonely_psu(synthetic_design, synthetic,
                                                   synthetic_reference):
    assert synthetic_design.n_psu.min() == 1  # stratum h4 has a single PSU
    compare(survey_mean(synthetic_design, synthetic.y), synthetic_reference, "strat mean y")
    compare(survey_total(synthetic_design, synthetic.y), synthetic_reference, "strat total y")


def test_missing_values_are_a_domain(synthetic_design, synthetic, synthetic_reference):
    assert synthetic.b1.isna().sum() > 0
    compare(survey_mean(synthetic_design, synthetic.b1), synthetic_reference,
            "strat mean b1 na.rm")


def test_ratio(synthetic_design, synthetic, synthetic_reference):
    compare(survey_ratio(synthetic_design, synthetic.y, synthetic.x), synthetic_reference,
            "strat ratio y/x")


def test_svyby_two_variables(synthetic_design, synthetic, synthetic_reference):
    domains = domains_cross({"region": synthetic.region, "sector": synthetic.sector})
    compare(survey_mean(synthetic_design, synthetic.y, domains), synthetic_reference,
            "strat mean y by region+sector")


def test_totals_by_domain(synthetic_design, synthetic, synthetic_reference):
    result = survey_total(synthetic_design, synthetic.y, domains_by(synthetic.region, "region"))
    compare(result, synthetic_reference, "strat total y by region")


def test_subset_and_domains_within_subset(synthetic_design, synthetic, synthetic_reference):
    inside = (synthetic.region == "A").to_numpy()
    compare(survey_mean(synthetic_design, synthetic.y, whole_population(len(synthetic), inside)),
            synthetic_reference, "strat mean y subset region=A")
    compare(survey_mean(synthetic_design, synthetic.y,
                        domains_by(synthetic.sector, "sector", within=inside)),
            synthetic_reference, "strat mean y by sector subset region=A")


@pytest.mark.parametrize("method", ["logit", "beta"])
@pytest.mark.parametrize("variable", ["b1", "b2"])
def test_proportion_intervals_overall(synthetic_design, synthetic, synthetic_reference,
                                      method, variable):
    result = survey_proportion(synthetic_design, synthetic[variable])
    row = expected(synthetic_reference, f"strat prop {variable} {method}").iloc[0]
    low, high = result.confint(method)
    assert_close(result.estimate, [row.estimate], EST_RTOL, "estimate")
    assert_close(result.se, [row.se], SE_RTOL, "se")
    assert_close([low[0], high[0]], [row.ci_low, row.ci_high], EST_RTOL, "interval")


@pytest.mark.parametrize("method", ["logit", "beta"])
@pytest.mark.parametrize("design_name", ["fixed", "raking"])
def test_proportion_intervals_by_domain(synthetic_design, calibrated, synthetic,
                                        synthetic_reference, method, design_name):
    design = synthetic_design if design_name == "fixed" else calibrated["raking"]
    check = ("strat" if design_name == "fixed" else "cal raking") + f" prop b1 by sector {method}"
    result = survey_proportion(design, synthetic.b1, domains_by(synthetic.sector, "sector"))
    compare(result, synthetic_reference, check, deff=False)
    rows = expected(synthetic_reference, check)
    low, high = result.confint(method)
    order = [result.domains.index(label) for label in rows.index]
    assert_close(low[order], rows.ci_low, EST_RTOL, "ci_low")
    assert_close(high[order], rows.ci_high, EST_RTOL, "ci_high")


def test_jkn_replicates(synthetic_design, synthetic, synthetic_reference):
    design = synthetic_design.with_replicates(jkn_weights(synthetic_design))
    compare(survey_mean(design, synthetic.y), synthetic_reference, "strat JKn mean y",
            deff=False)
    compare(survey_total(design, synthetic.y), synthetic_reference, "strat JKn total y",
            deff=False)


def test_calibrated_weights_match_r(calibrated, synthetic):
    r_weights = pd.read_csv(DATA / "calibrated_weights.csv")
    assert (r_weights.id.to_numpy() == synthetic.id.to_numpy()).all()
    for name in ("linear", "logit", "raking"):
        assert_close(calibrated[name].weights, r_weights[name], EST_RTOL, name)
    g = calibrated["logit"].weights / synthetic.weight.to_numpy()
    assert g.min() >= 0.7 and g.max() <= 1.4


@pytest.mark.parametrize("name", ["linear", "logit", "raking"])
def test_calibration_aware_estimates(calibrated, synthetic, synthetic_reference, name):
    design = calibrated[name]
    compare(survey_mean(design, synthetic.y), synthetic_reference, f"cal {name} mean y")
    compare(survey_total(design, synthetic.y), synthetic_reference, f"cal {name} total y")
    compare(survey_mean(design, synthetic.b1, domains_by(synthetic.sector, "sector")),
            synthetic_reference, f"cal {name} mean b1 by sector")
    compare(survey_mean(design, synthetic.y, domains_by(synthetic.region, "region")),
            synthetic_reference, f"cal {name} mean y by region")


def test_ipf_raking_gives_calibrate_figures_not_rake_figures(calibrated, synthetic,
                                                             synthetic_reference):
    """IPF weights equal calibrate(calfun="raking") weights, and our SEs by domain are
    calibrate()'s: R's rake() gives the same estimates but different SEs for domains."""
    design = calibrated["ipf"]
    result = survey_mean(design, synthetic.b1, domains_by(synthetic.sector, "sector"))
    compare(result, synthetic_reference, "cal raking mean b1 by sector")
    rake_rows = expected(synthetic_reference, "rake() mean b1 by sector")
    order = [result.domains.index(label) for label in rake_rows.index]
    assert_close(result.estimate[order], rake_rows.estimate, EST_RTOL, "rake() estimates")
    assert np.max(np.abs(result.se[order] / rake_rows.se - 1)) > 0.01
    overall = survey_mean(design, synthetic.y)
    compare(overall, synthetic_reference, "cal raking mean y")
    rake_row = expected(synthetic_reference, "rake mean y").iloc[0]
    assert_close(overall.estimate, [rake_row.estimate], EST_RTOL, "rake() mean")
