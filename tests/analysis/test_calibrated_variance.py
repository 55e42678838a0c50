"""The fast variance of calibrated designs with rows as PSUs equals the direct computation
(residuals on the calibration model, then the stratified sum of squares) on any data."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.core import domains_by, make_design, rake_design, survey_proportion
from analysis.core.calibrated_variance import usable
from analysis.core.estimators import _domain_scores
from analysis.core.margins import Margin, match_margins
from analysis.core.variance import _stratified_variance, calibration_residuals


def direct_variance(design, scores):
    residuals = calibration_residuals(design.calibration, design.weights, scores)
    return _stratified_variance(design, np.array(residuals))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(30, 300), strata=st.integers(1, 6), seed=st.integers(0, 10**6),
       lonely=st.booleans())
def test_fast_equals_direct(n, strata, seed, lonely):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"a": rng.choice(["x", "y", "z"], n), "b": rng.choice(["p", "q"], n),
                          "w": rng.uniform(1, 10, n), "stratum": rng.integers(0, strata, n),
                          "y": rng.integers(0, 2, n).astype(float)})
    if lonely:  # one stratum with a single row
        frame.loc[0, "stratum"] = strata
    frame.loc[rng.random(n) < 0.1, "y"] = np.nan
    margins = [Margin("a", ("x", "y", "z"), np.array([300.0, 200, 100])),
               Margin("b", ("p", "q"), np.array([250.0, 350]))]
    if frame["a"].nunique() < 3 or frame["b"].nunique() < 2:
        return
    design = rake_design(make_design(frame.w, strata=frame.stratum), match_margins(frame, margins))
    domains = domains_by(frame.a, "a")
    result = survey_proportion(design, frame.y, domains)
    rows = np.flatnonzero(~np.isnan(frame.y.to_numpy()))
    d = domains.codes[rows]
    w = design.weights[rows]
    k = domains.size
    mean = np.bincount(d, weights=w * frame.y.to_numpy()[rows], minlength=k) / np.bincount(
        d, weights=w, minlength=k)
    u = (frame.y.to_numpy()[rows] - mean[d]) / np.bincount(d, weights=w, minlength=k)[d]
    scores = _domain_scores(design.n, rows, d, w * u, k)
    assert usable(design, scores)
    np.testing.assert_allclose(result.variance, direct_variance(design, scores), rtol=1e-8,
                               atol=1e-14)
