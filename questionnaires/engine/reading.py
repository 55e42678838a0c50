"""The state shared while reading a workbook: its sheets, the problems found, and the column
headers as written (so a problem names the column as the author wrote it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from .columns import Column
from .definition import Item, Settings
from .errors import Problem, problem
from .workbook import Row, Sheet

TRUE = {"yes", "true", "1", "true()"}
FALSE = {"no", "false", "0", "false()"}
READ_SHEETS = ("survey", "choices", "settings", "external_choices")


class Reader:
    """What every sheet's reader shares; the readers are mixed into the loader's builder."""

    def __init__(self, sheets: dict[str, Sheet], files: dict[str, bytes],
                 folder: Path | None) -> None:
        self.sheets = sheets
        self.files = files
        self.folder = folder
        self.problems: list[Problem] = []
        self.choice_columns: dict[str, set[str]] = {}
        self.settings = Settings()
        self.written: dict[str, dict[str, str]] = {}  # sheet title -> key -> header
        self.used_sheets: set[str] = set(READ_SHEETS)
        self.used_files: set[str] = set()  # files given with the workbook that a row reads
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.too_deep = False
        self.skipped: set[str] = set()  # names of rows not read (their type is reported)

    def sheet_title(self, key: str) -> str:
        return self.sheets[key].name if key in self.sheets else key

    def add(self, code: str, sheet: str, row: int | None = None, column: str = "",
            **fields: object) -> None:
        self.problems.append(problem(code, sheet=self.sheet_title(sheet) if sheet else "",
                                     row=row, column=column, **fields))

    def written_column(self, p: Problem) -> Problem:
        """Name the column as the workbook writes it (``Relevance``, not ``relevant``)."""
        header = self.written.get(p.sheet, {}).get(p.column)
        return dataclasses.replace(p, column=header) if header and header != p.column else p

    # columns ----------------------------------------------------------------------------
    def key_sheet(self, key: str, classify) -> list[Column]:
        sheet = self.sheets[key]
        columns = [classify(h) if h else Column(h, "", "blank") for h in sheet.headers]
        first: dict[str, str] = {}
        keys: list[str] = []
        for index, column in enumerate(columns):
            filled = sheet.filled(index)
            if column.kind == "blank":
                if filled:
                    self.add("unknown_column", key, 1, f"column {index + 1}",
                             value=f"(no header, column {index + 1})")
            elif column.key and column.key in first:
                self.add("duplicate_column", key, 1, column.header, value=column.header,
                         first=first[column.key])
                keys.append("")
                continue
            elif column.kind == "no_effect" and filled:
                code = "no_effect_setting" if key == "settings" else "no_effect_column"
                self.add(code, key, 1, column.header, value=column.header)
            elif column.kind == "unknown" and filled:
                code = "unknown_setting" if key == "settings" else "unknown_column"
                self.add(code, key, 1, column.header, value=column.header)
            if column.key:
                first[column.key] = column.header
            keys.append(column.key)
        sheet.key_columns(keys)
        self.written[sheet.name] = {k: c.header for k, c in zip(keys, columns, strict=True)
                                    if k}
        return columns



def iter_tree(item: Item) -> Iterator[Item]:
    stack = [item]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def texts_of(row: Row, column: str, settings: Settings) -> dict[str, str]:
    texts: dict[str, str] = {}
    for header, value in row.cells.items():
        if header == column:
            texts.setdefault(settings.default_language, value)
        elif header.startswith(column + "::"):
            texts[header.split("::", 1)[1]] = value
    return texts
