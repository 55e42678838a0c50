"""Population margins for raking: read, check and match to the data's categories."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import WeightingError
from .grouping import as_label, factor_codes

MARGIN_COLUMNS = ("variable", "category", "total")


@dataclass(frozen=True)
class Margin:
    """Population totals of the categories of one raking variable."""

    variable: str
    categories: tuple[str, ...]
    totals: np.ndarray

    @property
    def population(self) -> float:
        return float(self.totals.sum())


@dataclass(frozen=True)
class MatchedMargin:
    """A margin with each data row's category code (index into margin.categories)."""

    margin: Margin
    codes: np.ndarray


def margins_from_frame(frame: pd.DataFrame, source: str = "margins",
                       rel_tol: float = 1e-6) -> list[Margin]:
    """Margins from a table with columns variable, category, total (one row per category)."""
    missing = [c for c in MARGIN_COLUMNS if c not in frame.columns]
    if missing:
        raise WeightingError(f"{source}: missing column {missing[0]!r} "
                             f"(needs columns {', '.join(MARGIN_COLUMNS)})")
    margins = []
    for variable, group in frame.groupby(frame["variable"].astype(str).str.strip(), sort=False):
        margins.append(_margin(variable, group, source))
    if not margins:
        raise WeightingError(f"{source}: no margins given")
    check_consistent(margins, source, rel_tol)
    return margins


def _margin(variable: str, group: pd.DataFrame, source: str) -> Margin:
    categories = [as_label(c) for c in group["category"]]
    totals = pd.to_numeric(group["total"], errors="coerce").to_numpy(dtype=float)
    for row, (cat, total, raw) in enumerate(zip(categories, totals, group["total"], strict=True)):
        line = int(group.index[row]) + 2
        if cat is pd.NA:
            raise WeightingError(f"{source}: row {line}, column 'category': empty category "
                                 f"for variable {variable!r}")
        if not np.isfinite(total) or total < 0:
            raise WeightingError(f"{source}: row {line}, column 'total': {raw!r} is not a "
                                 "non-negative number")
    if len(set(categories)) != len(categories):
        dup = next(c for c in categories if categories.count(c) > 1)
        raise WeightingError(f"{source}: category {dup!r} of variable {variable!r} "
                             "appears more than once")
    return Margin(variable, tuple(str(c) for c in categories), totals)


def check_consistent(margins: list[Margin], source: str = "margins",
                     rel_tol: float = 1e-6) -> None:
    """All margins must add up to the same population size (within rel_tol)."""
    first = margins[0]
    for other in margins[1:]:
        if abs(other.population - first.population) > rel_tol * max(first.population, 1.0):
            raise WeightingError(
                f"{source}: totals disagree between variables: {first.variable!r} sums to "
                f"{first.population:g} but {other.variable!r} sums to {other.population:g}"
            )


def match_margins(data: pd.DataFrame, margins: list[Margin], source: str = "data"
                  ) -> list[MatchedMargin]:
    """Code each raking variable by its margin's categories; every data category must have a
    margin and every margin category must have respondents."""
    return [_match(data, m, source) for m in margins]


def _match(data: pd.DataFrame, margin: Margin, source: str) -> MatchedMargin:
    if margin.variable not in data.columns:
        raise WeightingError(f"{source}: missing column {margin.variable!r} "
                             "(a raking variable in the margins)")
    codes, labels = factor_codes(data[margin.variable])
    missing_rows = np.flatnonzero(codes < 0)
    if missing_rows.size:
        raise WeightingError(f"{source}: row {int(missing_rows[0]) + 2}, column "
                             f"{margin.variable!r}: missing value in a raking variable")
    position = {c: i for i, c in enumerate(margin.categories)}
    unknown = [lab for lab in labels if lab not in position]
    if unknown:
        row = int(np.flatnonzero(codes == labels.index(unknown[0]))[0]) + 2
        raise WeightingError(f"{source}: row {row}, column {margin.variable!r}: category "
                             f"{unknown[0]!r} has no population total in the margins")
    absent = [c for c in margin.categories if c not in set(labels)]
    if absent:
        raise WeightingError(f"{source}: column {margin.variable!r}: margin category "
                             f"{absent[0]!r} has no respondents in the data")
    remap = np.array([position[lab] for lab in labels], dtype=np.int64)
    return MatchedMargin(margin, remap[codes])
