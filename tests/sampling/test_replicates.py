import numpy as np
import pandas as pd
import pytest

from sampling.core import SampleDesign, assign_replicates, draw_sample, released_sample


def test_replicates_are_near_equal_within_each_stratum():
    strata = pd.Series(["a"] * 23 + ["b"] * 7 + ["c"] * 2)
    replicate = assign_replicates(strata, 5, np.random.default_rng(1))
    table = pd.crosstab(strata, replicate)
    assert (table.max(axis=1) - table.min(axis=1) <= 1).all()
    assert set(replicate) <= set(range(1, 6))
    again = assign_replicates(strata, 5, np.random.default_rng(1))
    assert replicate.tolist() == again.tolist()


def test_released_replicates_recompute_inclusion_probabilities(clean_frame):
    result = draw_sample(clean_frame, SampleDesign(n=1600, seed=2, replicates=10))
    sample = result.sample
    sizes = np.bincount(sample["replicate"])[1:]
    assert sizes.max() - sizes.min() <= 0.1 * sizes.mean()
    released, missing = released_sample(sample, [1, 2, 3])
    assert set(released["replicate"]) == {1, 2, 3}
    populations = result.allocation.set_index("stratum")["population"]
    m = released.groupby("stratum").size()
    got = released.groupby("stratum")["inclusion_probability"].first()
    assert np.allclose(got, m / populations[m.index])
    assert released["design_weight"].sum() == pytest.approx(populations[m.index].sum())
    assert set(missing) == set(populations.index) - set(m.index)
    everything, none_missing = released_sample(sample, range(1, 11), populations)
    assert np.allclose(everything["inclusion_probability"], sample["inclusion_probability"])
    assert none_missing == []
