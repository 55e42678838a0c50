"""Stratified simple random sampling without replacement by permanent random numbers (PRN).

Each business gets a PRN in (0, 1) from a keyed hash of (seed, reference): the same business
keeps the same number in every wave as long as the seed is kept, whatever else changes in the
frame. Within a stratum the n_h businesses with the smallest (PRN + shift) mod 1 are selected:
a uniform random subset of size n_h, i.e. SRSWOR. Moving the shift between waves rotates the
sample; businesses to avoid (e.g. interviewed in the last k waves) are skipped, and a panel
kept from a previous wave goes first.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from sampling.core.errors import SelectionError


def permanent_random_numbers(references: pd.Series, seed: int) -> np.ndarray:
    """PRN in the open interval (0, 1) for each reference, reproducible from (seed, reference).

    Uses pandas' keyed SipHash (hash_pandas_object); the key is derived from the seed.
    """
    key = hashlib.blake2b(str(int(seed)).encode(), digest_size=8).hexdigest()
    hashed = pd.util.hash_pandas_object(references.astype(str), index=False, hash_key=key,
                                        categorize=False).to_numpy(dtype=np.uint64)
    return ((hashed >> np.uint64(11)).astype(np.float64) + 0.5) / 2.0**53


def select_by_prn(codes: np.ndarray, sizes: np.ndarray, prn: np.ndarray, *, shift: float = 0.0,
                  excluded: np.ndarray | None = None, panel: np.ndarray | None = None,
                  ) -> np.ndarray:
    """Boolean mask of selected units.

    codes: stratum number 0..H-1 of each unit; sizes: n_h for each stratum number;
    prn: each unit's PRN; excluded / panel: boolean masks (a panel unit is never excluded).
    """
    if not 0.0 <= shift < 1.0:
        raise SelectionError(f"the PRN shift must be in [0, 1), got {shift}")
    key = np.mod(prn + shift, 1.0)
    if excluded is not None:
        key = np.where(excluded, np.inf, key)
    if panel is not None:
        key = np.where(panel, key - 1.0, key)
    order = _order_by_stratum_then_key(codes, key)
    sorted_codes = codes[order]
    starts = np.searchsorted(sorted_codes, np.arange(len(sizes)))
    rank = np.arange(len(codes)) - starts[sorted_codes]
    chosen_sorted = rank < sizes[sorted_codes]
    if np.isinf(key[order][chosen_sorted]).any():
        short = np.unique(sorted_codes[chosen_sorted & np.isinf(key[order])])
        raise SelectionError(f"stratum number(s) {short.tolist()} have fewer eligible "
                             "businesses than their allocation")
    selected = np.zeros(len(codes), dtype=bool)
    selected[order[chosen_sorted]] = True
    return selected


def _order_by_stratum_then_key(codes: np.ndarray, key: np.ndarray) -> np.ndarray:
    """np.lexsort((key, codes)), faster: sort by key, then a stable (radix) sort by stratum."""
    by_key = np.argsort(key)
    narrow = np.int16 if len(codes) == 0 or codes.max() < 2**15 else np.int64
    return by_key[np.argsort(codes.astype(narrow)[by_key], kind="stable")]
