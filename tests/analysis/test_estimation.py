"""Estimators beyond the R reference files: Wilson, bootstrap, change, properties, and the
samplics cross-check of point estimates and fixed-weight standard errors."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis.core import (
    EstimationError,
    bootstrap_weights,
    domains_by,
    jkn_weights,
    make_design,
    proportion_change,
    survey_mean,
    survey_proportion,
    survey_ratio,
    survey_total,
    wilson_interval,
)


def test_wilson_interval_formula_with_effective_n():
    p, se, df = np.array([0.3]), np.array([0.05]), np.array([40])
    low, high = wilson_interval(p, se, df)
    n = 0.3 * 0.7 / 0.05**2
    z = stats.t.ppf(0.975, 40)
    centre = (0.3 + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(0.3 * 0.7 / n + z * z / (4 * n * n))
    np.testing.assert_allclose([low[0], high[0]], [centre - half, centre + half], rtol=1e-12)


def test_wilson_for_a_simple_random_sample_is_the_textbook_interval():
    y = np.array([1] * 30 + [0] * 70, dtype=float)
    design = make_design(np.ones(100))
    result = survey_proportion(design, y)
    low, high = result.confint("wilson")
    # SRS without fpc: var = p(1-p)/(n-1), so n_eff = n - 1 = 99 and df = 99
    n, z, p = 99, stats.t.ppf(0.975, 99), 0.3
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    np.testing.assert_allclose([low[0], high[0]], [centre - half, centre + half], rtol=1e-10)


def test_bootstrap_is_reproducible_and_structured(synthetic, synthetic_design):
    a = bootstrap_weights(synthetic_design, 200, np.random.default_rng(7))
    b = bootstrap_weights(synthetic_design, 200, np.random.default_rng(7))
    c = bootstrap_weights(synthetic_design, 200, np.random.default_rng(8))
    np.testing.assert_array_equal(a.factors, b.factors)
    assert not np.array_equal(a.factors, c.factors)
    for h, n_h in enumerate(synthetic_design.n_psu):
        members = synthetic_design.psu_stratum == h
        # n_h - 1 draws, each scaled by n_h / (n_h - 1): factors add up to n_h
        np.testing.assert_allclose(a.factors[members].sum(axis=0), n_h)
    boot = survey_mean(synthetic_design.with_replicates(a), synthetic.y)
    taylor = survey_mean(synthetic_design, synthetic.y)
    assert boot.estimate[0] == pytest.approx(taylor.estimate[0])
    assert 0.5 < boot.se[0] / taylor.se[0] < 2.0


def test_jkn_ratio_by_domain_runs_on_replicates(synthetic, synthetic_design):
    reps = jkn_weights(synthetic_design)
    result = survey_ratio(synthetic_design.with_replicates(reps), synthetic.y, synthetic.x,
                          domains_by(synthetic.region, "region"))
    taylor = survey_ratio(synthetic_design, synthetic.y, synthetic.x,
                          domains_by(synthetic.region, "region"))
    np.testing.assert_allclose(result.estimate, taylor.estimate)
    assert np.all(np.abs(result.se / taylor.se - 1) < 0.5)


def test_change_between_waves():
    change = proportion_change([0.40, 0.40], [0.02, 0.02], [0.46, 0.42], [0.02, 0.02])
    np.testing.assert_allclose(change.difference, [0.06, 0.02])
    np.testing.assert_allclose(change.se, np.sqrt(0.0008))
    np.testing.assert_allclose(change.z, [0.06 / np.sqrt(0.0008), 0.02 / np.sqrt(0.0008)])
    assert change.significant.tolist() == [True, False]
    assert change.p_value[0] == pytest.approx(2 * stats.norm.sf(0.06 / np.sqrt(0.0008)))


def test_proportion_rejects_values_other_than_0_and_1():
    with pytest.raises(EstimationError, match="value 2 at row 3"):
        survey_proportion(make_design(np.ones(3)), [0, 1, 2], variable="b")


@st.composite
def designs(draw):
    n = draw(st.integers(20, 80))
    rng = np.random.default_rng(draw(st.integers(0, 10_000)))
    strata = rng.integers(0, 3, n)
    strata[:3] = [0, 1, 2]
    strata[3:6] = [0, 1, 2]
    return (rng.uniform(1, 20, n), strata, rng.integers(0, 4, n), rng.normal(5, 2, n),
            rng.integers(0, 2, n).astype(float))


@settings(max_examples=30, deadline=None)
@given(designs())
def test_domain_properties(case):
    w, strata, group, y, b = case
    design = make_design(w, strata=strata)
    domains = domains_by(group, "g")
    overall = survey_total(design, y)
    by_group = survey_total(design, y, domains)
    assert by_group.estimate.sum() == pytest.approx(overall.estimate[0])
    prop = survey_proportion(design, b, domains)
    assert np.all((prop.estimate >= 0) & (prop.estimate <= 1))
    low, high = prop.confint("logit")
    inside = (prop.se > 0) & (prop.df >= 1)
    assert np.all(low[inside] <= prop.estimate[inside] + 1e-12)
    assert np.all(high[inside] >= prop.estimate[inside] - 1e-12)
    order = np.random.default_rng(0).permutation(len(w))
    shuffled = survey_total(make_design(w[order], strata=strata[order]), y[order],
                            domains_by(group[order], "g"))
    np.testing.assert_allclose(shuffled.variance, by_group.variance, rtol=1e-9)


@pytest.fixture(scope="module")
def samplics_taylor():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam
    return TaylorEstimator, PopParam


@pytest.mark.parametrize("param", ["mean", "total"])
def test_samplics_agrees_for_fixed_weights(synthetic, samplics_taylor, param):
    TaylorEstimator, PopParam = samplics_taylor
    data = synthetic[synthetic.stratum != "h4"]  # samplics has no lonely-PSU "adjust"
    design = make_design(data.weight, strata=data.stratum, cluster=data.cluster)
    ours = (survey_mean if param == "mean" else survey_total)(design, data.y)
    peer = TaylorEstimator(getattr(PopParam, param))
    peer.estimate(y=data.y.to_numpy(), samp_weight=data.weight.to_numpy(),
                  stratum=data.stratum.to_numpy(), psu=data.cluster.to_numpy())
    assert ours.estimate[0] == pytest.approx(peer.point_est, rel=1e-9)
    assert ours.se[0] == pytest.approx(peer.stderror, rel=1e-9)


def test_samplics_agrees_for_domain_means(synthetic, samplics_taylor):
    TaylorEstimator, PopParam = samplics_taylor
    data = synthetic[synthetic.stratum != "h4"]
    design = make_design(data.weight, strata=data.stratum, cluster=data.cluster)
    ours = survey_mean(design, data.y, domains_by(data.region, "region"))
    peer = TaylorEstimator(PopParam.mean)
    peer.estimate(y=data.y.to_numpy(), samp_weight=data.weight.to_numpy(),
                  stratum=data.stratum.to_numpy(), psu=data.cluster.to_numpy(),
                  domain=data.region.to_numpy())
    for i, label in enumerate(ours.domains):
        assert ours.estimate[i] == pytest.approx(peer.point_est[label], rel=1e-9)
        assert ours.se[i] == pytest.approx(peer.stderror[label], rel=1e-9)
