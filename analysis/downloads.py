"""The analyst's estimate tables as CSV and XLSX downloads (pure): every text cell through
the one formula-safety function (bas.cells.safe_cell)."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from bas.cells import safe_cell, safe_row

from .selectors import ESTIMATE_COLUMNS

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def estimates_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(safe_row(label for _, label in ESTIMATE_COLUMNS))
    for row in rows:
        writer.writerow(safe_row("" if row[key] is None else row[key]
                                 for key, _ in ESTIMATE_COLUMNS))
    return buffer.getvalue().encode("utf-8")


def estimates_xlsx(rows: list[dict], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Estimates"
    sheet["A1"] = safe_cell(title)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    sheet.append(safe_row(label for _, label in ESTIMATE_COLUMNS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row[key] for key, _ in ESTIMATE_COLUMNS))
        for column, (key, _) in enumerate(ESTIMATE_COLUMNS, start=1):
            if key in ("estimate", "ci_low", "ci_high") and row[key] is not None:
                sheet.cell(sheet.max_row, column).number_format = "0.0%"
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
