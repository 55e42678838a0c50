"""Strata: borough x sector group x size band (configurable), with tiny strata collapsed.

Collapsing works from the last dimension to the second: a stratum whose population is below
`min_stratum_size` is merged with a neighbour that shares every earlier dimension. For an
ordered dimension (size band) the neighbour is the smaller adjacent segment; for an
unordered one (sector group) it is the smallest other segment. So tiny size bands merge
within borough x sector group first, then tiny sector groups merge within the borough. The
first dimension is never merged across (a borough keeps its own strata).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sampling.core.errors import StrataError
from sampling.data.sectors import DEFAULT_SECTOR_GROUPS, SIZE_BANDS

DIMENSIONS: tuple[str, ...] = ("borough", "sector_group", "size_band")
_ORDERED = {"size_band": list(SIZE_BANDS)}


@dataclass(frozen=True)
class StrataSpec:
    """Which dimensions stratify, how sections group into sectors, the smallest stratum."""

    dimensions: tuple[str, ...] = DIMENSIONS
    sector_groups: Mapping[str, Sequence[str]] = field(
        default_factory=lambda: dict(DEFAULT_SECTOR_GROUPS))
    min_stratum_size: int = 20

    def __post_init__(self) -> None:
        unknown = [d for d in self.dimensions if d not in DIMENSIONS]
        if unknown or not self.dimensions or len(set(self.dimensions)) != len(self.dimensions):
            raise StrataError(f"strata dimensions must be distinct names among {DIMENSIONS}, "
                              f"got {list(self.dimensions)}")
        if self.min_stratum_size < 1:
            raise StrataError("min_stratum_size must be at least 1")


@dataclass(frozen=True)
class Merge:
    """One collapse step: `merged` strata became `into` (population `population`)."""

    within: str
    merged: tuple[str, ...]
    into: str
    population: int


@dataclass(frozen=True)
class Strata:
    """Stratum of every business (`codes`, aligned with the frame, indexing the sorted
    `names`) and the collapse report."""

    codes: np.ndarray
    names: tuple[str, ...]
    merges: tuple[Merge, ...]
    below_minimum: tuple[str, ...]

    @property
    def labels(self) -> pd.Series:
        return pd.Series(pd.Categorical.from_codes(self.codes, categories=list(self.names)),
                         name="stratum")

    def populations(self) -> pd.Series:
        counts = np.bincount(self.codes, minlength=len(self.names))
        return pd.Series(counts, index=pd.Index(self.names, name="stratum"), name="population")

    def report(self) -> list[str]:
        lines = [f"within {m.within}: merged {' + '.join(m.merged)} -> {m.into} "
                 f"(population {m.population})" for m in self.merges]
        lines += [f"stratum {label} stays below the minimum size" for label in self.below_minimum]
        return lines


def sector_group_of(sections: pd.Series | np.ndarray, groups: Mapping[str, Sequence[str]]
                    ) -> np.ndarray:
    """Sector group of each SIC section; StrataError when a section has no group."""
    lookup = {section: group for group, members in groups.items() for section in members}
    codes, uniques = pd.factorize(np.asarray(sections, dtype=object))
    missing = sorted(str(u) for u in uniques if u not in lookup)
    if missing:
        raise StrataError(f"sector grouping has no group for section(s) {', '.join(missing)}")
    return np.array([lookup[u] for u in uniques], dtype=object)[codes]


def build_strata(frame: pd.DataFrame, spec: StrataSpec | None = None) -> Strata:
    """Assign every business of a clean frame to a stratum; collapse tiny strata."""
    spec = spec or StrataSpec()
    cell_index, cells, counts = _cells(frame, spec)
    segments = _collapse(cells, counts, spec)
    label_of = {cell: seg.label(spec.dimensions) for seg in segments.items for cell in seg.cells}
    names = sorted(set(label_of.values()))
    number = {name: i for i, name in enumerate(names)}
    cell_code = np.array([number[label_of[cell]] for cell in cells], dtype=np.int64)
    below = tuple(sorted(seg.label(spec.dimensions) for seg in segments.items
                         if seg.count < spec.min_stratum_size))
    return Strata(cell_code[cell_index], tuple(names), tuple(segments.merges), below)


def _cells(frame: pd.DataFrame, spec: StrataSpec) -> tuple[np.ndarray, list[tuple], np.ndarray]:
    """Index of each business's cell, the cells (tuples of values), their populations."""
    combined = np.zeros(len(frame), dtype=np.int64)
    uniques_by_dim = []
    for dim in spec.dimensions:
        if dim == "sector_group":
            values = sector_group_of(frame["sector"], spec.sector_groups)
        elif dim == "size_band":
            values = pd.Categorical(frame[dim], categories=list(SIZE_BANDS))
            if values.isna().any():
                raise StrataError(f"size_band values must be among {list(SIZE_BANDS)}")
        else:
            values = frame[dim]
        codes, uniques = pd.factorize(values)
        if (codes < 0).any():
            raise StrataError(f"the frame has businesses with no {dim}")
        combined = combined * len(uniques) + codes
        uniques_by_dim.append([str(u) for u in uniques])
    keys, cell_index, counts = np.unique(combined, return_inverse=True, return_counts=True)
    cells = []
    for key in keys:
        parts = []
        for uniques in reversed(uniques_by_dim):
            key, code = divmod(int(key), len(uniques))
            parts.append(uniques[code])
        cells.append(tuple(reversed(parts)))
    return cell_index.reshape(-1), cells, counts


