"""Normalising frame fields: borough, SIC 2007 code, employees, postcode and phone."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from sampling.data.boroughs import BOROUGH_ALIASES, BOROUGHS
from sampling.data.sectors import SIZE_BAND_LOWER, SIZE_BANDS
from sampling.data.sic2007 import DIVISION_SECTION

_PREFIXES = ("the ", "london borough of ", "royal borough of ", "borough of ")
_SUFFIXES = (" london borough council", " borough council", " council", " lbc")


def borough_key(name: str) -> str:
    """Lower case, '&' -> 'and', punctuation dropped, council prefixes/suffixes removed."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = " ".join(text.split())
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


_BOROUGH_LOOKUP: dict[str, str] = {
    **{borough_key(name): code for code, name in BOROUGHS.items()},
    **{key: code for key, code in BOROUGH_ALIASES.items()},
    **{code.lower(): code for code in BOROUGHS},
}


def borough_code(value: str) -> str | None:
    """GSS code of a borough given as code or name, or None when it is not a London borough."""
    return _BOROUGH_LOOKUP.get(borough_key(value))


def borough_codes(values: pd.Series) -> pd.Series:
    """Vectorised `borough_code` (looks each distinct value up once); None where unknown."""
    uniques = pd.unique(values)
    mapping = {value: borough_code(value) for value in uniques}
    return values.map(mapping)


_SIC_PATTERN = r"[0-9]{2}\.?[0-9]{2}(?:[./]?[0-9])?"


def sic_parts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(normalised 4/5-digit code, division) for each SIC text; NaN where the format is bad.

    Accepts 62012, 6201, 62.01, 62.012 and 62.01/2. A 4-digit code is a SIC class: codes of
    agriculture (01..03) must keep their leading zero.
    """
    text = values.str.strip()
    valid = text.str.fullmatch(_SIC_PATTERN).fillna(False).astype(bool)
    code = text.str.replace(r"[./]", "", regex=True).where(valid)
    division = pd.to_numeric(code.str[:2], errors="coerce")
    return code, division


def division_sections(divisions: pd.Series) -> pd.Series:
    """SIC section letter for each two-digit division; NaN for numbers that are not divisions."""
    return divisions.map(DIVISION_SECTION)


def parse_employees(values: pd.Series) -> pd.Series:
    """Whole numbers >= 0 as float (NaN where the value is not one)."""
    numbers = pd.to_numeric(values.str.strip().str.replace(",", "", regex=False),
                            errors="coerce")
    ok = numbers.notna() & (numbers >= 0) & (np.floor(numbers) == numbers)
    return numbers.where(ok)


def size_bands(employees: pd.Series | np.ndarray) -> pd.Categorical:
    """Size band label (0-9, 10-49, 50-249, 250+) for each employee count."""
    index = np.searchsorted(np.asarray(SIZE_BAND_LOWER), np.asarray(employees), side="right") - 1
    return pd.Categorical.from_codes(index, categories=list(SIZE_BANDS), ordered=True)


# Royal Mail format: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(
    r"^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2}$"
)


def normalise_postcodes(values: pd.Series) -> pd.Series:
    """Canonical 'OUTWARD INWARD' upper-case postcode, NaN where the format is not valid."""
    compact = values.str.upper().str.replace(r"[ \t]+", "", regex=True)
    spaced = compact.str[:-3] + " " + compact.str[-3:]
    valid = spaced.str.fullmatch(_POSTCODE.pattern[1:-1]).fillna(False).astype(bool)
    return spaced.where(valid)


def normalise_phones(values: pd.Series) -> pd.Series:
    """Digits only with a leading 0 (+44 turned into 0), NaN where not a UK number."""
    digits = values.str.replace(r"[ \t\-().]", "", regex=True)
    digits = digits.str.replace(r"^(?:\+44|0044)0?", "0", regex=True)
    valid = digits.str.fullmatch(r"0[0-9]{9,10}").fillna(False).astype(bool)
    return digits.where(valid)
