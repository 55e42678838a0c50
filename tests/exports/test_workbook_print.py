"""The publication workbook prints: landscape, one page wide, print areas, the header row on
every page, a cover that fits a page with its figures on it (LibreOffice to PDF)."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from exports.disclosure import SUPPRESSED_SYMBOL
from exports.measures import MEASURES
from exports.workbook import publication_workbook
from sampling.data.boroughs import BOROUGHS
from tests.exports.helpers import estimate_rows, publication

NEEDED = ("soffice", "pdftotext", "pdfinfo")


def full_publication():
    """Every measure for London and the 33 boroughs, some boroughs too small to publish."""
    rows = []
    bases = tuple(20 + (i * 7) % 60 for i in range(len(BOROUGHS)))
    for measure in MEASURES:
        rows += estimate_rows(measure.name, bases=bases, domains=tuple(BOROUGHS))
    return publication(rows=rows)


def test_every_sheet_is_set_up_to_print():
    book = load_workbook(io.BytesIO(publication_workbook(full_publication())))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert setup.fitToWidth == 1
        assert setup.fitToHeight == (1 if sheet.title == "Cover" else 0)
        assert sheet.print_area.endswith(f"!$A$1:${_last_column(sheet)}${sheet.max_row}")
        if sheet.title != "Cover":
            assert sheet.print_title_rows == "$3:$3"
    borough = book["By borough"]
    figures = [c.value for c in borough["E"][3:]]
    assert SUPPRESSED_SYMBOL in figures  # the one marker of suppressed figures


def _last_column(sheet) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(sheet.max_column)


def _pdf(tmp_path, content: bytes):
    source = tmp_path / "bas_results.xlsx"
    source.write_bytes(content)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(source)], check=True, timeout=300, capture_output=True)
    pdf = tmp_path / "bas_results.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    pages = int(next(line.split()[-1] for line in info.stdout.splitlines()
                     if line.startswith("Pages:")))
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), str(pdf),
                             "-"], check=True, capture_output=True, text=True).stdout
             for p in range(1, pages + 1)]
    return pages, texts


@pytest.mark.skipif(any(shutil.which(tool) is None for tool in NEEDED),
                    reason="LibreOffice and poppler (Debian packages libreoffice-calc and "
                           "poppler-utils) are not installed: the workbook is not printed")
def test_the_workbook_prints_to_a_reasonable_pdf_with_the_cover_on_one_page(tmp_path):
    pub = full_publication()
    pages, texts = _pdf(tmp_path, publication_workbook(pub))
    table_rows = len(pub.rows)
    # one page wide: about 40 table rows a page, not one column a page
    assert pages <= 6 + table_rows // 35, pages
    cover = texts[0]
    for text in ("Achieved interviews (n)", "150", "Response rate (AAPOR RR3)", "11.4%",
                 "Release date", "15 January 2026", "Disclosure control", "Contents"):
        assert text in cover, text
    assert "Cover, page 1 of" in cover
    assert not any("Achieved interviews" in text for text in texts[1:])  # one page
    for number, text in enumerate(texts[1:], start=2):
        assert any(header in text for header in ("Unweighted base", "p-value", "Note")), \
            f"page {number} has no header row"