@dataclass
class _Segment:
    cells: list[tuple]
    count: int
    parts: tuple[str, ...] = ()

    def values(self, position: int) -> list[str]:
        return list(dict.fromkeys(cell[position] for cell in self.cells))

    def label(self, dimensions: Sequence[str]) -> str:
        """'v1/v2|w|x' when the cells are a full cross of their values, else the parts'
        labels joined by ' & ' (so a label never claims cells the stratum lacks)."""
        value_sets = [self.values(position) for position in range(len(dimensions))]
        if self.parts and len(self.cells) != int(np.prod([len(v) for v in value_sets])):
            return " & ".join(self.parts)
        parts = []
        for dim, values in zip(dimensions, value_sets, strict=True):
            ranking = _ORDERED.get(dim)
            values.sort(key=(lambda v, r=ranking: r.index(v)) if ranking else None)
            parts.append("/".join(values))
        return "|".join(parts)


@dataclass
class _Segments:
    items: list[_Segment]
    merges: list[Merge] = field(default_factory=list)


def _collapse(cells: list[tuple], counts: np.ndarray, spec: StrataSpec) -> _Segments:
    dims = spec.dimensions
    pairs = sorted(zip(cells, counts, strict=True), key=lambda pair: _sort_key(pair[0], dims))
    segments = _Segments([_Segment([cell], int(n)) for cell, n in pairs])
    for level in range(len(dims) - 1, 0, -1):
        by_parent: dict[tuple, list[_Segment]] = {}
        for seg in segments.items:
            by_parent.setdefault(seg.cells[0][:level], []).append(seg)
        kept: list[_Segment] = []
        for parent, members in by_parent.items():
            within = "|".join(parent)
            kept += _merge_tiny(members, level, dims, spec.min_stratum_size, within,
                                segments.merges)
        segments.items = kept
    return segments


def _sort_key(cell: tuple, dims: Sequence[str]) -> tuple:
    return tuple((_ORDERED[d].index(v), v) if d in _ORDERED else (0, v)
                 for d, v in zip(dims, cell, strict=True))


def _merge_tiny(members: list[_Segment], level: int, dims: Sequence[str], minimum: int,
                within: str, merges: list[Merge]) -> list[_Segment]:
    ranking = _ORDERED.get(dims[level])
    if ranking:
        members.sort(key=lambda s: min(ranking.index(c[level]) for c in s.cells))
    while len(members) > 1:
        sizes = np.array([s.count for s in members])
        smallest = int(np.argmin(sizes))
        if sizes[smallest] >= minimum:
            break
        partner = _partner(members, smallest, ordered=ranking is not None)
        first, second = sorted((smallest, partner))
        names = (members[first].label(dims), members[second].label(dims))
        merged = _Segment(members[first].cells + members[second].cells,
                          members[first].count + members[second].count, names)
        merges.append(Merge(within, names, merged.label(dims), merged.count))
        members[first:second + 1] = [merged, *members[first + 1:second]]
    return members


def _partner(members: list[_Segment], index: int, *, ordered: bool) -> int:
    if ordered:
        candidates = [i for i in (index - 1, index + 1) if 0 <= i < len(members)]
    else:
        candidates = [i for i in range(len(members)) if i != index]
    return min(candidates, key=lambda i: (members[i].count, i))
