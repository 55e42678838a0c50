"""Limits for every uploaded file, checked before it is parsed, in bounded memory (pure: no
Django, so the pure cores may call it).

A file is checked against its kind's limits: bytes on disk; for .xlsx, the uncompressed
size the zip declares for its members (Python's zipfile never inflates a member past its
declared size, so that bound holds), then every worksheet streamed once with a constant-memory
XML parser counting cells read, rows holding a value and the last column holding one; for
CSV, bytes per line, header columns and lines. Anything over a limit is an UploadLimitError
(400, code `upload_limit`) naming the limit; a file that is not what its name says, or a
corrupt one, is an UploadUnreadableError (400, code `unreadable_upload`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError, iterparse

from bas.errors import BasError

MB = 1_000_000


@dataclass(frozen=True)
class UploadLimits:
    kind: str  # what the file is, for messages: "frame", "questionnaire workbook"
    max_bytes: int
    max_rows: int
    max_columns: int
    max_cells: int  # cells read: each row as wide as its last cell, blank ones included
    max_uncompressed_bytes: int  # .xlsx: all members of the zip together
    max_line_bytes: int = 65_536  # CSV


FRAME_LIMITS = UploadLimits("frame", max_bytes=50 * MB, max_rows=1_000_000, max_columns=50,
                            max_cells=12_000_000, max_uncompressed_bytes=400 * MB)
QUESTIONNAIRE_LIMITS = UploadLimits("questionnaire workbook", max_bytes=10 * MB,
                                    max_rows=20_000, max_columns=200, max_cells=2_000_000,
                                    max_uncompressed_bytes=100 * MB)
# CSV files attached to a questionnaire (select_one_from_file, pulldata), each; and how many.
QUESTIONNAIRE_FILE_LIMITS = UploadLimits("questionnaire CSV file", max_bytes=5 * MB,
                                         max_rows=20_000, max_columns=200, max_cells=1_000_000,
                                         max_uncompressed_bytes=5 * MB)
MAX_QUESTIONNAIRE_FILES = 20
MARGINS_LIMITS = UploadLimits("margins file", max_bytes=1 * MB, max_rows=10_000, max_columns=10,
                              max_cells=100_000, max_uncompressed_bytes=1 * MB)
BOROUGH_TABLE_LIMITS = UploadLimits("borough table", max_bytes=1 * MB, max_rows=500,
                                    max_columns=100, max_cells=50_000,
                                    max_uncompressed_bytes=1 * MB)
# The most any upload may send (checked as it arrives, before any kind is known).
MAX_UPLOAD_BYTES = max(FRAME_LIMITS.max_bytes, QUESTIONNAIRE_LIMITS.max_bytes)

Source = str | Path | bytes | BinaryIO


class UploadLimitError(BasError):
    """An upload is over one of its limits; `fields` name the limit and its value."""

    default_code = "upload_limit"

    def __init__(self, *, filename: str, kind: str, limit: str, allowed: int,
                 what: str) -> None:
        name = filename or "the file"
        super().__init__(
            f"{name}: {what} is over the limit for a {kind} upload "
            f"({limit} = {allowed:,}); nothing was read.",
            fields={"limit": limit, "allowed": allowed, "file": filename})


class UploadUnreadableError(BasError):
    """An upload is corrupt, or not the kind of file its name says."""

    default_code = "unreadable_upload"

    def __init__(self, *, filename: str, expected: str, detail: str) -> None:
        name = filename or "the file"
        super().__init__(f"{name} cannot be read as {expected}: {detail}",
                         fields={"file": filename})


def check_size(size: int, limits: UploadLimits, filename: str = "") -> None:
    if size > limits.max_bytes:
        raise UploadLimitError(filename=filename, kind=limits.kind, limit="max_bytes",
                               allowed=limits.max_bytes, what=f"its size ({size:,} bytes)")


def _size_of(source: Source) -> int:
    if isinstance(source, bytes | bytearray):
        return len(source)
    if isinstance(source, str | Path):
        return Path(source).stat().st_size
    position = source.tell()
    size = source.seek(0, io.SEEK_END)
    source.seek(position)
    return size


_CELL_REF = re.compile(r"([A-Z]+)")


def _column_number(reference: str) -> int:
    match = _CELL_REF.match(reference or "")
    number = 0
    for letter in match.group(1) if match else "":
        number = number * 26 + ord(letter) - 64
    return number


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def check_xlsx(source: Source, limits: UploadLimits, filename: str = "") -> None:
    """Raise UploadLimitError / UploadUnreadableError unless the .xlsx is within `limits`.

    Reads in constant memory: the zip's directory, then each worksheet's XML as a stream.
    """
    check_size(_size_of(source), limits, filename)
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    position = stream.tell() if hasattr(stream, "tell") else None
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            declared = sum(member.file_size for member in members)
            if declared > limits.max_uncompressed_bytes:
                raise UploadLimitError(
                    filename=filename, kind=limits.kind, limit="max_uncompressed_bytes",
                    allowed=limits.max_uncompressed_bytes,
                    what=f"its uncompressed size ({declared:,} bytes)")
            sheets = [m for m in members
                      if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml")]
            if not sheets:
                raise UploadUnreadableError(filename=filename, expected="an .xlsx workbook",
                                            detail="it has no worksheet")
            cells = 0
            for member in sheets:
                cells = _check_sheet(archive, member, limits, filename, cells)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ParseError, EOFError, OSError,
            NotImplementedError, KeyError, ValueError) as exc:
        raise UploadUnreadableError(filename=filename, expected="an .xlsx workbook",
                                    detail=str(exc) or type(exc).__name__) from None
    finally:
        if position is not None and not isinstance(source, str | Path):
            stream.seek(position)


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: UploadLimits,
                 filename: str, cells: int) -> int:
    row_number = 0
    row_has_value = False
    in_cell_value = False
    cell_column = 0
    row_width = 0
    sheet_data = row = None
    with archive.open(member) as xml:
        for event, element in iterparse(xml, events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if tag == "sheetData":
                    sheet_data = element
                elif tag == "row":
                    row = element
                    number = element.get("r", "")
                    row_number = int(number) if number.isdigit() else row_number + 1
                    cell_column = row_width = 0
                elif tag == "c":
                    reference = element.get("r")
                    cell_column = _column_number(reference) if reference else cell_column + 1
                    # a reader fills a row up to its last cell: count what it fills
                    cells += max(1, cell_column - row_width)
                    row_width = max(row_width, cell_column)
                    if cells > limits.max_cells:
                        raise UploadLimitError(
                            filename=filename, kind=limits.kind, limit="max_cells",
                            allowed=limits.max_cells, what="the number of cells")
                elif tag in ("v", "is"):
                    in_cell_value = True
                continue
            if tag in ("v", "is") and in_cell_value:
                in_cell_value = False
                if (element.text or "").strip() or tag == "is":
                    row_has_value = True
                    if cell_column > limits.max_columns:
                        raise UploadLimitError(
                            filename=filename, kind=limits.kind, limit="max_columns",
                            allowed=limits.max_columns,
                            what=f"a value in column {cell_column:,}")
            elif tag == "row":
                if row_has_value and row_number > limits.max_rows + 1:  # + the header
                    raise UploadLimitError(
                        filename=filename, kind=limits.kind, limit="max_rows",
                        allowed=limits.max_rows, what=f"a value in row {row_number:,}")
                row_has_value = False
                if sheet_data is not None:
                    sheet_data.clear()  # the rows read so far: constant memory
            elif tag == "c" and row is not None:
                row.clear()  # the cells read so far in this row
    return cells


def check_csv(path: str | Path, limits: UploadLimits, filename: str = "") -> None:
    """Raise UploadLimitError unless the CSV is within `limits` (read line by line)."""
    path = Path(path)
    check_size(path.stat().st_size, limits, filename)
    with path.open("rb") as stream:
        _check_csv_lines(stream, limits, filename)


def check_csv_content(content: bytes, limits: UploadLimits, filename: str = "") -> None:
    """The same limits for a small CSV upload already in memory (margins, borough tables)."""
    check_size(len(content), limits, filename)
    _check_csv_lines(io.BytesIO(content), limits, filename)


def _check_csv_lines(stream: BinaryIO, limits: UploadLimits, filename: str) -> None:
    lines = 0
    while True:
        line = stream.readline(limits.max_line_bytes + 1)
        if not line:
            break
        if len(line) > limits.max_line_bytes and not line.endswith(b"\n"):
            raise UploadLimitError(
                filename=filename, kind=limits.kind, limit="max_line_bytes",
                allowed=limits.max_line_bytes, what=f"line {lines + 1:,}")
        lines += 1
        if lines == 1 and line.count(b",") + 1 > limits.max_columns:
            raise UploadLimitError(
                filename=filename, kind=limits.kind, limit="max_columns",
                allowed=limits.max_columns, what="the number of columns in the header")
        if lines > limits.max_rows + 1:
            raise UploadLimitError(
                filename=filename, kind=limits.kind, limit="max_rows",
                allowed=limits.max_rows, what="the number of rows")
