"""Reading an area-level table (one row per domain) from CSV with the standard library.

Every error names the file, the row (the header is row 1, data rows 2, 3, ...) and the column.
A domain with no sample has both its direct estimate and its variance blank.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import SmallAreaError


@dataclass(frozen=True, eq=False)
class AreaTable:
    """Columns of an area-level table: labels, direct estimates and variances (NaN for no
    sample), numeric auxiliaries, factor labels, and other numeric columns asked for."""

    source: str
    domains: tuple[str, ...]
    rows: tuple[int, ...]
    direct: np.ndarray
    variance: np.ndarray
    numeric: dict[str, np.ndarray] = field(default_factory=dict)
    factors: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, np.ndarray] = field(default_factory=dict)


def read_area_table(path: str | Path, *, domain: str, estimate: str, variance: str,
                    aux: Sequence[str] = (), factors: Sequence[str] = (),
                    extra: Sequence[str] = ()) -> AreaTable:
    """Read and check the columns; ``extra`` columns must be numbers in every row."""
    source = str(path)
    header, records = _read_rows(Path(path), source)
    wanted = [domain, estimate, variance, *aux, *factors, *extra]
    for column in wanted:
        if column not in header:
            raise SmallAreaError(f"{source}: missing column {column!r} "
                                 f"(columns are: {', '.join(header)})")
    index = {name: header.index(name) for name in wanted}
    if not records:
        raise SmallAreaError(f"{source}: no data rows")

    labels: list[str] = []
    seen: dict[str, int] = {}
    rows = [row for row, _ in records]
    for row, values in records:
        label = values[index[domain]]
        if label == "":
            raise SmallAreaError(f"{source}: row {row}, column {domain!r}: domain is blank")
        if label in seen:
            raise SmallAreaError(f"{source}: row {row}, column {domain!r}: domain {label!r} "
                                 f"repeats row {seen[label]}")
        seen[label] = row
        labels.append(label)

    direct = _numbers(records, index[estimate], estimate, source, blank_ok=True)
    var = _numbers(records, index[variance], variance, source, blank_ok=True)
    for i, row in enumerate(rows):
        if np.isnan(direct[i]) != np.isnan(var[i]):
            given, blank = (estimate, variance) if np.isnan(var[i]) else (variance, estimate)
            raise SmallAreaError(f"{source}: row {row}, column {blank!r}: blank while "
                                 f"{given!r} is given (leave both blank for a domain with no "
                                 "sample)")
        if var[i] <= 0:
            raise SmallAreaError(f"{source}: row {row}, column {variance!r}: variance "
                                 f"{records[i][1][index[variance]]!r} must be > 0")
    numeric = {name: _numbers(records, index[name], name, source, blank_ok=False)
               for name in aux}
    factor_labels: dict[str, list[str]] = {}
    for name in factors:
        column = [values[index[name]] for _, values in records]
        for row, value in zip(rows, column, strict=True):
            if value == "":
                raise SmallAreaError(f"{source}: row {row}, column {name!r}: factor value is "
                                     "missing (auxiliaries need a value in every domain)")
        factor_labels[name] = column
    others = {name: _numbers(records, index[name], name, source, blank_ok=False)
              for name in extra}
    return AreaTable(source=source, domains=tuple(labels), rows=tuple(rows), direct=direct,
                     variance=var, numeric=numeric, factors=factor_labels, extra=others)


def _read_rows(path: Path, source: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not path.is_file():
        raise SmallAreaError(f"{source}: file not found")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, strict=True)
            header = [name.strip() for name in next(reader, [])]
            if not any(header):
                raise SmallAreaError(f"{source}: empty file (no header row)")
            records = []
            for row, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                if len(values) != len(header):
                    raise SmallAreaError(f"{source}: row {row} has {len(values)} fields; the "
                                         f"header has {len(header)}")
                records.append((row, [v.strip() for v in values]))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SmallAreaError(f"{source}: cannot read as CSV ({exc})") from exc
    return header, records


def _numbers(records: list[tuple[int, list[str]]], position: int, column: str, source: str,
             *, blank_ok: bool) -> np.ndarray:
    out = np.empty(len(records))
    for i, (row, values) in enumerate(records):
        text = values[position]
        if text == "" or text.upper() in ("NA", "NAN"):
            if not blank_ok:
                raise SmallAreaError(f"{source}: row {row}, column {column!r}: value is missing "
                                     "(auxiliaries need a value in every domain)")
            out[i] = math.nan
            continue
        try:
            value = float(text)
        except ValueError:
            raise SmallAreaError(f"{source}: row {row}, column {column!r}: value {text!r} is "
                                 "not a number") from None
        if not math.isfinite(value):
            raise SmallAreaError(f"{source}: row {row}, column {column!r}: value {text!r} is "
                                 "not finite")
        out[i] = value
    return out
