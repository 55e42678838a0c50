"""The small-area core's parts: design matrix as R's model.matrix, errors, result immutability,
domains with no sample, GVF variance smoothing and ratio benchmarking."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from analysis.core.errors import AnalysisError
from analysis.core.small_area import (
    DesignMatrix,
    SmallAreaConvergenceError,
    SmallAreaError,
    factor_levels,
    fay_herriot,
    model_matrix,
)
from analysis.core.small_area.benchmarking import ratio_benchmark
from analysis.core.small_area.variance_smoothing import smooth_proportion_variance

from .small_area_data import read_case


def test_small_area_errors_derive_from_analysis_error():
    assert issubclass(SmallAreaError, AnalysisError)
    assert issubclass(SmallAreaConvergenceError, SmallAreaError)


def test_small_area_factor_levels_sort_as_r():
    assert factor_levels(["10", "2", "1", "2"]) == ["1", "2", "10"]
    assert factor_levels(["b", "B", "a"]) == ["B", "a", "b"]
    assert factor_levels(["1", "x"]) == ["1", "x"]


def test_small_area_model_matrix_treatment_contrasts():
    design = model_matrix({"x": [1.0, 2.0, 3.0]}, {"f": ["b", "a", "c"], "g": ["u", "v", "u"]},
                          n_rows=3)
    assert design.names == ("(Intercept)", "x", "fb", "fc", "gv")
    np.testing.assert_array_equal(design.values, [[1, 1, 1, 0, 0], [1, 2, 0, 0, 1],
                                                  [1, 3, 0, 1, 0]])
    no_intercept = model_matrix({}, {"f": ["b", "a", "c"], "g": ["u", "v", "u"]}, n_rows=3,
                                intercept=False)
    assert no_intercept.names == ("fa", "fb", "fc", "gv")
    with pytest.raises(ValueError):
        design.values[0, 0] = 5


@pytest.mark.parametrize("numeric, factors, needle", [
    ({"x": [1.0, np.nan, 2.0]}, {}, "domain 2, auxiliary 'x'"),
    ({}, {"f": ["a", "", "b"]}, "domain 2, factor 'f'"),
    ({"x": [1.0, 2.0]}, {}, "2 values for 3 domains"),
])
def test_small_area_model_matrix_errors(numeric, factors, needle):
    with pytest.raises(SmallAreaError, match=needle):
        model_matrix(numeric, factors, n_rows=3)


def test_small_area_result_is_immutable():
    _, direct, variance, design = read_case("milk")
    result = fay_herriot(direct, variance, design, method="reml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.model_variance = 1.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        result.eblup[0] = 0.0
    assert result.method == "reml" and len(result.domains) == 43
    np.testing.assert_allclose(result.rrmse, np.sqrt(result.mse) / np.abs(result.eblup))


@pytest.mark.parametrize("direct, variance, needle", [
    ([1.0, 2.0, np.nan], [0.1, 0.2, 0.3], "direct estimate"),
    ([1.0, 2.0, 3.0], [0.1, np.nan, 0.3], "variance nan is missing"),
    ([1.0, 2.0, 3.0], [0.1, 0.0, 0.3], "must be > 0"),
    ([1.0, 2.0, 3.0], [0.1, -1.0, 0.3], "must be > 0"),
])
def test_small_area_fit_rejects_bad_direct_values(direct, variance, needle):
    design = model_matrix({}, {}, n_rows=3)
    with pytest.raises(SmallAreaError, match=needle):
        fay_herriot(direct, variance, design)


def test_small_area_fit_rejects_unknown_method():
    _, direct, variance, design = read_case("milk")
    with pytest.raises(SmallAreaError, match="method 'bayes'"):
        fay_herriot(direct, variance, design, method="bayes")


@pytest.mark.parametrize("method", ["reml", "ml"])
def test_small_area_unsampled_mse_matches_huge_variance_limit(method):
    """For REML and ML a domain of huge variance leaves the fit unchanged, so its MSE tends
    to the synthetic MSE (FH's moment equation counts domains, so its fit changes)."""
    _, direct, variance, design = read_case("boroughs")
    direct_missing, variance_missing = direct.copy(), variance.copy()
    direct_missing[5] = variance_missing[5] = np.nan
    missing = fay_herriot(direct_missing, variance_missing, design, method=method,
                          maxiter=1000, precision=1e-12)
    huge = variance.copy()
    huge[5] = 1e12
    limit = fay_herriot(direct, huge, design, method=method, maxiter=1000,
                        precision=1e-12)
    np.testing.assert_allclose(missing.mse[5], limit.mse[5], rtol=1e-6)
    np.testing.assert_allclose(missing.eblup[5], limit.eblup[5], rtol=1e-6)




@pytest.mark.parametrize("method", ["reml", "ml", "fh"])
def test_small_area_unsampled_domains_get_synthetic_estimate_and_mse(method):
    """EBLUP x'beta and MSE A + x'Qx - b, with b the bias of A (0 for REML; sae's b for ML
    and FH), from the fit on the sampled domains alone."""
    _, direct, variance, design = read_case("boroughs")
    direct[[2, 9]] = variance[[2, 9]] = np.nan
    result = fay_herriot(direct, variance, design, method=method)
    keep = result.sampled
    x, psi = design.values[keep], variance[keep]
    w = 1 / (result.model_variance + psi)
    q = np.linalg.inv(x.T @ (w[:, None] * x))
    m = x.shape[0]
    bias = {"reml": 0.0,
            "ml": -np.trace(q @ x.T @ np.diag(w**2) @ x) / np.sum(w**2),
            "fh": 2 * (m * np.sum(w**2) - np.sum(w) ** 2) / np.sum(w) ** 3}[method]
    x_new = design.values[[2, 9]]
    np.testing.assert_allclose(result.eblup[[2, 9]], x_new @ result.beta, rtol=1e-12)
    expected = result.model_variance + np.einsum("ij,jk,ik->i", x_new, q, x_new) - bias
    np.testing.assert_allclose(result.mse[[2, 9]], expected, rtol=1e-10)
    assert np.all(result.gamma[[2, 9]] == 0) and not result.sampled[[2, 9]].any()


def test_small_area_gvf_recovers_a_binomial_design_effect():
    rng = np.random.default_rng(3)
    n = rng.integers(10, 200, 40).astype(float)
    p = rng.uniform(0.05, 0.95, 40)
    v = 1.7 * p * (1 - p) / n
    smoothed = smooth_proportion_variance(p, v, n)
    b0, b1, b2 = smoothed.coefficients
    assert np.isclose(np.exp(b0), 1.7) and np.isclose(b1, -1) and np.isclose(b2, 1)
    np.testing.assert_allclose(smoothed.variance, v, rtol=1e-9)
    assert "GVF" in smoothed.describe()


def test_small_area_gvf_gives_zero_and_one_proportions_a_positive_variance():
    rng = np.random.default_rng(4)
    n = rng.integers(10, 60, 12).astype(float)
    p = rng.uniform(0.1, 0.9, 12)
    v = 1.2 * p * (1 - p) / n * rng.uniform(0.6, 1.4, 12)
    p[0], v[0], p[1], v[1], p[2], v[2] = 0.0, 0.0, 1.0, 0.0, np.nan, np.nan
    smoothed = smooth_proportion_variance(p, v, n)
    assert smoothed.domains_used == 9
    assert np.all(smoothed.variance[:2] > 0) and np.isnan(smoothed.variance[2])


@pytest.mark.parametrize("p, n, needle", [
    ([0.5, 1.2, 0.3, 0.4, 0.2], [10, 10, 10, 10, 10], "not in"),
    ([0.5, 0.2, 0.3, 0.4, 0.2], [10, 0, 10, 10, 10], "sample size"),
    ([0.5, 0.0, 1.0, 0.4, 0.2], [10, 10, 10, 10, 10], "at least 4"),
])
def test_small_area_gvf_errors(p, n, needle):
    v = np.full(5, 0.01)
    with pytest.raises(SmallAreaError, match=needle):
        smooth_proportion_variance(np.array(p), v, np.array(n, dtype=float))


def test_small_area_ratio_benchmark_adds_up():
    estimates = np.array([0.2, 0.3, 0.5])
    counts = np.array([100.0, 200.0, 300.0])
    result = ratio_benchmark(estimates, counts, 240.0)
    assert np.isclose(counts @ result.estimates, 240.0)
    np.testing.assert_allclose(result.estimates / estimates, result.ratio)
    assert "MSE not adjusted" in result.describe()


@pytest.mark.parametrize("counts, total, needle", [
    ([1.0, -1.0, 1.0], 1.0, "count"),
    ([0.0, 0.0, 0.0], 1.0, "is 0"),
    ([1.0, 1.0, 1.0], float("nan"), "finite"),
])
def test_small_area_ratio_benchmark_errors(counts, total, needle):
    with pytest.raises(SmallAreaError, match=needle):
        ratio_benchmark(np.array([0.2, 0.3, 0.5]), np.array(counts), total)


def test_small_area_design_matrix_copies_and_checks_its_values():
    values = np.ones((3, 2))
    design = DesignMatrix(values, ("(Intercept)", "x"))
    values[0, 0] = 7.0  # the caller's array stays theirs
    assert design.values[0, 0] == 1.0
    with pytest.raises(SmallAreaError, match="3 column names"):
        DesignMatrix(values, ("a", "b", "c"))


def sae_literal(method: str, x, y, psi, maxiter=100, precision=1e-4):
    """eblupFH's scoring loop transcribed line by line, with sae's m x m P."""
    m, p = x.shape
    a, k, diff = float(np.median(psi)), 0, precision + 1
    while diff > precision and k < maxiter:
        k += 1
        vi = 1 / (a + psi)
        xtvi = (vi[:, None] * x).T
        q = np.linalg.solve(xtvi @ x, np.eye(p))
        pm = np.diag(vi) - xtvi.T @ q @ xtvi
        py = pm @ y
        if method == "ml":
            s, f = -0.5 * vi.sum() + 0.5 * py @ py, 0.5 * (vi**2).sum()
        elif method == "reml":
            s, f = -0.5 * np.trace(pm) + 0.5 * py @ py, 0.5 * np.trace(pm @ pm)
        else:
            resid = y - x @ (q @ xtvi @ y)
            s, f = (resid**2 * vi).sum() - (m - p), vi.sum()
        new = a + s / f
        diff = abs((new - a) / a)
        a = new
    return (None if k >= maxiter and diff >= precision else max(a, 0.0)), k


@pytest.mark.parametrize("method", ["reml", "ml", "fh"])
def test_small_area_scoring_follows_sae_loop_on_random_tables(method):
    rng = np.random.default_rng(11)
    compared = 0
    for _ in range(40):
        m = int(rng.integers(8, 60))
        x = np.column_stack([np.ones(m), rng.uniform(0, 10, m), rng.random(m) < 0.5])
        psi = rng.uniform(0.001, 0.03, m)
        y = x @ [0.2, 0.03, 0.1] + rng.normal(0, 0.08, m) + rng.normal(0, np.sqrt(psi))
        expected, iterations = sae_literal(method, x, y, psi)
        if expected is None:
            continue
        design = DesignMatrix(x, ("(Intercept)", "x", "g"))
        result = fay_herriot(y, psi, design, method=method)
        assert result.iterations == iterations
        np.testing.assert_allclose(result.model_variance, expected, rtol=1e-9)
        compared += 1
    assert compared >= 30
