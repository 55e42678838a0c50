"""The publication workbook (openpyxl): cover, headline, by borough, by sector, change
from the previous wave, and notes. Pure: writes a Publication to bytes.

Every sheet prints: landscape A4, fit to one page wide, its print area set, the table's
header row repeated on every page, the sheet and page number in the footer; the cover fits
one page. Suppressed figures are "[c]" (disclosure.SUPPRESSED_SYMBOL)."""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from bas.cells import safe_cell

from .disclosure import SUPPRESSED_SYMBOL
from .measures import MEASURE_BY_NAME
from .publication import PUBLISHER, Publication

PERCENT = "0.0%"
COUNT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
ESTIMATE_HEADERS = ["Estimate", "95% CI lower", "95% CI upper", "Unweighted base"]
SOURCE_HEADERS = ["Source", "Why this estimate"]
SOURCE_WORDS = {"direct": "direct", "model-based": "model-based", "pooled": "pooled"}
SHEETS = ("Cover", "Headline", "By borough", "By sector", "Change", "Notes")
HEADER_ROW = 3  # the tables' header row, repeated on every printed page
COVER_TEXT_WIDTH, NOTES_TEXT_WIDTH, LINE_HEIGHT = 100, 110, 15


def publication_workbook(publication: Publication) -> bytes:
    book = Workbook()
    _cover(book.active, publication)
    _estimates(book.create_sheet("Headline"), publication.rows_for("all"), domain=False,
               title=f"Headline estimates, {publication.facts.wave}")
    _estimates(book.create_sheet("By borough"), publication.rows_for("borough"), domain=True,
               title=f"Estimates by borough, {publication.facts.wave}", domain_name="Borough",
               sources=bool(publication.facts.small_area_notes))
    _estimates(book.create_sheet("By sector"), publication.rows_for("sector_group"),
               domain=True, title=f"Estimates by sector, {publication.facts.wave}",
               domain_name="Sector")
    _change(book.create_sheet("Change"), publication)
    _notes(book.create_sheet("Notes"), publication)
    for sheet in book.worksheets:
        _print_setup(sheet, cover=sheet.title == "Cover")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cover(sheet: Worksheet, publication: Publication) -> None:
    facts = publication.facts
    sheet.title = "Cover"
    sheet["A1"] = safe_cell(f"{facts.survey}: {facts.wave}")
    sheet["A1"].font = Font(bold=True, size=14)
    rows = [
        ("Survey", facts.survey), ("Wave", facts.wave), ("Publisher", PUBLISHER),
        ("Fieldwork dates", facts.fieldwork_text()),
        ("Achieved interviews (n)", facts.achieved_n),
        ("Response rate (AAPOR RR3)", facts.rr3), ("Release date", facts.release_date),
        ("Method", facts.method), ("Weighting", facts.weighting),
        ("Weighting steps", "; ".join(facts.weighting_steps)),
        ("Disclosure control", publication.suppression_note()),
        ("Contents", "Headline; By borough; By sector; Change; Notes"),
    ]
    for offset, (label, value) in enumerate(rows, start=3):
        label_cell = sheet.cell(offset, 1, label)
        label_cell.font, label_cell.alignment = Font(bold=True), Alignment(vertical="top")
        cell = sheet.cell(offset, 2, safe_cell(value))
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        _fit_height(sheet, offset, value, COVER_TEXT_WIDTH)
        if label.startswith("Response rate") and value is not None:
            cell.number_format = PERCENT
        elif label.startswith("Achieved"):
            cell.number_format = COUNT
        elif label == "Release date":
            cell.number_format = "dd mmmm yyyy"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = COVER_TEXT_WIDTH


def _fit_height(sheet: Worksheet, row: int, value: object, width: float) -> None:
    """A wrapped cell's row tall enough for its lines (spreadsheets do not grow a row on
    opening, so long text would print over the next rows)."""
    lines = max(1, math.ceil(len(str(value or "")) / (width * 1.05)))
    sheet.row_dimensions[row].height = LINE_HEIGHT * lines + 2


def _print_setup(sheet: Worksheet, *, cover: bool) -> None:
    """Landscape A4, one page wide (the cover: one page), print area, repeated header."""
    setup = sheet.page_setup
    setup.orientation, setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth, setup.fitToHeight = 1, 1 if cover else 0
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.print_area = f"A1:{get_column_letter(sheet.max_column)}{sheet.max_row}"
    if not cover:
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.oddFooter.center.text = "&A, page &P of &N"
    sheet.print_options.horizontalCentered = True


def _estimates(sheet: Worksheet, rows: list[dict], *, domain: bool, title: str,
               domain_name: str = "", sources: bool = False) -> None:
    """One row per measure (and domain); with ``sources`` (the borough sheet of a
    publication with borough estimates) each row also says which estimate it is and why."""
    headers = ["Group", "Measure"] + ([f"{domain_name} code", domain_name] if domain else [])
    headers += ESTIMATE_HEADERS + (SOURCE_HEADERS if sources else [])
    _title_and_header(sheet, title, headers)
    for row in rows:
        measure = MEASURE_BY_NAME.get(row["measure"])
        values = [measure.group if measure else "", row["measure_label"]]
        if domain:
            values += [row["domain"], row["domain_label"]]
        values += _figures(row)
        first = len(values) - 4
        if sources:
            values += [SOURCE_WORDS.get(row.get("source") or "", SUPPRESSED_SYMBOL),
                       row.get("note") or ""]
        _append(sheet, values, first_figure=first, last_figure=first + 4)
        if sources:
            sheet.cell(sheet.max_row, len(values)).alignment = Alignment(wrap_text=True,
                                                                         vertical="top")
    _widths(sheet, headers)


