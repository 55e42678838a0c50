"""Domains (R's svyby groups and subset()): codes over the whole sample, -1 outside."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import EstimationError
from .grouping import factor_codes


@dataclass(frozen=True)
class Domains:
    """One code per row (-1: in no domain) and a label per code; `by` names the variable."""

    by: str
    codes: np.ndarray
    labels: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.labels)


def whole_population(n: int, within: np.ndarray | None = None) -> Domains:
    """The whole population (or the subpopulation `within`) as a single domain."""
    codes = np.zeros(n, dtype=np.int64)
    if within is not None:
        codes[~np.asarray(within, dtype=bool)] = -1
    return Domains("", codes, ("",))


def domains_by(values: object, by: str, within: np.ndarray | None = None) -> Domains:
    """Domains from the values of one variable; rows with a missing value are in none."""
    codes, labels = factor_codes(values)
    if within is not None:
        codes = np.where(np.asarray(within, dtype=bool), codes, -1)
    return Domains(by, codes, tuple(labels))


def domains_cross(columns: dict[str, object], within: np.ndarray | None = None) -> Domains:
    """Domains crossing several variables (R's svyby(~a+b)); labels joined with '.'."""
    if not columns:
        raise EstimationError("domains_cross needs at least one variable")
    parts = [factor_codes(values) for values in columns.values()]
    n = parts[0][0].shape[0]
    combined = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    for codes, labels in parts:
        combined = combined * len(labels) + np.maximum(codes, 0)
        missing |= codes < 0
    if within is not None:
        missing |= ~np.asarray(within, dtype=bool)
    present, codes = np.unique(combined[~missing], return_inverse=True)
    out = np.full(n, -1, dtype=np.int64)
    out[~missing] = codes
    return Domains("+".join(columns), out, tuple(_cross_label(p, parts) for p in present))


def _cross_label(code: int, parts: list[tuple[np.ndarray, list[str]]]) -> str:
    labels = []
    for _, names in reversed(parts):
        code, k = divmod(int(code), len(names))
        labels.append(names[k])
    return ".".join(reversed(labels))
