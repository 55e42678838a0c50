"""What a sample design would give, before it is stored: the allocation by borough, sector
group and size band, against the frame (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sampling.data.boroughs import BOROUGHS
from sampling.data.sectors import DEFAULT_SECTOR_GROUPS, SECTOR_GROUP_LABELS, SIZE_BANDS

_GROUP_OF_SECTION = {section: group for group, sections in DEFAULT_SECTOR_GROUPS.items()
                     for section in sections}
PREVIEW_COLUMNS = ("key", "label", "businesses", "sampled", "sampled_per_1000", "share_of_sample")


@dataclass(frozen=True)
class AllocationPreview:
    """The sample a design would draw, summarised: its size, its strata, and the tables by
    borough, sector group and size band (PREVIEW_COLUMNS each)."""

    n: int
    strata: int
    by_borough: pd.DataFrame
    by_sector: pd.DataFrame
    by_size_band: pd.DataFrame


def allocation_preview(frame: pd.DataFrame, sample: pd.DataFrame, strata: int
                       ) -> AllocationPreview:
    """`frame` and `sample` with columns borough, sector (SIC section) and size_band."""
    return AllocationPreview(
        n=len(sample), strata=strata,
        by_borough=_table(frame["borough"], sample["borough"], BOROUGHS, sorted(BOROUGHS)),
        by_sector=_table(frame["sector"].map(_GROUP_OF_SECTION).fillna(frame["sector"]),
                         sample["sector"].map(_GROUP_OF_SECTION).fillna(sample["sector"]),
                         SECTOR_GROUP_LABELS, list(DEFAULT_SECTOR_GROUPS)),
        by_size_band=_table(frame["size_band"].astype(str), sample["size_band"].astype(str),
                            {band: f"{band} employees" for band in SIZE_BANDS}, SIZE_BANDS),
    )


def _table(population: pd.Series, sampled: pd.Series, labels: dict[str, str],
           order: list[str] | tuple[str, ...]) -> pd.DataFrame:
    counts = pd.DataFrame({"businesses": population.value_counts(),
                           "sampled": sampled.value_counts()}).fillna(0).astype(int)
    keys = [k for k in order if k in counts.index] + sorted(set(counts.index) - set(order))
    counts = counts.loc[keys]
    total = max(int(counts["sampled"].sum()), 1)
    return pd.DataFrame({
        "key": keys,
        "label": [labels.get(k, k) for k in keys],
        "businesses": counts["businesses"].to_numpy(),
        "sampled": counts["sampled"].to_numpy(),
        "sampled_per_1000": (1000 * counts["sampled"] / counts["businesses"].clip(lower=1))
        .round(1).to_numpy(),
        "share_of_sample": (counts["sampled"] / total).round(4).to_numpy(),
    })
