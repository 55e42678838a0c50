"""Reading a respondent table from CSV and checking its columns, with errors that name the
file, row, column and value (used by the management commands and services)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import AnalysisError
from .grouping import as_label


def read_csv_table(path: str | Path) -> pd.DataFrame:
    """A CSV file as a DataFrame (header on line 1; data rows are lines 2, 3, ...)."""
    path = Path(path)
    if not path.is_file():
        raise AnalysisError(f"{path}: file not found")
    try:
        frame = pd.read_csv(path, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise AnalysisError(f"{path}: cannot read as CSV ({exc})")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def require_columns(frame: pd.DataFrame, columns: list[str], source: str) -> None:
    for column in columns:
        if column not in frame.columns:
            raise AnalysisError(f"{source}: missing column {column!r} "
                                f"(columns are: {', '.join(map(str, frame.columns))})")


def numeric_column(frame: pd.DataFrame, column: str, source: str) -> np.ndarray:
    """A column as floats (blank -> NaN); a value that is not a number is an error."""
    raw = frame[column]
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return raw.to_numpy(dtype=float, na_value=np.nan)
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise AnalysisError(f"{source}: row {i + 2}, column {column!r}: value {raw.iloc[i]!r} "
                            "is not a number")
    return values.to_numpy(dtype=float)


def weight_column(frame: pd.DataFrame, column: str, source: str) -> np.ndarray:
    """Weights: numbers, present, finite and not negative."""
    w = numeric_column(frame, column, source)
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        i = int(bad[0])
        raise AnalysisError(f"{source}: row {i + 2}, column {column!r}: weight "
                            f"{frame[column].iloc[i]!r} must be a finite number >= 0")
    return w


def parse_subset(text: str, frame: pd.DataFrame, source: str) -> np.ndarray:
    """'VAR=VALUE' -> boolean mask of rows whose VAR equals VALUE (compared as labels)."""
    variable, sep, value = text.partition("=")
    variable, value = variable.strip(), value.strip()
    if not sep or not variable or not value:
        raise AnalysisError(f"--subset {text!r}: expected VAR=VALUE")
    require_columns(frame, [variable], source)
    wanted = as_label(value)
    wanted = as_label(float(value)) if _is_number(value) else wanted
    labels = frame[variable].map(as_label)
    mask = (labels == wanted).fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        raise AnalysisError(f"{source}: --subset {text!r}: no row has {variable} = {value!r}")
    return mask


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
