"""CSV files shipped with a workbook: choices for select_one_from_file, tables for pulldata()."""

from __future__ import annotations

import csv
import io

from .definition import Choice

MAX_TABLE_ROWS = 20_000
MAX_TABLE_BYTES = 5_000_000


def read_csv_table(data: bytes) -> tuple[list[dict[str, str]], str]:
    """Rows of a CSV (first row the header) as dicts of text; or why it cannot be read."""
    if len(data) > MAX_TABLE_BYTES:
        return [], f"larger than {MAX_TABLE_BYTES // 1_000_000} MB"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], "not UTF-8 text"
    try:
        reader = csv.reader(io.StringIO(text))
        header = [h.strip() for h in next(reader, [])]
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_TABLE_ROWS:
                return [], f"more than {MAX_TABLE_ROWS} rows"
            rows.append({h: v.strip() for h, v in zip(header, values, strict=False) if h})
    except csv.Error as exc:
        return [], f"not a readable CSV ({exc})"
    return rows, ""


def table_choices(rows: list[dict[str, str]], value_column: str, label_column: str,
                  default_language: str) -> tuple[list[Choice], str]:
    """Choices from a table: names from ``value_column``, labels from ``label_column`` (or
    ``label::Language`` columns)."""
    if rows and value_column not in rows[0]:
        return [], f"no '{value_column}' column"
    choices: list[Choice] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        name = row.get(value_column, "")
        if not name or name in seen:
            continue
        seen.add(name)
        label = {default_language: row[label_column]} if row.get(label_column) else {}
        for key, text in row.items():
            if key.lower().startswith(label_column.lower() + "::") and text:
                label[key.split("::", 1)[1]] = text
        extra = {k: v for k, v in row.items()
                 if k not in (value_column, label_column) and "::" not in k and v}
        choices.append(Choice(name, label or {default_language: name}, extra, number))
    return choices, ""
