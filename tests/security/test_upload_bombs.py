"""Upload bombs (issue 18, item 4): every upload has limits (bytes, uncompressed size, rows,
columns, cells read), checked in bounded memory before parsing; over a limit is a 400 naming
it; a corrupt file, or one that is not what its name says, is a 400, never a 500."""

import io
import tracemalloc
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from accounts.roles import Role
from bas import upload_limits
from bas.upload_limits import FRAME_LIMITS, QUESTIONNAIRE_LIMITS, UploadLimitError, check_xlsx
from questionnaires.models import QuestionnaireVersion
from sampling.models import Frame

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
FRAME_HEADER = ("reference", "name", "address", "postcode", "phone", "borough", "sic2007",
                "employees")


def _template() -> bytes:
    book = Workbook()
    book.active.title = "frame"
    book.active.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx(sheet_chunks, dimension: str = "") -> bytes:
    """A real workbook whose one sheet is streamed from `sheet_chunks` (bytes of <row>s)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_template())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            if member.filename != SHEET:
                target.writestr(member, source.read(member))
        with target.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(HEAD)
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for chunk in sheet_chunks:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def row(number: int, *cells: tuple[str, str]) -> bytes:
    inner = "".join(f'<c r="{ref}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
                    for ref, text in cells)
    return f'<row r="{number}">{inner}</row>'.encode()


def header_row() -> bytes:
    return row(1, *zip("ABCDEFGH", FRAME_HEADER, strict=True))


def post_frame(client, name: str, content: bytes):
    return client.post(reverse("api-frames"), {"file": SimpleUploadedFile(name, content)})


def bounded(call, limit_mb: float = 60):
    tracemalloc.start()
    try:
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit_mb * 1_000_000, f"peak {peak / 1e6:.0f} MB"
    return result


@pytest.fixture
def analyst(client, users):
    client.force_login(users[Role.ANALYST])
    return client


def test_a_small_zip_declaring_a_huge_sheet_is_refused_unread(analyst):
    blank = b"<row/>" * 100_000
    bomb = xlsx(blank for _ in range(720))  # 432 MB of XML in a small file
    assert len(bomb) < 2_000_000
    response = bounded(lambda: post_frame(analyst, "bomb.xlsx", bomb))
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "upload_limit" and error["limit"] == "max_uncompressed_bytes"
    assert "max_uncompressed_bytes" in error["message"]
    assert Frame.objects.count() == 0


def test_a_sheet_declaring_a_million_rows_and_columns_reads_only_its_cells(analyst):
    # the old reader padded every row to the declared A1:XFD1048576: gigabytes
    cells = [header_row(), row(2, ("A", "R1"), ("B", "Acme"))]
    bomb = xlsx(cells, dimension="A1:XFD1048576")
    response = bounded(lambda: post_frame(analyst, "frame.xlsx", bomb))
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_frame"  # its bad rows, that is all


def test_many_rows_are_refused_naming_the_limit(analyst):
    far = FRAME_LIMITS.max_rows + 2
    bomb = xlsx([header_row(), row(far, ("A", "R1"))])
    response = bounded(lambda: post_frame(analyst, "frame.xlsx", bomb))
    assert response.status_code == 400
    assert response.json()["errors"][0]["limit"] == "max_rows"
    rows = b"".join(row(n, ("A", f"R{n}")) for n in range(2, 20_005))
    response = analyst.post(reverse("api-questionnaire-upload"),
                            {"workbook": SimpleUploadedFile("q.xlsx", xlsx([rows]))})
    assert response.status_code == 400
    assert response.json()["errors"][0]["limit"] == "max_rows"
    assert QuestionnaireVersion.objects.count() == 0


def test_a_value_far_to_the_right_is_refused_naming_the_columns_limit(analyst):
    bomb = xlsx([header_row(), row(2, ("A", "R1"), ("XFD", "far"))])
    response = post_frame(analyst, "frame.xlsx", bomb)
    assert response.status_code == 400
    assert response.json()["errors"][0]["limit"] == "max_columns"


def test_blank_cells_far_to_the_right_count_as_cells_read(analyst):
    # a reader fills each row up to its last cell: 20,000 rows x 16,384 columns
    blank_far = b"".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>q{n}</t></is></c>'
                         f'<c r="XFD{n}" s="1"/></row>'.encode() for n in range(1, 20_001))
    bomb = xlsx([blank_far])
    response = bounded(lambda: analyst.post(
        reverse("api-questionnaire-upload"), {"workbook": SimpleUploadedFile("q.xlsx", bomb)}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["limit"] == "max_cells"
    with pytest.raises(UploadLimitError, match="max_cells"):
        bounded(lambda: check_xlsx(bomb, QUESTIONNAIRE_LIMITS, "q.xlsx"))


def test_an_upload_over_the_size_any_upload_may_have_is_cut_off(analyst, users, monkeypatch):
    monkeypatch.setattr("bas.upload_handlers.MAX_UPLOAD_BYTES", 10_000)
    big = SimpleUploadedFile("frame.csv", b"x" * 50_000)
    response = analyst.post(reverse("api-frames"), {"file": big})
    assert response.status_code == 400
    assert response.json()["errors"][0]["limit"] == "max_bytes"
    # a page goes back with the message ...
    response = analyst.post(reverse("sampling-home"),
                            {"upload-file": SimpleUploadedFile("frame.csv", b"x" * 50_000)},
                            follow=True)
    assert "max_bytes" in response.content.decode()
    assert Frame.objects.count() == 0
    # ... and when the CSRF check reads the body first, it is the styled 400 with it
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    strict.force_login(users[Role.ANALYST])
    strict.get(reverse("sampling-home"))
    response = strict.post(reverse("sampling-home"),
                           {"csrfmiddlewaretoken": strict.cookies["csrftoken"].value,
                            "upload-file": SimpleUploadedFile("frame.csv", b"x" * 50_000)})
    assert response.status_code == 400
    assert "max_bytes" in response.content.decode()


def test_a_csv_with_a_header_of_many_columns_is_refused(analyst):
    response = post_frame(analyst, "frame.csv", b"," * 100_000 + b"\n")
    assert response.status_code == 400
    assert response.json()["errors"][0]["limit"] in ("max_columns", "max_line_bytes")


@pytest.mark.parametrize("name,content", [
    ("frame.xlsx", b"PK\x03\x04 this is not really a zip"),
    ("frame.xlsx", b"reference,name\nR1,Acme\n"),  # a CSV named .xlsx
    ("frame.csv", None),  # an .xlsx named .csv
    ("frame.xlsx", "truncated"),
])
def test_a_corrupt_or_misnamed_frame_is_a_400(analyst, name, content):
    good = xlsx([header_row()])
    content = good if content is None else good[: len(good) // 2] if content == "truncated" \
        else content
    response = post_frame(analyst, name, content)
    assert response.status_code == 400, response.content
    response = analyst.post(reverse("sampling-home"),
                            {"upload-file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400


def test_a_corrupt_questionnaire_workbook_is_a_400(analyst):
    for content in (b"PK\x03\x04 broken", xlsx([header_row()])[:500]):
        response = analyst.post(reverse("api-questionnaire-upload"),
                                {"workbook": SimpleUploadedFile("q.xlsx", content)})
        assert response.status_code == 400


def test_draw_sample_on_a_corrupt_file_exits_2_with_a_message(tmp_path):
    frame = tmp_path / "frame.xlsx"
    frame.write_bytes(b"PK\x03\x04 corrupt")
    out = tmp_path / "sample.csv"
    with pytest.raises(CommandError, match="cannot be read") as caught:
        call_command("draw_sample", str(frame), n=1, out=str(out), stdout=StringIO())
    assert caught.value.returncode == 2
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(xlsx([header_row(), row(2, ("A", "R1"), ("XFD", "far"))]))
    with pytest.raises(CommandError, match="max_columns") as caught:
        call_command("draw_sample", str(bomb), n=1, out=str(out), stdout=StringIO())
    assert caught.value.returncode == 2
    assert not out.exists()


def test_limits_are_named_in_one_place():
    assert FRAME_LIMITS.max_bytes <= upload_limits.MAX_UPLOAD_BYTES


@pytest.mark.parametrize("parse", ["margins", "borough_table"])
def test_small_csv_uploads_have_row_and_column_limits(parse):
    """Margins files and borough tables are bounded in rows and columns too, not only bytes:
    a 400 (UploadLimitError) naming the limit before anything is parsed."""
    from analysis.borough_table import _text as borough_text
    from analysis.margins_file import _text as margins_text
    from bas.upload_limits import UploadLimitError

    read = margins_text if parse == "margins" else borough_text
    many_rows = b"variable,category,total\n" + b"borough,E09000001,1\n" * 20_000
    wide = (",".join(f"c{i}" for i in range(200)) + "\n").encode()
    for content, limit in ((many_rows, "max_rows"), (wide, "max_columns")):
        with pytest.raises(UploadLimitError) as caught:
            read(content, "upload.csv")
        assert caught.value.fields["limit"] == limit and caught.value.http_status == 400
        assert "upload.csv" in caught.value.message