def _figures(row: dict) -> list[object]:
    if row["suppressed"]:
        return [SUPPRESSED_SYMBOL] * 4
    return [row["estimate"], row["ci_low"], row["ci_high"], row["unweighted_base"]]


def _change(sheet: Worksheet, publication: Publication) -> None:
    previous = publication.previous_wave
    title = (f"Change from {previous} to {publication.facts.wave}" if previous
             else "Change from the previous wave: no earlier published wave")
    headers = ["Measure", "Breakdown", "Domain", "Previous estimate", "Estimate",
               "Change (percentage points)", "95% CI lower", "95% CI upper", "p-value",
               "Significant change (5% level)"]
    _title_and_header(sheet, title, headers)
    for row in publication.changes:
        breakdown = {"all": "All businesses", "borough": "Borough",
                     "sector_group": "Sector"}.get(row["breakdown"], row["breakdown"])
        if row["suppressed"]:
            figures = [SUPPRESSED_SYMBOL] * 7
        else:
            figures = [row["previous_estimate"], row["estimate"], row["change"],
                       row["change_ci_low"], row["change_ci_high"], row["p_value"],
                       "Yes *" if row["significant"] else "No"]
        _append(sheet, [row["measure_label"], breakdown, row["domain_label"], *figures],
                first_figure=3, count_columns=())
        p_cell = sheet.cell(sheet.max_row, 9)
        if isinstance(p_cell.value, float):
            p_cell.number_format = "0.0000"
    _widths(sheet, headers)


def _notes(sheet: Worksheet, publication: Publication) -> None:
    notes = [
        ("Suppression", publication.suppression_note()),
        ("[c]", "Confidential: suppressed to protect the businesses who took part."),
        ("Confidence intervals", publication.interval_note()),
        ("Change", "Change between waves is tested with a two-sided z test on the difference "
         "of two independent estimates; 'Yes *' marks a change significant at the 5% level."),
        ("Unweighted base", "The number of businesses interviewed that answered the question, "
         "in the group shown."),
        ("Reporting", "Reporting measures are among businesses that experienced a crime and "
         "answered the reporting question for at least one crime type."),
        *_borough_notes(publication),
        ("Licence", "Open Government Licence v3.0."),
    ]
    _title_and_header(sheet, "Notes", ["Note", "Text"])
    for label, text in notes:
        sheet.append([safe_cell(label), safe_cell(text)])
        sheet.cell(sheet.max_row, 1).alignment = Alignment(vertical="top")
        sheet.cell(sheet.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        _fit_height(sheet, sheet.max_row, text, NOTES_TEXT_WIDTH)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = NOTES_TEXT_WIDTH


def _borough_notes(publication: Publication) -> list[tuple[str, str]]:
    """The borough estimates' notes, from the small-area run's record, and what each source
    means; nothing for a publication without borough estimates."""
    notes = publication.facts.small_area_notes
    if not notes:
        return []
    counts = publication.sources()
    summary = ", ".join(f"{counts[k]} {SOURCE_WORDS.get(k, k)}"
                        for k in ("direct", "pooled", "model-based", "suppressed") if k in counts)
    return [("Borough estimates", f"Borough figures by source: {summary}. 'direct' is the "
             "wave's survey estimate, 'pooled' the survey estimate from several waves "
             "together, 'model-based' a Fay-Herriot small-area estimate; [c] is suppressed."),
            *(("Borough estimates", note) for note in notes)]


def _title_and_header(sheet: Worksheet, title: str, headers: list[str]) -> None:
    sheet["A1"] = safe_cell(title)
    sheet["A1"].font = Font(bold=True, size=13)
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(3, column, header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * 2 + 2
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(len(headers))}3"


def _append(sheet: Worksheet, values: list[object], first_figure: int,
            count_columns: tuple[int, ...] | None = None,
            last_figure: int | None = None) -> None:
    sheet.append([safe_cell(v) for v in values])
    row = sheet.max_row
    end = len(values) if last_figure is None else last_figure
    counts = (end - 1,) if count_columns is None else count_columns
    for index in range(first_figure, end):
        cell = sheet.cell(row, index + 1)
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            cell.number_format = COUNT if index in counts else PERCENT
        elif cell.value is not None:
            cell.alignment = Alignment(horizontal="right")


def _widths(sheet: Worksheet, headers: list[str]) -> None:
    for column, header in enumerate(headers, start=1):
        longest = max((len(str(c.value)) for c in sheet[get_column_letter(column)][3:]
                       if c.value is not None), default=0)
        width = min(max(len(header), longest, 10) + 2, 60)
        sheet.column_dimensions[get_column_letter(column)].width = width
