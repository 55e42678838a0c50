"""Design weights, eligibility and non-response adjustment, raking, calibration, trimming and
weight diagnostics."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import (
    WeightingError,
    adjust_nonresponse,
    adjust_unknown_eligibility,
    calibrate,
    design_weights,
    margin_population,
    margins_from_frame,
    match_margins,
    rake,
    trim_weights,
    weight_diagnostics,
)


def test_design_weights_are_inverse_probabilities():
    np.testing.assert_allclose(design_weights([0.5, 0.1, 1.0]), [2, 10, 1])


@pytest.mark.parametrize("bad", [0.0, 1.5, np.nan, -0.2])
def test_design_weights_reject_bad_probabilities(bad):
    with pytest.raises(WeightingError, match="row 2"):
        design_weights([0.5, bad])


def test_unknown_eligibility_distributed_in_proportion_e():
    w = np.array([10.0, 10, 10, 10, 20])
    status = ["respondent", "nonrespondent", "ineligible", "ineligible", "unknown"]
    out = adjust_unknown_eligibility(w, status)
    # e = 20 / (20 + 20) = 0.5: 10 goes to the eligible cases, 10 to the ineligible
    np.testing.assert_allclose(out, [15, 15, 15, 15, 0])
    assert out.sum() == pytest.approx(w.sum())


def test_unknown_eligibility_with_given_e_and_classes():
    w = np.ones(6) * 10
    status = ["respondent", "ineligible", "unknown", "respondent", "nonrespondent", "unknown"]
    out = adjust_unknown_eligibility(w, status, classes=list("aaabbb"), e=0.8)
    np.testing.assert_allclose(out, [18, 12, 0, 14, 14, 0])


def test_unknown_eligibility_errors():
    with pytest.raises(WeightingError, match="status at row 2"):
        adjust_unknown_eligibility([1, 1], ["respondent", "maybe"])
    with pytest.raises(WeightingError, match="class 'b'"):
        adjust_unknown_eligibility([1, 1, 1], ["respondent", "unknown", "unknown"],
                                   classes=["a", "b", "b"])


def test_nonresponse_adjustment_within_classes():
    w = np.array([10.0, 30, 20, 5, 5, 7])
    status = ["respondent", "nonrespondent", "respondent", "respondent", "nonrespondent",
              "ineligible"]
    out = adjust_nonresponse(w, status, classes=["a", "a", "a", "b", "b", "b"])
    np.testing.assert_allclose(out, [20, 0, 40, 10, 0, 7])


def test_nonresponse_class_without_respondents_is_an_error():
    with pytest.raises(WeightingError, match="class 'b' has eligible cases but no respondents"):
        adjust_nonresponse([1, 1, 1], ["respondent", "nonrespondent", "nonrespondent"],
                           classes=["a", "b", "b"])


def margins_frame(**variables):
    rows = [(v, c, t) for v, cats in variables.items() for c, t in cats.items()]
    return pd.DataFrame(rows, columns=["variable", "category", "total"])


def test_margins_must_agree():
    frame = margins_frame(a={"x": 50, "y": 50}, b={"p": 60, "q": 41})
    with pytest.raises(WeightingError, match="'a' sums to 100 but 'b' sums to 101"):
        margins_from_frame(frame)


def test_margins_reject_negative_and_duplicate_categories():
    with pytest.raises(WeightingError, match="row 3, column 'total'"):
        margins_from_frame(margins_frame(a={"x": 50, "y": -1}))
    duplicated = pd.DataFrame({"variable": ["a", "a"], "category": ["x", " x"],
                               "total": [1, 2]})
    with pytest.raises(WeightingError, match="category 'x' of variable 'a'"):
        margins_from_frame(duplicated)


@st.composite
def raking_problems(draw):
    n = draw(st.integers(30, 120))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    k_a, k_b = draw(st.integers(2, 5)), draw(st.integers(2, 4))
    a = np.concatenate([np.arange(k_a), rng.integers(0, k_a, n - k_a)])
    b = np.concatenate([np.arange(k_b), rng.integers(0, k_b, n - k_b)])
    w = rng.uniform(1, 10, n)
    # Totals that some positive weights meet (a reweighting of the sample), so the margins are
    # always attainable: random shares can ask for what the sample's cells cannot give (a
    # category found only beside one other), where raking rightly fails to converge.
    attainable = w * rng.uniform(0.5, 2.0, n)
    frame = margins_frame(a=dict(enumerate(np.bincount(a, attainable, k_a))),
                          b=dict(enumerate(np.bincount(b, attainable, k_b))))
    return pd.DataFrame({"a": a, "b": b}), w, frame


@settings(max_examples=25, deadline=None)
@given(raking_problems())
def test_raking_meets_margins_and_equals_calibrate_raking(problem):
    data, w, frame = problem
    matched = match_margins(data, margins_from_frame(frame))
    result = rake(w, matched)
    for m in matched:
        sums = np.bincount(m.codes, weights=result.weights)
        np.testing.assert_allclose(sums, m.margin.totals, rtol=1e-9)
    cal = calibrate(w, result.calibration.model_matrix, margin_population(matched), "raking",
                    epsilon=1e-12, max_iter=100)
    np.testing.assert_allclose(cal.weights, result.weights, rtol=1e-6)


def test_linear_calibration_hits_totals_and_logit_respects_bounds():
    rng = np.random.default_rng(3)
    n = 200
    x = np.column_stack([np.ones(n), rng.integers(0, 2, n), rng.uniform(0, 5, n)])
    w = rng.uniform(5, 15, n)
    pop = np.array([2100.0, 1100.0, 5300.0])
    linear = calibrate(w, x, pop)
    np.testing.assert_allclose(x.T @ linear.weights, pop, rtol=1e-9)
    logit = calibrate(w, x, pop, calfun="logit", bounds=(0.8, 1.3))
    np.testing.assert_allclose(x.T @ logit.weights, pop, rtol=1e-6)
    assert logit.g.min() >= 0.8 and logit.g.max() <= 1.3


def test_calibration_errors():
    x = np.column_stack([np.ones(4), [1, 1, 0, 0]])
    with pytest.raises(WeightingError, match="did not converge"):
        calibrate(np.ones(4), x, [4.0, 3.9], calfun="logit", bounds=(0.9, 1.1))
    with pytest.raises(WeightingError, match="finite bounds"):
        calibrate(np.ones(4), x, [4.0, 2.0], calfun="logit")
    with pytest.raises(WeightingError, match="column 2 has no respondents"):
        calibrate(np.ones(4), np.column_stack([np.ones(4), np.zeros(4)]), [4.0, 1.0])


def test_trimming_caps_and_keeps_the_total():
    w = np.array([1.0, 1, 1, 1, 1, 1, 1, 30])
    result = trim_weights(w, upper=5)
    assert result.weights.max() <= 5 * (1 + 1e-9)
    assert result.weights.sum() == pytest.approx(w.sum())
    assert result.trimmed >= 1
    capped = trim_weights(w, median_cap=3.5, redistribute=False)
    np.testing.assert_allclose(capped.weights, [1, 1, 1, 1, 1, 1, 1, 3.5])


def test_trimming_iterates_until_bounds_hold():
    w = np.array([1.0, 2, 2, 2, 10, 12])
    result = trim_weights(w, lower=1.5, upper=6)
    assert result.weights.min() >= 1.5 * (1 - 1e-9)
    assert result.weights.max() <= 6 * (1 + 1e-9)
    assert result.weights.sum() == pytest.approx(w.sum())
    with pytest.raises(WeightingError, match="nothing left to carry"):
        trim_weights(w, lower=1.5, upper=4)  # six weights of at most 4 cannot carry 29
    with pytest.raises(WeightingError, match="inverted"):
        trim_weights(w, lower=5, upper=4)


def test_weight_diagnostics():
    d = weight_diagnostics([1.0, 1, 2, 4])
    assert d.deff_weighting == pytest.approx(4 * 22 / 64)
    assert d.effective_n == pytest.approx(4 / (4 * 22 / 64))
    assert d.deff_weighting == pytest.approx(1 + d.cv**2)
    assert (d.min, d.max, d.total) == (1.0, 4.0, 8.0)
