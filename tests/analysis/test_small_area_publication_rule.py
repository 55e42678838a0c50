"""The publication rule: direct where precise enough, else model-based, else suppressed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core.small_area import SmallAreaError
from analysis.core.small_area.publication_rule import (
    MODEL_BASED,
    SUPPRESSED,
    PublicationRule,
    model_interval,
    publication_rule,
)

PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULE = st.builds(PublicationRule, direct_measure=st.sampled_from(["cv", "width"]),
                 direct_threshold=st.floats(0.02, 0.6), model_threshold=st.floats(0.02, 0.6))


@st.composite
def domains(draw):
    m = draw(st.integers(1, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    direct = rng.uniform(0, 1, m)
    direct[rng.random(m) < 0.1] = 0.0
    se = rng.uniform(0.001, 0.3, m)
    eblup = np.clip(direct + rng.normal(0, 0.05, m), -0.05, 1.05)
    mse = rng.uniform(1e-5, 0.03, m)
    unsampled = rng.random(m) < 0.15
    direct[unsampled] = np.nan
    se[unsampled] = np.nan
    return direct, se, eblup, mse


@PROPERTY
@given(domains(), RULE)
def test_every_domain_follows_the_rule_in_order(data, rule):
    direct, se, eblup, mse = data
    out = publication_rule(direct, se, eblup, mse, rule)
    low, high = model_interval(eblup, mse, rule.z)
    for i, source in enumerate(out.source):
        measure = out.cv[i] if rule.direct_measure == "cv" else out.width[i]
        direct_passes = np.isfinite(direct[i]) and measure <= rule.direct_threshold
        model_passes = eblup[i] > 0 and np.sqrt(mse[i]) / eblup[i] <= rule.model_threshold
        if direct_passes:
            assert source == "direct" and out.estimate[i] == direct[i]
            assert out.low[i] <= direct[i] <= out.high[i]
        elif model_passes:
            assert source == MODEL_BASED and out.estimate[i] == eblup[i]
            assert (out.low[i], out.high[i]) == (low[i], high[i])
        else:
            assert source == SUPPRESSED
            assert np.isnan([out.estimate[i], out.low[i], out.high[i]]).all()
        assert out.notes[i]
    published = np.array([s != SUPPRESSED for s in out.source])
    assert np.all((out.low[published] >= 0) & (out.high[published] <= 1))
    assert sum(out.counts().values()) == len(direct)


@PROPERTY
@given(domains(), RULE, st.floats(1.0, 3.0))
def test_looser_thresholds_never_suppress_more(data, rule, factor):
    direct, se, eblup, mse = data
    strict = publication_rule(direct, se, eblup, mse, rule)
    loose = publication_rule(direct, se, eblup, mse, PublicationRule(
        rule.direct_measure, rule.direct_threshold * factor, rule.model_threshold * factor))
    for a, b in zip(strict.source, loose.source, strict=True):
        if a != SUPPRESSED:
            assert b != SUPPRESSED
        if a == "direct":
            assert b == "direct"


@PROPERTY
@given(st.floats(-0.2, 1.2), st.floats(0, 0.5))
def test_model_interval_is_clipped_and_centred_where_inside(eblup, mse):
    low, high = model_interval(np.array([eblup]), np.array([mse]))
    assert 0 <= low[0] <= high[0] <= 1
    half = 1.96 * np.sqrt(mse)
    if eblup - half >= 0 and eblup + half <= 1:
        assert high[0] - eblup == pytest.approx(eblup - low[0])


def test_worked_example_and_notes():
    direct = np.array([0.40, 0.30, 0.10, np.nan, 0.0])
    se = np.array([0.04, 0.12, 0.09, np.nan, 0.0])
    eblup = np.array([0.39, 0.32, 0.08, 0.25, 0.02])
    mse = np.array([0.001, 0.0016, 0.0016, 0.0025, 0.0004])
    out = publication_rule(direct, se, eblup, mse, PublicationRule(direct_label="pooled"))
    assert out.source == ("pooled", "model-based", "suppressed", "model-based", "suppressed")
    assert out.estimate[1] == 0.32
    assert out.low[1] == pytest.approx(0.32 - 1.96 * 0.04)
    assert out.high[3] == pytest.approx(0.25 + 1.96 * 0.05)
    assert out.notes[0] == "Pooled survey estimate: pooled CV 10.0% (at most 20%)."
    assert "relative root MSE 12.5%" in out.notes[1]
    assert "no sample" in out.notes[3]
    assert "Suppressed" in out.notes[4] and "infinite" in out.notes[4]
    by_width = publication_rule(direct, se, eblup, mse, PublicationRule("width", 0.2))
    assert by_width.source[0] == "direct"
    assert by_width.width[0] == pytest.approx(2 * 1.96 * 0.04)
    assert "20 percentage points" in PublicationRule("width", 0.2).describe()
    assert "CV is at most 20%" in PublicationRule().describe()
    given_interval = publication_rule(direct, se, eblup, mse, direct_low=direct - 0.01,
                                      direct_high=direct + 0.01)
    assert given_interval.low[0] == pytest.approx(0.39)


def test_rule_options_are_checked_and_round_trip():
    rule = PublicationRule("width", 0.15, 0.3)
    assert PublicationRule.from_dict(rule.as_dict()) == rule
    assert PublicationRule.from_dict({"direct_threshold": "0.3"}).direct_threshold == 0.3
    with pytest.raises(SmallAreaError, match="direct_measure must be one of cv, width"):
        PublicationRule("rse")
    with pytest.raises(SmallAreaError, match="model_threshold must be a number > 0"):
        PublicationRule(model_threshold=0)
    with pytest.raises(SmallAreaError, match="unknown option"):
        PublicationRule.from_dict({"cv": 0.2})
    with pytest.raises(SmallAreaError, match="must be numbers"):
        PublicationRule.from_dict({"z": "wide"})
    with pytest.raises(SmallAreaError, match="one value per domain"):
        publication_rule(np.ones(2), np.ones(3), np.ones(2), np.ones(2))
    with pytest.raises(SmallAreaError, match="both ends"):
        publication_rule(np.ones(2), np.ones(2), np.ones(2), np.ones(2), direct_low=np.ones(2))
