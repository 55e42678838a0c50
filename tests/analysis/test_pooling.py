"""Pooling waves: the stacked design equals R survey's (tests/analysis/data/pooling)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core import EstimationError, domains_by, estimate, make_design, rake_design
from analysis.core.margins import Margin, match_margins
from analysis.core.pooling import WaveSample, pool_waves
from tests.analysis.conftest import DATA, EST_RTOL, SE_RTOL, assert_close

POOLING = DATA / "pooling"


@pytest.fixture(scope="module")
def stacked() -> pd.DataFrame:
    return pd.read_csv(POOLING / "pooled_waves.csv", dtype={"borough": str})


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(POOLING / "pooled_reference.csv", keep_default_na=False,
                       na_values=["NA"])


def wave_samples(stacked: pd.DataFrame) -> list[WaveSample]:
    samples = []
    for label, rows in stacked.groupby("wave", sort=True):
        design = make_design(rows["weight"], strata=rows["stratum"])
        samples.append(WaveSample(str(label), design, rows["y"].to_numpy(float),
                                  domains=rows["borough"].to_numpy(object),
                                  units=rows["business"].to_numpy(object),
                                  strata=rows["stratum"].to_numpy(object)))
    return samples


@pytest.mark.parametrize("overlap", ["independent", "cluster"])
def test_pooled_estimates_equal_r_survey_on_the_stacked_design(stacked, reference, overlap):
    pooled = pool_waves(wave_samples(stacked), overlap=overlap)
    expected = reference[reference["treatment"] == overlap]
    overall = pooled.estimate("proportion")
    first = expected[expected["domain"] == ""].iloc[0]
    assert_close(overall.estimate, [first["estimate"]], EST_RTOL, "pooled estimate")
    assert_close(overall.se, [first["se"]], SE_RTOL, "pooled SE")
    by = pooled.estimate("proportion", by="borough")
    boroughs = expected[expected["domain"] != ""].set_index("domain")
    assert list(by.domains) == list(boroughs.index)
    assert_close(by.estimate, boroughs["estimate"], EST_RTOL, "pooled borough estimates")
    assert_close(by.se, boroughs["se"], SE_RTOL, "pooled borough SEs")
    total = pooled.estimate("total")
    row = reference[reference["treatment"] == f"{overlap}_total"].iloc[0]
    assert_close(total.estimate, [row["estimate"]], EST_RTOL, "pooled total")
    assert_close(total.se, [row["se"]], SE_RTOL, "pooled total SE")


def test_the_overlap_is_counted_and_stated(stacked):
    pooled = pool_waves(wave_samples(stacked))
    waves_per_business = stacked.groupby("business")["wave"].nunique()
    repeated = waves_per_business[waves_per_business > 1].index
    assert pooled.overlap_units == len(repeated)
    assert pooled.overlap_rows == int(stacked["business"].isin(repeated).sum())
    assert pooled.k == 4 and pooled.design.n == len(stacked)
    note = pooled.note()
    assert "pooled over 4 waves" in note and f"{len(repeated)} businesses" in note
    assert "independent" in note
    assert "cluster across waves" in pool_waves(wave_samples(stacked),
                                                overlap="cluster").note()


def test_one_wave_pooled_is_the_wave(stacked):
    sample = wave_samples(stacked)[0]
    pooled = pool_waves([sample])
    direct = estimate(sample.design, "proportion", sample.values,
                      domains_by(sample.domains, "borough"))
    again = pooled.estimate("proportion", by="borough")
    np.testing.assert_allclose(again.estimate, direct.estimate, rtol=1e-12)
    np.testing.assert_allclose(again.variance, direct.variance, rtol=1e-12)


def raked_waves(stacked: pd.DataFrame) -> list[WaveSample]:
    """Each wave raked to the same borough counts: calibrated waves."""
    boroughs = sorted(stacked["borough"].unique())
    totals = np.linspace(80, 160, len(boroughs))
    margin = Margin("borough", tuple(boroughs), totals)
    samples = []
    for sample, (_, rows) in zip(wave_samples(stacked), stacked.groupby("wave", sort=True),
                                 strict=True):
        raked = rake_design(sample.design, match_margins(rows, [margin], "wave"))
        samples.append(WaveSample(sample.label, raked, sample.values, sample.domains,
                                  sample.units, sample.strata))
    return samples


def test_calibrated_waves_pool_to_the_average_with_the_averaged_variance(stacked):
    """Waves raked to the same population: the pooled estimate is the waves' average and,
    independent, its variance the sum of the waves' calibrated variances over k^2."""
    samples = raked_waves(stacked)
    pooled = pool_waves(samples)
    assert pooled.design.calibration is not None
    result = pooled.estimate("proportion")
    each = [estimate(s.design, "proportion", s.values) for s in samples]
    k = len(samples)
    np.testing.assert_allclose(result.estimate, np.mean([e.estimate for e in each], axis=0),
                               rtol=1e-10)
    np.testing.assert_allclose(result.variance, np.sum([e.variance for e in each], axis=0)
                               / k**2, rtol=1e-8)
    clustered = pool_waves(samples, overlap="cluster").estimate("proportion")
    np.testing.assert_allclose(clustered.estimate, result.estimate, rtol=1e-12)


