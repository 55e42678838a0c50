"""Importing a business frame from CSV or .xlsx: every bad row reported, all or nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bas.upload_limits import (
    FRAME_LIMITS,
    UploadLimits,
    UploadUnreadableError,
    check_csv,
    check_xlsx,
)
from sampling.core.errors import FrameError, FrameIssue, frame_issue
from sampling.core.normalise import (
    borough_codes,
    division_sections,
    normalise_phones,
    normalise_postcodes,
    parse_employees,
    sic_parts,
    size_bands,
)

FRAME_COLUMNS: tuple[str, ...] = (
    "reference", "name", "address", "postcode", "phone", "borough", "sic2007", "employees",
)
REQUIRED_VALUES: tuple[str, ...] = (
    "reference", "name", "postcode", "phone", "borough", "sic2007", "employees",
)
CLEAN_COLUMNS: tuple[str, ...] = (
    "reference", "name", "address", "postcode", "phone", "borough", "sic2007", "division",
    "sector", "employees", "size_band",
)


def load_frame(path: str | Path) -> pd.DataFrame:
    """Read and validate a frame file (.csv, .xlsx); raise FrameError listing every problem."""
    raw, sheet = read_frame_table(path)
    return validate_frame(raw, file=Path(path).name, sheet=sheet)


def read_frame_table(path: str | Path, limits: UploadLimits = FRAME_LIMITS
                     ) -> tuple[pd.DataFrame, str | None]:
    """All cells as text, header normalised, plus a `_row` column numbering rows as the file
    does (header = row 1). Returns the table and the sheet name (None for CSV).

    The file is checked against `limits` before it is parsed (bas.upload_limits: an
    UploadLimitError names the limit); a corrupt file is a FrameError, never a crash."""
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            check_xlsx(path, limits, path.name)
            return _read_xlsx(path, limits)
        if path.suffix.lower() in (".csv", ".txt"):
            check_csv(path, limits, path.name)
            return _read_csv(path, limits), None
        detail = f"unsupported file type '{path.suffix}' (use .csv or .xlsx)"
    except (OSError, UnicodeDecodeError, ValueError, KeyError) as exc:
        detail = str(exc) or type(exc).__name__
    except UploadUnreadableError as exc:
        detail = exc.message
    raise FrameError([frame_issue("unreadable", file=path.name, row=0, field="", value="",
                                  detail=detail)])


def _read_csv(path: Path, limits: UploadLimits) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False,
                        encoding="utf-8-sig", nrows=limits.max_rows)
    table.columns = [str(column).strip().lower() for column in table.columns]
    table["_row"] = np.arange(len(table)) + 2
    return table


def _read_xlsx(path: Path, limits: UploadLimits) -> tuple[pd.DataFrame, str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises assorted errors on malformed files
        raise ValueError(f"not a readable .xlsx workbook ({str(exc) or type(exc).__name__})")
    try:
        sheet = workbook["frame"] if "frame" in workbook.sheetnames else workbook.worksheets[0]
        sheet.reset_dimensions()  # trust the cells (checked), not a declared A1:XFD1048576
        rows = sheet.iter_rows(values_only=True, max_col=limits.max_columns,
                               max_row=limits.max_rows + 1)
        header = [_cell_text(cell).strip().lower() for cell in next(rows, ())]
        while header and not header[-1]:
            header.pop()  # the cap on columns pads with blanks
        body = [[_cell_text(cell) for cell in row] for row in rows]
    except Exception as exc:
        raise ValueError(f"not a readable .xlsx workbook ({str(exc) or type(exc).__name__})")
    finally:
        workbook.close()
    width = len(header)
    table = pd.DataFrame([(row + [""] * width)[:width] for row in body], columns=header,
                         dtype=str)
    table["_row"] = np.arange(len(table)) + 2
    return table, sheet.title


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def validate_frame(raw: pd.DataFrame, *, file: str = "frame", sheet: str | None = None
                   ) -> pd.DataFrame:
    """Check and normalise a frame table of text cells; raise FrameError with every problem."""
    if "_row" not in raw.columns:
        raw = raw.assign(_row=np.arange(len(raw)) + 2)
    missing = [column for column in FRAME_COLUMNS if column not in raw.columns]
    if missing:
        raise FrameError([frame_issue("missing_column", file=file, row=1, field=column,
                                      value="", sheet=sheet) for column in missing])
    table = raw[[*FRAME_COLUMNS, "_row"]].copy()
    for column in FRAME_COLUMNS:
        table[column] = table[column].fillna("").astype(str).str.strip()
    table = table[(table[list(FRAME_COLUMNS)] != "").any(axis=1)].reset_index(drop=True)
    if table.empty:
        raise FrameError([frame_issue("empty", file=file, row=2, field="", value="",
                                      sheet=sheet)])
    checker = _Checker(table, file, sheet)
    clean = checker.run()
    if checker.issues:
        order = {name: i for i, name in enumerate(FRAME_COLUMNS)}
        raise FrameError(sorted(checker.issues, key=lambda x: (x.row, order.get(x.field, 99))))
    return clean


class _Checker:
    """Collects every issue of a frame table, one vectorised check per field."""

    def __init__(self, table: pd.DataFrame, file: str, sheet: str | None) -> None:
        self.table = table
        self.file = file
        self.sheet = sheet
        self.issues: list[FrameIssue] = []

    def report(self, mask: pd.Series, field: str, code: str, **slot_columns: pd.Series) -> None:
        rows = self.table.loc[mask, "_row"]
        values = self.table.loc[mask, field]
        slots = {name: column[mask] for name, column in slot_columns.items()}
        for i, (row, value) in enumerate(zip(rows, values, strict=True)):
            extra = {name: column.iloc[i] for name, column in slots.items()}
            self.issues.append(frame_issue(code, file=self.file, row=int(row), field=field,
                                           value=value, sheet=self.sheet, **extra))

    def run(self) -> pd.DataFrame:
        table = self.table
        blank = {field: table[field] == "" for field in REQUIRED_VALUES}
        for field, mask in blank.items():
            self.report(mask, field, "required")

        borough = borough_codes(table["borough"])
        self.report(borough.isna() & ~blank["borough"], "borough", "borough_unknown")

        sic, division = sic_parts(table["sic2007"])
        sector = division_sections(division)
        bad_format = sic.isna() & ~blank["sic2007"]
        self.report(bad_format, "sic2007", "sic_format")
        self.report(sic.notna() & sector.isna(), "sic2007", "sic_division",
                    division=division.fillna(0).astype(int).map("{:02d}".format))

        employees = parse_employees(table["employees"])
        self.report(employees.isna() & ~blank["employees"], "employees", "employees_invalid")

        postcode = normalise_postcodes(table["postcode"])
        self.report(postcode.isna() & ~blank["postcode"], "postcode", "postcode_invalid")

        phone = normalise_phones(table["phone"])
        self.report(phone.isna() & ~blank["phone"], "phone", "phone_invalid")

        self._duplicates(table["reference"].where(~blank["reference"]), "reference",
                         "duplicate_reference")
        self._duplicates(phone + "|" + postcode, "phone", "duplicate_phone_postcode")

        if self.issues:
            return table
        return pd.DataFrame({
            "reference": table["reference"], "name": table["name"], "address": table["address"],
            "postcode": postcode, "phone": phone, "borough": borough, "sic2007": sic,
            "division": division.astype("int64"), "sector": sector,
            "employees": employees.astype("int64"), "size_band": size_bands(employees),
        })

    def _duplicates(self, key: pd.Series, field: str, code: str) -> None:
        present = key.notna()
        repeated = present & key.duplicated(keep="first")
        if not repeated.any():
            return
        first_row = self.table["_row"].where(present).groupby(key).transform("first")
        self.report(repeated, field, code, first_row=first_row.astype("Int64"))
