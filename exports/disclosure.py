"""Disclosure control for published tables (pure, no Django).

Primary suppression hides a cell whose unweighted base is under the threshold. Secondary
suppression then makes sure no hidden cell can be worked out by subtraction: in every line
of cells that add up to a published total (a row with its row total, a column with its
column total, the totals themselves), either nothing is hidden or at least two entries are.
Rounding of estimates and bases is applied after suppression, as configured.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bas.errors import BasError

SUPPRESSED_SYMBOL = "[c]"  # GSS symbol for "confidential"


class DisclosureError(BasError, ValueError):
    """Bad disclosure rules or a table that cannot be protected."""


@dataclass(frozen=True)
class DisclosureRules:
    threshold: int = 30
    estimate_decimals: int = 3  # proportions to 0.1 percentage point
    base_rounding: int = 1  # unweighted bases to the nearest multiple (1: as counted)

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise DisclosureError(f"threshold: {self.threshold} is not a positive count")
        if self.estimate_decimals < 0:
            raise DisclosureError(f"estimate_decimals: {self.estimate_decimals} is negative")
        if self.base_rounding < 1:
            raise DisclosureError(f"base_rounding: {self.base_rounding} is under 1")

    def as_dict(self) -> dict:
        return {"threshold": self.threshold, "estimate_decimals": self.estimate_decimals,
                "base_rounding": self.base_rounding}

    def round_estimate(self, value: float | None) -> float | None:
        if value is None or not np.isfinite(value):
            return None
        return round(float(value), self.estimate_decimals)

    def round_base(self, count: int | None) -> int | None:
        if count is None:
            return None
        step = self.base_rounding
        return int(step * np.floor(count / step + 0.5))


@dataclass(frozen=True)
class Suppression:
    """Masks over a table's cells and totals: primary (base too small) and secondary."""

    primary: np.ndarray  # (rows + 1, columns + 1): cells, row totals, column totals, grand
    secondary: np.ndarray

    @property
    def suppressed(self) -> np.ndarray:
        return self.primary | self.secondary

    @property
    def cells(self) -> np.ndarray:
        return self.suppressed[:-1, :-1]

    @property
    def row_totals(self) -> np.ndarray:
        return self.suppressed[:-1, -1]

    @property
    def column_totals(self) -> np.ndarray:
        return self.suppressed[-1, :-1]


def suppress_table(bases: object, threshold: int, *, row_totals: bool = True,
                   column_totals: bool = True) -> Suppression:
    """Suppression of a table of unweighted bases (rows x columns) published with its row
    totals and/or column totals (each the sum of its line)."""
    cells = _counts(bases)
    extended = _extend(cells)
    present = np.zeros(extended.shape, dtype=bool)
    present[:-1, :-1] = True
    present[:-1, -1] = row_totals
    present[-1, :-1] = column_totals
    present[-1, -1] = row_totals and column_totals
    primary = present & (extended < threshold)
    secondary = _secondary(extended, primary, _lines(cells.shape, row_totals, column_totals))
    return Suppression(primary, secondary)


def suppress_partition(bases: object, threshold: int) -> Suppression:
    """Domains that partition a population whose total is published (one row + its total)."""
    return suppress_table(np.asarray(bases, dtype=float).reshape(1, -1), threshold,
                          row_totals=True, column_totals=False)


def recoverable_lines(mask: np.ndarray, lines: list[list[tuple[int, int]]]) -> list[int]:
    """Indexes of lines with exactly one suppressed entry (that entry = total - the rest)."""
    return [i for i, line in enumerate(lines) if sum(bool(mask[e]) for e in line) == 1]


def table_lines(shape: tuple[int, int], row_totals: bool = True,
                column_totals: bool = True) -> list[list[tuple[int, int]]]:
    """Every additive line of a table with its totals, as entries of the extended matrix."""
    return _lines(shape, row_totals, column_totals)


def _counts(bases: object) -> np.ndarray:
    cells = np.asarray(bases, dtype=float)
    if cells.ndim != 2:
        raise DisclosureError(f"bases: expected a table (rows x columns), got {cells.ndim} "
                              "dimension(s)")
    bad = np.argwhere(~np.isfinite(cells) | (cells < 0))
    if bad.size:
        r, c = (int(i) for i in bad[0])
        value = float(cells[r, c])
        raise DisclosureError(f"bases: row {r + 1}, column {c + 1}: {value!r} is not a count")
    return cells


def _extend(cells: np.ndarray) -> np.ndarray:
    rows, cols = cells.shape
    extended = np.zeros((rows + 1, cols + 1))
    extended[:-1, :-1] = cells
    extended[:-1, -1] = cells.sum(axis=1)
    extended[-1, :-1] = cells.sum(axis=0)
    extended[-1, -1] = cells.sum()
    return extended


def _lines(shape: tuple[int, int], row_totals: bool,
           column_totals: bool) -> list[list[tuple[int, int]]]:
    rows, cols = shape
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(cols + 1)] for r in range(rows)]
        if column_totals:
            lines.append([(rows, c) for c in range(cols + 1)])
    if column_totals:
        lines += [[(r, c) for r in range(rows + 1)] for c in range(cols)]
        if row_totals:
            lines.append([(r, cols) for r in range(rows + 1)])
    return lines


def _secondary(extended: np.ndarray, primary: np.ndarray,
               lines: list[list[tuple[int, int]]]) -> np.ndarray:
    """Greedy: while some line has exactly one suppressed entry, also suppress that line's
    smallest unsuppressed cell (a total only when the line has no other cell left)."""
    rows, cols = extended.shape
    suppressed = primary.copy()
    changed = True
    while changed:
        changed = False
        for index in recoverable_lines(suppressed, lines):
            line = lines[index]
            if sum(bool(suppressed[e]) for e in line) != 1:
                continue  # an earlier step in this pass already protected it
            candidates = [e for e in line if not suppressed[e]]
            chosen = min(candidates, key=lambda e: (e[0] == rows - 1 or e[1] == cols - 1,
                                                    extended[e], e))
            suppressed[chosen] = True
            changed = True
    return suppressed & ~primary
