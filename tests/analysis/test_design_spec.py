"""The design spec a weighting run stores: JSON-ready, and it rebuilds the same design
(weights, strata, calibration model; replicates raked again) from the respondent table."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis.core import (
    CalibrationSpec,
    DesignSpec,
    EstimationError,
    build_design,
    jkn_weights,
    make_design,
    margins_from_frame,
    match_margins,
    rake_design,
    survey_mean,
)

from .conftest import DATA, EST_RTOL, SE_RTOL, assert_close


@pytest.fixture(scope="module")
def margins():
    return margins_from_frame(pd.read_csv(DATA / "synthetic_margins.csv"))


@pytest.fixture(scope="module")
def raked_table(synthetic, synthetic_design, margins):
    raked = rake_design(synthetic_design, match_margins(synthetic, margins))
    return synthetic.assign(final=raked.weights), raked


def spec_for(margins, replicates=None) -> DesignSpec:
    return DesignSpec("final", strata="stratum", cluster="cluster", fpc="fpc",
                      calibration=CalibrationSpec("weight", tuple(margins)),
                      replicates=replicates)


def test_spec_survives_json(margins):
    spec = spec_for(margins, {"method": "JKn"})
    again = DesignSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again.to_dict() == spec.to_dict()
    assert [m.categories for m in again.calibration.margins] == [m.categories for m in margins]


def test_rebuilt_design_gives_the_calibrated_estimates(raked_table, synthetic, margins):
    table, raked = raked_table
    rebuilt = build_design(DesignSpec.from_dict(spec_for(margins).to_dict()), table)
    np.testing.assert_allclose(rebuilt.weights, raked.weights)
    expected = survey_mean(raked, synthetic.y)
    result = survey_mean(rebuilt, synthetic.y)
    assert_close(result.estimate, expected.estimate, EST_RTOL, "estimate")
    assert_close(result.se, expected.se, SE_RTOL, "se")


def test_rebuilt_replicate_design_rakes_every_replicate(raked_table, synthetic,
                                                        synthetic_design, margins):
    table, _ = raked_table
    rebuilt = build_design(spec_for(margins, {"method": "JKn"}), table)
    expected = rake_design(synthetic_design.with_replicates(jkn_weights(synthetic_design)),
                           match_margins(synthetic, margins))
    np.testing.assert_allclose(rebuilt.replicates.weights, expected.replicates.weights)


def test_replicates_cannot_follow_trimmed_weights(raked_table, margins):
    table, _ = raked_table
    trimmed = table.assign(final=table.final.clip(upper=table.final.median() * 1.5))
    with pytest.raises(EstimationError, match="not the raked weights"):
        build_design(spec_for(margins, {"method": "JKn"}), trimmed)


def test_fixed_weight_spec_and_errors(synthetic):
    spec = DesignSpec("weight", strata="stratum", cluster="cluster", fpc="fpc")
    design = build_design(spec, synthetic)
    expected = make_design(synthetic.weight, synthetic.stratum, synthetic.cluster, synthetic.fpc)
    assert_close(survey_mean(design, synthetic.y).se, survey_mean(expected, synthetic.y).se,
                 1e-12, "se")
    with pytest.raises(EstimationError, match="weight the wave again"):
        DesignSpec.from_dict({})
    with pytest.raises(EstimationError, match="replicate method 'BRR'"):
        DesignSpec.from_dict({"weights": "w", "replicates": {"method": "BRR"}})
    with pytest.raises(Exception, match="missing column 'nope'"):
        build_design(DesignSpec("nope"), synthetic)
