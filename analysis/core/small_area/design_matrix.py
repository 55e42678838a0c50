"""The fixed-effects design matrix, built as R's ``model.matrix`` builds it for ``y ~ x1 + f``.

An intercept column ``(Intercept)`` comes first, then the numeric auxiliaries in the order
given, then each factor expanded with treatment contrasts: one 0/1 column per level except the
first (the reference), named ``<factor><level>`` as R names them. Levels are sorted as R's
``factor()`` sorts them: numerically when every label is a number (so ``2`` < ``10``), else as
strings by code point (R's order in the C locale).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import SmallAreaError

INTERCEPT = "(Intercept)"


@dataclass(frozen=True, eq=False)
class DesignMatrix:
    """Rows are domains; ``names`` label the columns as R's model.matrix does."""

    values: np.ndarray
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        values = np.array(self.values, dtype=float)  # a copy: the caller's array stays writable
        if values.ndim != 2 or values.shape[1] != len(self.names):
            raise SmallAreaError(f"design matrix of shape {values.shape} for "
                                 f"{len(self.names)} column names")
        values.setflags(write=False)
        object.__setattr__(self, "values", values)


def factor_levels(labels: Sequence[str]) -> list[str]:
    """Distinct labels in R's factor() order: numeric when all parse as numbers."""
    distinct = set(labels)
    try:
        numbers = {label: float(label) for label in distinct}
    except ValueError:
        return sorted(distinct)
    if not all(math.isfinite(v) for v in numbers.values()):
        return sorted(distinct)
    return sorted(distinct, key=lambda label: (numbers[label], label))


def model_matrix(numeric: Mapping[str, Sequence[float]],
                 factors: Mapping[str, Sequence[str]],
                 *, n_rows: int, intercept: bool = True) -> DesignMatrix:
    """Intercept, numeric columns, then factors in treatment contrasts (first level dropped).

    Missing values are errors: a numeric NaN or a factor label that is None or blank.
    """
    columns: list[np.ndarray] = []
    names: list[str] = []
    if intercept:
        columns.append(np.ones(n_rows))
        names.append(INTERCEPT)
    for name, values in numeric.items():
        column = np.asarray(values, dtype=float)
        _check_length(name, column.shape[0], n_rows)
        # a finite sum means every value is finite (one that overflows is checked in full)
        if not math.isfinite(np.add.reduce(column)) and not np.isfinite(column).all():
            missing = np.flatnonzero(~np.isfinite(column))
            raise SmallAreaError(f"domain {int(missing[0]) + 1}, auxiliary {name!r}: "
                                 f"value {float(column[missing[0]])!r} is missing or not finite")
        columns.append(column)
        names.append(name)
    coded_factor = False
    for name, labels in factors.items():
        labels = list(labels)
        _check_length(name, len(labels), n_rows)
        for i, label in enumerate(labels):
            if label is None or str(label).strip() == "":
                raise SmallAreaError(f"domain {i + 1}, factor {name!r}: value is missing")
        labels = [str(label).strip() for label in labels]
        levels = factor_levels(labels)
        # Without an intercept R codes the first factor with every level, later ones in contrasts.
        kept = levels if not (intercept or coded_factor) else levels[1:]
        coded_factor = True
        as_array = np.asarray(labels, dtype=object)
        for level in kept:
            columns.append((as_array == level).astype(float))
            names.append(f"{name}{level}")
    if not columns:
        raise SmallAreaError("the model has no fixed effects: give an intercept or auxiliaries")
    values = np.empty((n_rows, len(columns)))
    for j, column in enumerate(columns):
        values[:, j] = column
    return DesignMatrix(values, tuple(names))


def _check_length(name: str, length: int, n_rows: int) -> None:
    if length != n_rows:
        raise SmallAreaError(f"auxiliary {name!r} has {length} values for {n_rows} domains")
