"""Formula-injection safety for text written to CSV and spreadsheet cells (pure): the one
function every CSV and XLSX writer a person's text reaches goes through, on the ground floor
so that every app can use it.

A spreadsheet treats a cell whose text starts with = + - @ (or a tab or carriage return
before one) as a formula; prefixing such text with an apostrophe makes it plain text
(the OWASP "CSV injection" advice). Numbers, booleans, dates and None are left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value, with text that could start a formula made inert by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(v) for v in values]


def safe_record(record: Mapping[str, object]) -> dict[str, object]:
    return {key: safe_cell(value) for key, value in record.items()}
