"""Build small workbooks in memory from tables of rows, as pyxform's tests do."""

from __future__ import annotations

import io

from openpyxl import Workbook

from questionnaires.engine import Definition, load_workbook

Table = list[list[object]]


def build_xlsx(survey: Table | None, choices: Table | None = None,
               settings: Table | None = None, extra: dict[str, Table] | None = None) -> bytes:
    """An .xlsx as bytes; each table's first row is its header. None leaves a sheet out."""
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {"survey": survey, "choices": choices, "settings": settings, **(extra or {})}
    for name, rows in sheets.items():
        if rows is None:
            continue
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    if not wb.worksheets:
        wb.create_sheet("other")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


YES_NO = [["list_name", "name", "label"], ["yn", "1", "Yes"], ["yn", "2", "No"]]


def form(*rows: list[object], header: list[str] | None = None,
         choices: Table | None = None, settings: Table | None = None) -> Definition:
    """Load a form from survey rows (default header: type, name, label, relevant, ...)."""
    head = header or ["type", "name", "label", "relevant", "constraint", "calculation",
                      "required", "dont_know", "refused", "repeat_count", "choice_filter"]
    data = build_xlsx([head, *[list(r) for r in rows]], choices or YES_NO, settings)
    return load_workbook(data, "test.xlsx")
