import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from exports.disclosure import (
    DisclosureError,
    DisclosureRules,
    recoverable_lines,
    suppress_partition,
    suppress_table,
    table_lines,
)


def test_primary_suppression_hides_cells_under_the_threshold():
    result = suppress_partition([50, 29, 30, 40, 12], threshold=30)
    assert result.primary[0, :-1].tolist() == [False, True, False, False, True]
    assert not result.secondary.any()  # two cells hidden: neither can be worked out


def test_a_lone_suppressed_cell_takes_the_smallest_other_cell_with_it():
    # total 150 is published; 20 alone would be 150 - 50 - 45 - 35
    result = suppress_partition([50, 20, 45, 35], threshold=30)
    assert result.primary[0, :-1].tolist() == [False, True, False, False]
    assert result.secondary[0, :-1].tolist() == [False, False, False, True]
    assert not result.row_totals[0]


def test_nothing_is_hidden_when_every_base_is_large_enough():
    result = suppress_partition([30, 31, 100], threshold=30)
    assert not result.suppressed.any()


def test_row_and_column_totals_protect_each_other():
    bases = np.array([[40, 5, 60],
                      [50, 70, 80],
                      [45, 55, 90]])
    result = suppress_table(bases, threshold=30)
    hidden = result.cells
    assert hidden[0, 1]  # primary
    # its row and its column each need a second hidden cell ...
    assert hidden[0].sum() >= 2 and hidden[:, 1].sum() >= 2
    # ... and so do the rows and columns those secondary cells sit in
    lines = table_lines(bases.shape)
    assert recoverable_lines(result.suppressed, lines) == []
    assert result.secondary.any() and not result.suppressed[-1, -1]


def test_a_small_total_is_itself_suppressed_with_a_partner():
    bases = np.array([[10, 12], [40, 50]])
    result = suppress_table(bases, threshold=30)
    assert result.row_totals[0]  # 22 < 30
    assert recoverable_lines(result.suppressed, table_lines(bases.shape)) == []


def test_bad_input_is_named():
    with pytest.raises(DisclosureError, match=r"row 1, column 2: -1.0 is not a count"):
        suppress_table([[3, -1]], threshold=30)
    with pytest.raises(DisclosureError, match="threshold"):
        DisclosureRules(threshold=0)


def test_rounding_as_configured():
    rules = DisclosureRules(estimate_decimals=2, base_rounding=5)
    assert rules.round_estimate(0.12345) == 0.12
    assert rules.round_base(47) == 45 and rules.round_base(48) == 50
    assert DisclosureRules().round_estimate(float("nan")) is None


tables = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda shape: arrays(np.int64, shape, elements=st.integers(0, 120)))


@settings(max_examples=150, deadline=None)
@given(bases=tables, threshold=st.integers(1, 60), row_totals=st.booleans(),
       column_totals=st.booleans())
def test_no_suppressed_value_can_be_recovered_by_subtraction(bases, threshold, row_totals,
                                                             column_totals):
    if not (row_totals or column_totals):
        row_totals = True
    result = suppress_table(bases, threshold, row_totals=row_totals,
                            column_totals=column_totals)
    shown = ~result.suppressed
    # every cell under the threshold is hidden
    assert not (shown[:-1, :-1] & (bases < threshold)).any()
    # a line with one hidden entry would give it away as total minus the shown cells
    for line in table_lines(bases.shape, row_totals, column_totals):
        hidden = [e for e in line if result.suppressed[e]]
        assert len(hidden) != 1, (line, hidden)


@settings(max_examples=100, deadline=None)
@given(bases=st.lists(st.integers(0, 200), min_size=1, max_size=12),
       threshold=st.integers(1, 60))
def test_partition_total_minus_shown_cells_never_reveals_one_cell(bases, threshold):
    result = suppress_partition(bases, threshold)
    hidden = [i for i, h in enumerate(result.cells[0]) if h]
    total_hidden = bool(result.row_totals[0])
    if not total_hidden:
        assert len(hidden) != 1
    assert all(result.cells[0][i] for i, b in enumerate(bases) if b < threshold)
