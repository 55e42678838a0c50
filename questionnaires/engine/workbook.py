"""Read the raw rows of an .xlsx workbook (openpyxl, read-only) as text cells.

Only rows that hold a value count towards ``MAX_ROWS`` (Excel keeps blank formatted rows).
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import Problem, problem

MAX_ROWS = 20_000
MAX_COLUMNS = 200

Source = str | Path | bytes | BinaryIO


@dataclass
class Row:
    number: int  # as Excel numbers it: the header is row 1
    cells: dict[str, str]  # column key -> text (blank cells left out)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Sheet:
    """A sheet as written: its header texts and the rows that hold a value."""

    name: str
    headers: list[str] = field(default_factory=list)  # as written, stripped
    raw: list[tuple[int, list[str]]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)  # keyed by ``key_columns``
    keys: list[str] = field(default_factory=list)

    def key_columns(self, keys: list[str]) -> None:
        """Key every row's cells by ``keys`` (one per header; '' leaves a column out)."""
        self.keys = keys
        self.rows = [Row(number, {k: t for k, t in zip(keys, texts, strict=False) if k and t})
                     for number, texts in self.raw]

    def filled(self, index: int) -> bool:
        """Whether any row holds a value in column ``index``."""
        return any(index < len(texts) and texts[index] for _, texts in self.raw)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def read_workbook(source: Source, filename: str = "") -> tuple[dict[str, Sheet], list[Problem]]:
    """Every sheet by lower-case name, or a file-level problem."""
    from openpyxl import load_workbook as open_xlsx

    if isinstance(source, str | Path) and not Path(source).is_file():
        return {}, [problem("file_not_found", path=str(source))]
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    with warnings.catch_warnings():  # openpyxl warns of Excel extensions it drops
        warnings.simplefilter("ignore")
        try:
            book = open_xlsx(stream, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises assorted errors on malformed files
            return {}, [problem("not_xlsx", detail=_detail(exc, filename))]
        try:
            return _read_sheets(book)
        finally:
            book.close()


def _detail(exc: Exception, filename: str) -> str:
    text = str(exc) or type(exc).__name__
    if filename and not filename.lower().endswith((".xlsx", ".xlsm")):
        text = f"{filename!r} is not an .xlsx file ({text})"
    return text


def _read_sheets(book) -> tuple[dict[str, Sheet], list[Problem]]:
    sheets: dict[str, Sheet] = {}
    problems: list[Problem] = []
    for ws in book.worksheets:
        name = ws.title.strip().lower()
        if name in sheets:
            continue
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # trust the cells, not a possibly wrong stored dimension
        sheet = Sheet(ws.title)
        wide = False
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if len(values) > MAX_COLUMNS and not wide and any(
                    v not in (None, "") for v in values[MAX_COLUMNS:]):
                wide = True
                problems.append(problem("too_many_columns", sheet=ws.title, row=number,
                                        limit=MAX_COLUMNS))
            if number == 1:
                sheet.headers = [cell_text(v) for v in values[:MAX_COLUMNS]]
                continue
            if all(v is None or v == "" for v in values):
                continue  # blank (perhaps formatted) rows do not count
            if len(sheet.raw) >= MAX_ROWS:
                problems.append(problem("too_many_rows", sheet=ws.title, limit=MAX_ROWS))
                break
            texts = [cell_text(v) for v in values[:MAX_COLUMNS]]
            if any(texts):
                sheet.raw.append((number, texts))
        sheets[name] = sheet
    return sheets, problems
