"""Grouped sums and factor codes: the vectorised building blocks (cost linear in n)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from scipy import sparse

_INTEGER_WITH_ZERO_DECIMALS = re.compile(r"^-?\d+\.0+$")


def factor_codes(values: object) -> tuple[np.ndarray, list[str]]:
    """Integer codes 0..k-1 (labels in natural order, -1 for missing) and the labels.

    Values are compared as labels: strings stripped, 1, 1.0 and "1" the same category. Only
    the distinct values are turned into labels, so the cost is one hash pass over n (a
    pandas Series is factorised as it is, without copying it to Python objects)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    raw_codes, uniques = pd.factorize(series, use_na_sentinel=True)
    unique_labels = [as_label(u) for u in uniques]
    labels = sorted({lab for lab in unique_labels if lab is not pd.NA}, key=_sort_key)
    position = {lab: i for i, lab in enumerate(labels)}
    remap = np.array([position.get(lab, -1) if lab is not pd.NA else -1
                      for lab in unique_labels] + [-1], dtype=np.int64)
    return remap[raw_codes], labels


def _sort_key(label: str) -> tuple[int, float, str]:
    """Numbers in numeric order first, then text in alphabetical order."""
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


def as_label(value: object) -> object:
    """A value as a category label: strings stripped, 1.0 written as 1, missing kept as NA."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return pd.NA
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    text = str(value).strip()
    if _INTEGER_WITH_ZERO_DECIMALS.match(text):
        text = text.split(".")[0]
    return text if text else pd.NA


def group_sum(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of values (1-D or n x k) within each group code 0..n_groups-1."""
    if values.ndim == 1:
        return np.bincount(codes, weights=values, minlength=n_groups)
    return indicator(codes, n_groups) @ values


def indicator(codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """Sparse n_groups x n matrix with a 1 at (code_i, i)."""
    n = codes.shape[0]
    return sparse.csr_matrix(
        (np.ones(n), (codes, np.arange(n))), shape=(n_groups, n)
    )


def one_hot(codes: np.ndarray, n_groups: int) -> sparse.csr_matrix:
    """Sparse n x n_groups dummy matrix (rows with code -1 are all zero)."""
    keep = codes >= 0
    rows = np.flatnonzero(keep)
    return sparse.csr_matrix(
        (np.ones(rows.size), (rows, codes[keep])), shape=(codes.shape[0], n_groups)
    )


def count_distinct_pairs(a: np.ndarray, b: np.ndarray, n_b: int) -> np.ndarray:
    """For each code of b, how many distinct values of a occur with it."""
    if a.size == 0:
        return np.zeros(n_b, dtype=np.int64)
    pairs = pd.unique(a.astype(np.int64) * n_b + b)
    return np.bincount(pairs % n_b, minlength=n_b)
