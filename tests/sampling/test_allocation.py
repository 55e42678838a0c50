import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sampling.core import AllocationError, allocate, neyman_weights


def test_proportional_with_largest_remainder():
    # exact shares 10/3 each: remainders tie, the earliest strata get the extra unit
    assert allocate([100, 100, 100], 10, minimum=1).tolist() == [4, 3, 3]
    assert allocate([500, 300, 200], 10, minimum=1).tolist() == [5, 3, 2]


def test_caps_redistribute_the_excess():
    # by weight the small stratum would get about 58; it only has 3 businesses
    sizes = allocate([3, 100, 100], 60, [100.0, 1.0, 1.0], minimum=1)
    assert sizes.tolist() == [3, 29, 28]
    assert allocate([3, 5], 8).tolist() == [3, 5]


def test_minimum_two_when_n_permits_else_one():
    populations = [10_000, 20, 1, 30]
    assert allocate(populations, 20).tolist() == [15, 2, 1, 2]
    assert allocate(populations, 5).min() >= 1
    assert allocate(populations, 5).tolist() == [2, 1, 1, 1]


def test_errors_are_clear():
    with pytest.raises(AllocationError, match="larger than the 30 businesses"):
        allocate([10, 20], 31)
    with pytest.raises(AllocationError, match="3 strata need at least 3"):
        allocate([10, 20, 30], 2)
    with pytest.raises(AllocationError, match="per group"):
        allocate([100] * 4, 50, groups=["a", "b", "c", "d"], group_minimum=20)


def test_group_minimum_is_met_and_rest_is_proportional():
    populations = [9000, 1000, 100, 50]
    groups = ["big", "big", "small", "small"]
    sizes = allocate(populations, 100, groups=groups, group_minimum=30, minimum=1)
    assert sizes[2:].sum() == 30
    assert sizes.sum() == 100
    assert sizes[0] / sizes[1] == pytest.approx(9, rel=0.15)


def test_neyman_with_constant_p_is_proportional_and_varies_with_p():
    populations = np.array([500, 300, 200])
    assert allocate(populations, 10, neyman_weights(populations, 0.3)).tolist() == [5, 3, 2]
    weights = neyman_weights(populations, np.array([0.5, 0.5, 0.02]))
    assert allocate(populations, 20, weights, minimum=1).tolist() == [12, 7, 1]
    with pytest.raises(AllocationError, match="between 0 and 1"):
        neyman_weights(populations, 1.5)


def test_zero_weight_strata_still_get_their_minimum():
    sizes = allocate([100, 100], 10, [1.0, 0.0], minimum=1)
    assert sizes.tolist() == [9, 1]


populations_strategy = st.lists(st.integers(1, 2000), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(populations=populations_strategy, data=st.data())
def test_allocation_properties(populations, data):
    total = sum(populations)
    n = data.draw(st.integers(len(populations), total))
    weights = data.draw(st.lists(st.floats(0, 100), min_size=len(populations),
                                 max_size=len(populations)))
    sizes = allocate(populations, n, weights)
    pops = np.array(populations)
    assert sizes.sum() == n
    assert (sizes <= pops).all()
    assert (sizes >= 1).all()
    if 2 * len(pops) <= n:
        assert (sizes >= np.minimum(2, pops)).all()
    again = allocate(populations, n, weights)
    assert again.tolist() == sizes.tolist()


@settings(max_examples=100, deadline=None)
@given(populations=populations_strategy, data=st.data())
def test_proportional_is_within_one_of_the_exact_share_when_unconstrained(populations, data):
    pops = np.array(populations)
    n = data.draw(st.integers(len(pops), pops.sum()))
    exact = n * pops / pops.sum()
    if (exact < 1).any() or (exact > pops).any():
        return
    sizes = allocate(pops, n, minimum=1)
    assert np.all(np.abs(sizes - exact) < 1)


@settings(max_examples=100, deadline=None)
@given(groups_count=st.integers(1, 6), per_group=st.integers(1, 5), data=st.data())
def test_group_minimum_property(groups_count, per_group, data):
    strata = groups_count * per_group
    populations = data.draw(st.lists(st.integers(1, 500), min_size=strata, max_size=strata))
    groups = np.repeat(np.arange(groups_count), per_group)
    minimum = data.draw(st.integers(1, 30))
    pops = np.array(populations)
    group_totals = np.bincount(groups, weights=pops)
    needed = np.maximum(np.minimum(minimum, group_totals), per_group).sum()
    n = data.draw(st.integers(int(max(needed, strata)), int(pops.sum())))
    sizes = allocate(pops, n, groups=groups, group_minimum=minimum, minimum=1)
    assert sizes.sum() == n
    assert (sizes <= pops).all() and (sizes >= 1).all()
    got = np.bincount(groups, weights=sizes)
    assert (got >= np.minimum(minimum, group_totals)).all()