@pytest.mark.parametrize("overlap", ["independent", "cluster"])
def test_pooled_calibrated_waves_equal_r_calibrate_on_the_stacked_design(stacked, reference,
                                                                        overlap):
    """Each wave raked to the same borough counts = the stacked design calibrated to
    wave x borough totals / k (R calibrate(), calibration-aware SEs)."""
    pooled = pool_waves(raked_waves(stacked), overlap=overlap)
    expected = reference[reference["treatment"] == f"{overlap}_calibrated"]
    overall = pooled.estimate("proportion")
    first = expected[expected["domain"] == ""].iloc[0]
    assert_close(overall.estimate, [first["estimate"]], EST_RTOL, "calibrated pooled estimate")
    assert_close(overall.se, [first["se"]], SE_RTOL, "calibrated pooled SE")
    by = pooled.estimate("proportion", by="borough")
    boroughs = expected[expected["domain"] != ""].set_index("domain")
    assert_close(by.estimate, boroughs.loc[list(by.domains), "estimate"], EST_RTOL,
                 "calibrated pooled borough estimates")
    assert_close(by.se, boroughs.loc[list(by.domains), "se"], SE_RTOL,
                 "calibrated pooled borough SEs")


def test_bad_pooling_requests_name_the_problem(stacked):
    samples = wave_samples(stacked)
    with pytest.raises(EstimationError, match="overlap must be one of"):
        pool_waves(samples, overlap="panel")
    with pytest.raises(EstimationError, match="at least one wave"):
        pool_waves([])
    with pytest.raises(EstimationError, match="labels repeat"):
        pool_waves([samples[0], samples[0]])
    no_units = [WaveSample(s.label, s.design, s.values, s.domains) for s in samples]
    assert pool_waves(no_units).overlap_units is None
    with pytest.raises(EstimationError, match="needs the business"):
        pool_waves(no_units, overlap="cluster")
    moved = samples[1]
    strata = np.asarray(moved.strata, dtype=object).copy()
    shared = set(samples[0].units) & set(moved.units)
    business = sorted(shared)[0]
    where = int(np.flatnonzero(np.asarray(moved.units, dtype=object) == business)[0])
    strata[where] = "S9"
    with pytest.raises(EstimationError, match=f"business {business} is in stratum"):
        pool_waves([samples[0], WaveSample(moved.label, moved.design, moved.values,
                                           moved.domains, moved.units, strata)],
                   overlap="cluster")
    with pytest.raises(EstimationError, match="3 values for a design"):
        pool_waves([WaveSample("x", samples[0].design, np.ones(3))])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=2**31))
def test_pooled_proportion_is_a_weighted_average_of_the_waves(k, seed):
    rng = np.random.default_rng(seed)
    samples = []
    for w in range(k):
        n = int(rng.integers(12, 40))
        design = make_design(rng.uniform(1, 5, n), strata=rng.integers(0, 3, n))
        samples.append(WaveSample(f"w{w}", design, (rng.random(n) < 0.4).astype(float)))
    result = pool_waves(samples).estimate("proportion")
    totals = np.array([s.design.weights.sum() for s in samples])
    means = np.array([np.average(s.values, weights=s.design.weights) for s in samples])
    np.testing.assert_allclose(result.estimate, [totals @ means / totals.sum()], rtol=1e-10)
    assert result.variance[0] >= 0
