"""An uploaded borough table (CSV): a borough column (GSS code or name) and one or more
numeric columns, e.g. recorded business crime per 1,000 businesses; auxiliaries for the
small-area model beside the frame's. Read into {column: {borough code: value}} with every
problem reported at once, each naming the file, the row and the column (no Django)."""

from __future__ import annotations

import csv
import io
import math

from analysis.core.small_area import SmallAreaError
from bas.upload_limits import BOROUGH_TABLE_LIMITS, check_csv_content
from sampling.data.boroughs import BOROUGH_ALIASES, BOROUGHS

MAX_BYTES = 1_000_000
MAX_PROBLEMS = 20
BOROUGH_HEADERS = ("borough", "borough code", "borough name", "code", "name", "gss code",
                   "area code", "area name")
BOROUGH_LOOKUP = {**{key.casefold(): code for code, name in BOROUGHS.items()
                     for key in (code, name)},
                  **{alias.casefold(): code for alias, code in BOROUGH_ALIASES.items()}}


class BoroughTableError(SmallAreaError):
    """An uploaded borough table that cannot be used; ``fields['problems']`` lists each
    problem with its row and column (row 1 is the header)."""

    default_code = "borough_table"

    def __init__(self, name: str, problems: list[dict]) -> None:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        text = "; ".join(p["message"] for p in shown) + (f"; and {more} more" if more else "")
        super().__init__(f"{name}: {text}", fields={"problems": problems})


def read_borough_csv(content: bytes, name: str) -> dict[str, dict[str, float]]:
    """{column: {borough code: value}} for every one of the 33 boroughs, or a
    BoroughTableError listing every problem."""
    text = _text(content, name)
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as error:
        raise BoroughTableError(name, [_problem(None, None, f"not a CSV file ({error})")])
    problems: list[dict] = []
    rows = [(line, row) for line, row in enumerate(rows, start=1) if any(c.strip() for c in row)]
    if not rows:
        raise BoroughTableError(name, [_problem(None, None, "the file is empty")])
    header_line, header = rows[0]
    header = [c.strip() for c in header]
    if not header or header[0].casefold().replace("_", " ") not in BOROUGH_HEADERS:
        problems.append(_problem(header_line, header[0] if header else "",
                                 "the first column must be the borough (headed 'borough', "
                                 "with a GSS code or a borough name in each row)"))
    columns = header[1:]
    if not columns:
        problems.append(_problem(header_line, None, "give at least one numeric column after "
                                 "the borough column"))
    seen_columns: set[str] = set()
    for column in columns:
        if not column:
            problems.append(_problem(header_line, None, "a column has no name"))
        elif column.casefold() in seen_columns:
            problems.append(_problem(header_line, column, "the column name is repeated"))
        seen_columns.add(column.casefold())
    if problems:
        raise BoroughTableError(name, problems)

    values: dict[str, dict[str, float]] = {c: {} for c in columns}
    first_row: dict[str, int] = {}
    for line, row in rows[1:]:
        cells = [c.strip() for c in row]
        if len(cells) != len(header):
            problems.append(_problem(line, None, f"the row has {len(cells)} fields; the header "
                                     f"has {len(header)}"))
            continue
        code = BOROUGH_LOOKUP.get(cells[0].casefold())
        if code is None:
            problems.append(_problem(line, header[0], f"'{cells[0]}' is not a London borough "
                                     "(give its GSS code, e.g. E09000007, or its name)"))
            continue
        if code in first_row:
            problems.append(_problem(line, header[0], f"{BOROUGHS[code]} is given twice "
                                     f"(also row {first_row[code]})"))
            continue
        first_row[code] = line
        for column, cell in zip(columns, cells[1:], strict=True):
            number = _number(cell)
            if number is None:
                problems.append(_problem(line, column, f"'{cell}' is not a number"
                                         if cell else "the value is missing"))
            else:
                values[column][code] = number
    missing = [BOROUGHS[c] for c in BOROUGHS if c not in first_row]
    if missing and len(rows) > 1:
        problems.append(_problem(None, header[0], f"{len(missing)} boroughs have no row: "
                                 + ", ".join(missing)))
    elif len(rows) == 1:
        problems.append(_problem(None, None, "the file has no rows after the header"))
    if problems:
        raise BoroughTableError(name, problems)
    return values


def _number(cell: str) -> float | None:
    try:
        value = float(cell.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _problem(row: int | None, column: str | None, message: str) -> dict:
    place = ", ".join(p for p in (f"row {row}" if row else "",
                                  f"column '{column}'" if column else "") if p)
    return {"row": row, "column": column,
            "message": f"{place}: {message}" if place else message}


def _text(content: bytes, name: str) -> str:
    check_csv_content(content, BOROUGH_TABLE_LIMITS, name)
    if len(content) > MAX_BYTES:
        raise BoroughTableError(name, [_problem(None, None, "the file is larger than 1 MB; a "
                                                "borough table has one row per borough")])
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise BoroughTableError(name, [_problem(None, None, "this is a spreadsheet, not a "
                                                "CSV file; save it as CSV UTF-8 and upload "
                                                "that")])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BoroughTableError(name, [_problem(None, None, f"the file is not UTF-8 text "
                                                f"(byte {error.start + 1})")]) from None
