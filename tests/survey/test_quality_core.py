"""The pure quality core: robust z-scores, flags, straight-lining and the grid rule."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey.core.quality import (
    FLAG_Z,
    MAD_SCALE,
    Shape,
    binomial_floor,
    flagged,
    grids,
    is_no_choice,
    robust_z,
    straightlined,
)

values = st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=3,
                  max_size=30)


def test_robust_z_is_distance_from_the_median_in_scaled_mads():
    z = robust_z({"a": 10.0, "b": 12.0, "c": 14.0, "d": 16.0, "e": 100.0})
    # median 14, absolute deviations 4, 2, 0, 2, 86: MAD 2
    assert z["c"] == 0 and z["e"] == pytest.approx(86 / (MAD_SCALE * 2))
    assert z["a"] == pytest.approx(-4 / (MAD_SCALE * 2))


def test_a_zero_mad_falls_back_to_the_mean_absolute_deviation():
    z = robust_z({n: 0.0 for n in "abcde"} | {"f": 1.0})
    assert z["f"] == pytest.approx(1 / (1.253314 * 1 / 6)) and z["a"] == 0
    assert z["f"] >= FLAG_Z


def test_all_equal_gives_zero_and_too_few_gives_none():
    assert set(robust_z({"a": 2.0, "b": 2.0, "c": 2.0}).values()) == {0.0}
    assert robust_z({"a": 1.0, "b": 5.0, "c": None}) == {"a": None, "b": None, "c": None}


def test_flags_only_in_the_direction_that_signals_a_problem():
    assert flagged(-3.5, "low") and not flagged(-3.4, "low") and not flagged(9.0, "low")
    assert flagged(3.5, "high") and not flagged(-9.0, "high") and not flagged(None, "high")


integers = st.lists(st.integers(min_value=-10**6, max_value=10**6).map(float), min_size=3,
                    max_size=30)


@given(integers, st.sampled_from([0.25, 0.5, 2.0, 8.0]),
       st.integers(min_value=-1000, max_value=1000))
def test_robust_z_ignores_shift_and_scale(xs, scale, shift):
    # exact arithmetic (integers, powers of two) so that rounding cannot tell them apart
    before = robust_z(dict(enumerate(xs)))
    after = robust_z({k: x * scale + shift for k, x in enumerate(xs)})
    for key in before:
        assert math.isclose(before[key], after[key], rel_tol=1e-9, abs_tol=1e-9)


@given(values)
def test_at_most_half_the_team_is_above_the_median(xs):
    z = robust_z(dict(enumerate(xs)))
    assert sum(v > 0 for v in z.values()) <= len(xs) / 2


def test_straightlining_needs_every_item_answered_on_the_scale():
    assert straightlined(["2", "2", "2"]) is True
    assert straightlined(["2", "3", "2"]) is False
    assert straightlined(["2", "2", None]) is None  # not all answered
    assert straightlined([-8, "2", "2"], missing=(-8, -9)) is None  # a don't know
    assert straightlined(["1", "1"]) is None  # too few items


def test_grids_are_runs_of_select_ones_in_one_group_sharing_a_list():
    shapes = [Shape("q1", "select_one", "agree", "g"), Shape("q2", "select_one", "agree", "g"),
              Shape("q3", "select_one", "agree", "g"), Shape("q4", "select_one", "yn", "g"),
              Shape("q5", "select_one", "agree", "h"), Shape("q6", "select_one", "agree", "h"),
              Shape("q7", "select_one", "agree", "k"), Shape("q8", "select_one", "agree", "k"),
              Shape("q9", "select_one", "agree", "k")]
    assert grids(shapes) == [("q1", "q2", "q3"), ("q7", "q8", "q9")]


def test_no_choices():
    assert is_no_choice("2", "No") and is_no_choice("3", "No, call back later")
    assert is_no_choice("no", "Nope") and not is_no_choice("1", "Not sure")
    assert not is_no_choice("1", "Yes") and not is_no_choice("4", "")


def test_a_rate_is_not_flagged_for_a_difference_chance_makes():
    rates = {"a": 0.39, "b": 0.39, "c": 0.392, "d": 0.393, "e": 0.40, "f": 0.431}
    assert robust_z(rates)["f"] >= FLAG_Z  # the MAD alone: a tight team by chance
    floor = binomial_floor(list(rates.values()), [64] * 6)
    assert floor == pytest.approx(math.sqrt(0.3925 * 0.6075 / 64))
    assert robust_z(rates, floor)["f"] < 1
    assert robust_z(rates | {"g": 0.9}, floor)["g"] >= FLAG_Z  # a real outlier still is


def test_binomial_floor_without_counts_is_zero():
    assert binomial_floor([], []) == 0 and binomial_floor([0.5], [0]) == 0
