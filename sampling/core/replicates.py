"""Reserve replicates: the drawn sample split at random into batches that fieldwork releases.

A random subset of an SRSWOR sample is itself SRSWOR, so once some replicates are released
the inclusion probability of a released business is m_h / N_h, m_h being the number of
released businesses in its stratum.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from sampling.core.errors import SelectionError


def assign_replicates(strata: pd.Series, replicates: int, rng: np.random.Generator
                      ) -> np.ndarray:
    """Replicate number 1..R per selected business: within each stratum a random order dealt
    round-robin from a random starting replicate, so sizes differ by at most one within a
    stratum and stay near-equal overall."""
    if replicates < 1:
        raise SelectionError(f"replicates must be at least 1, got {replicates}")
    codes, uniques = pd.factorize(strata, sort=True)
    order = np.lexsort((rng.random(len(codes)), codes))
    sorted_codes = codes[order]
    starts = np.searchsorted(sorted_codes, np.arange(len(uniques)))
    rank = np.arange(len(codes)) - starts[sorted_codes]
    offset = rng.integers(0, replicates, len(uniques))
    result = np.empty(len(codes), dtype=np.int64)
    result[order] = (rank + offset[sorted_codes]) % replicates + 1
    return result


def released_sample(sample: pd.DataFrame, released: Iterable[int],
                    populations: pd.Series | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The released part of a sample with inclusion probabilities and weights recomputed.

    `sample` has columns stratum, replicate, and inclusion_probability or design_weight (as
    written by draw_sample). `populations` (N_h by stratum) defaults to n_h x design weight.
    Returns the released rows and the strata left with no released business (their
    populations are not represented until more replicates are released).
    """
    released = set(released)
    drawn = sample.groupby("stratum")["stratum"].transform("size")
    if populations is None:
        weight = sample.get("design_weight")
        if weight is None:
            weight = 1.0 / sample["inclusion_probability"]
        population = (drawn * weight).round().astype(np.int64)
    else:
        population = sample["stratum"].map(populations).astype(np.int64)
    is_released = sample["replicate"].isin(released)
    out = sample.loc[is_released].copy()
    m = out.groupby("stratum")["stratum"].transform("size")
    out["inclusion_probability"] = m / population[is_released]
    out["design_weight"] = population[is_released] / m
    missing = sorted(set(sample["stratum"]) - set(out["stratum"]))
    return out, missing
