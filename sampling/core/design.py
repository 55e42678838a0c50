"""Drawing a sample from a clean frame: strata, allocation, PRN selection, replicates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sampling.core.allocation import allocate, neyman_weights
from sampling.core.errors import AllocationError, SelectionError
from sampling.core.replicates import assign_replicates
from sampling.core.selection import permanent_random_numbers, select_by_prn
from sampling.core.strata import Strata, StrataSpec, build_strata
from sampling.data.sectors import SIZE_BANDS

ALLOCATIONS: tuple[str, ...] = ("proportional", "neyman", "compromise")
DEFAULT_MIN_PER_BOROUGH = 40
DEFAULT_SIZE_BAND_FACTORS: Mapping[str, float] = {"50-249": 1.5, "250+": 3.0}
SAMPLE_COLUMNS: tuple[str, ...] = (
    "reference", "borough", "sector", "size_band", "stratum", "inclusion_probability",
    "design_weight", "replicate",
)


@dataclass(frozen=True)
class SampleDesign:
    """Everything that determines a draw. `min_per_borough` None means 40 for the compromise
    allocation and none otherwise; `size_band_factors` (compromise) multiply the weight of
    businesses in those bands; Neyman's p is `anticipated_proportion`, overridden per size band
    and then per stratum label."""

    n: int
    allocation: str = "proportional"
    strata: StrataSpec = field(default_factory=StrataSpec)
    seed: int = 0
    min_per_stratum: int | None = None
    min_per_borough: int | None = None
    anticipated_proportion: float = 0.5
    size_band_proportions: Mapping[str, float] | None = None
    stratum_proportions: Mapping[str, float] | None = None
    size_band_factors: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_SIZE_BAND_FACTORS))
    prn_shift: float = 0.0
    replicates: int = 1
    exclude: frozenset[str] = frozenset()
    panel: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.allocation not in ALLOCATIONS:
            raise AllocationError(f"allocation must be one of {', '.join(ALLOCATIONS)}, "
                                  f"got '{self.allocation}'")

    def borough_minimum(self) -> int:
        if self.min_per_borough is not None:
            return self.min_per_borough
        return DEFAULT_MIN_PER_BOROUGH if self.allocation == "compromise" else 0


@dataclass(frozen=True)
class SampleResult:
    """The selected businesses (SAMPLE_COLUMNS plus prn), the allocation table per stratum
    and the strata (with their collapse report)."""

    sample: pd.DataFrame
    allocation: pd.DataFrame
    strata: Strata


def draw_sample(frame: pd.DataFrame, design: SampleDesign) -> SampleResult:
    """Stratify, allocate design.n and select by PRN. The frame is a clean frame (columns
    reference, borough, sector, size_band, ...) as returned by load_frame."""
    strata = build_strata(frame, design.strata)
    codes, labels = strata.codes, pd.Index(strata.names)
    populations = np.bincount(codes, minlength=len(labels))
    references = frame["reference"]
    excluded = references.isin(design.exclude).to_numpy()
    panel = references.isin(design.panel).to_numpy()
    excluded = excluded & ~panel
    eligible = populations - np.bincount(codes, weights=excluded, minlength=len(labels)).astype(
        np.int64)
    if np.any(eligible == 0):
        empty = [labels[i] for i in np.flatnonzero(eligible == 0)]
        raise SelectionError(f"every business is excluded in stratum(s) {', '.join(empty)}")

    weights = _stratum_weights(frame, codes, labels, populations, design)
    groups, group_minimum = _borough_groups(frame, codes, len(labels), design)
    sizes = allocate(populations, design.n, weights, minimum=design.min_per_stratum,
                     capacity=eligible, groups=groups, group_minimum=group_minimum)

    prn = permanent_random_numbers(references, design.seed)
    chosen = select_by_prn(codes, sizes, prn, shift=design.prn_shift, excluded=excluded,
                           panel=panel)
    sample = _sample_table(frame, labels, codes, chosen, prn, sizes, populations)
    rng = np.random.default_rng([design.seed, 1])
    sample["replicate"] = assign_replicates(sample["stratum"], design.replicates, rng)
    selected = np.bincount(codes[chosen], minlength=len(labels))
    table = pd.DataFrame({
        "stratum": np.asarray(labels), "population": populations, "eligible": eligible,
        "allocated": sizes, "selected": selected,
        "inclusion_probability": sizes / populations,
    })
    return SampleResult(sample, table, strata)


def _stratum_weights(frame: pd.DataFrame, codes: np.ndarray, labels: pd.Index,
                     populations: np.ndarray, design: SampleDesign) -> np.ndarray:
    if design.allocation == "proportional":
        return populations.astype(float)
    band = pd.Categorical(frame["size_band"], categories=list(SIZE_BANDS)).codes
    if design.allocation == "compromise":
        factors = np.array([design.size_band_factors.get(b, 1.0) for b in SIZE_BANDS])
        return np.bincount(codes, weights=factors[band], minlength=len(labels))
    by_band = dict(design.size_band_proportions or {})
    p_band = np.array([by_band.get(b, design.anticipated_proportion) for b in SIZE_BANDS])
    p = np.bincount(codes, weights=p_band[band], minlength=len(labels)) / populations
    for label, value in (design.stratum_proportions or {}).items():
        position = labels.get_indexer([label])[0]
        if position < 0:
            raise AllocationError(f"anticipated proportion given for unknown stratum '{label}'")
        p[position] = value
    return neyman_weights(populations, p)


def _borough_groups(frame: pd.DataFrame, codes: np.ndarray, strata: int, design: SampleDesign
                    ) -> tuple[np.ndarray | None, int]:
    minimum = design.borough_minimum()
    if minimum <= 0:
        return None, 0
    if "borough" not in design.strata.dimensions:
        raise AllocationError("a minimum per borough needs 'borough' among the strata dimensions")
    per_stratum = pd.Series(frame["borough"].to_numpy()).groupby(codes)
    if per_stratum.nunique().max() > 1:
        raise AllocationError("a minimum per borough needs strata within boroughs; put "
                              "'borough' first among the strata dimensions")
    return per_stratum.first().reindex(range(strata)).to_numpy(), minimum


def _sample_table(frame: pd.DataFrame, labels: pd.Index, codes: np.ndarray,
                  chosen: np.ndarray, prn: np.ndarray, sizes: np.ndarray,
                  populations: np.ndarray) -> pd.DataFrame:
    rows = np.flatnonzero(chosen)
    picked = codes[rows]
    part = frame.iloc[rows]
    sample = pd.DataFrame({
        "reference": part["reference"].to_numpy(),
        "borough": part["borough"].to_numpy(),
        "sector": part["sector"].to_numpy(),
        "size_band": part["size_band"].astype(str).to_numpy(),
        "stratum": labels.to_numpy()[picked],
        "inclusion_probability": sizes[picked] / populations[picked],
        "design_weight": populations[picked] / sizes[picked],
        "prn": prn[rows],
    })
    return sample.sort_values(["stratum", "reference"], ignore_index=True)
