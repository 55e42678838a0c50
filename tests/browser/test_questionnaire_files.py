"""Issue 15 in a real headless Chromium: the analyst uploads a workbook with the CSV files it
reads; first without one of them (the problem is listed with its row and column, nothing
stored), then with both plus one no row reads (stored, with a warning)."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import Role
from questionnaires.models import QuestionnaireVersion
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD, make_user
from tests.questionnaires.test_attached_files import AREAS, CODES, WORKBOOK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst(transactional_db):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return make_user(Role.ANALYST)


def test_an_analyst_uploads_a_workbook_with_its_csv_files(page, live_server, analyst,
                                                          tmp_path):
    files = {"with_files.xlsx": WORKBOOK, "areas.csv": AREAS, "codes.csv": CODES,
             "spare.csv": b"a,b\n1,2\n"}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    log_in(page, live_server, analyst.username, PASSWORD)
    page.goto(f"{live_server.url}/questionnaires/upload/")
    page.set_input_files("input[name=workbook]", str(tmp_path / "with_files.xlsx"))
    page.set_input_files("input[name=files]", str(tmp_path / "areas.csv"))
    page.click("button:text('Check and upload')")
    expect(page.locator("table.problems")).to_contain_text("'codes.csv' is not attached")
    expect(page.locator("table.problems tbody tr")).to_have_count(1)
    expect(page.locator("table.problems tbody td").nth(2)).to_have_text("3")
    expect(page.locator("table.problems tbody td").nth(3)).to_have_text("calculation")
    assert not QuestionnaireVersion.objects.exists()

    page.set_input_files("input[name=workbook]", str(tmp_path / "with_files.xlsx"))
    page.set_input_files("input[name=files]", [str(tmp_path / n)
                                               for n in ("areas.csv", "codes.csv", "spare.csv")])
    page.click("button:text('Check and upload')")
    page.wait_for_url(re.compile(r"/questionnaires/versions/\d+/$"))
    expect(page.locator("body")).to_contain_text("CSV files: areas.csv")
    expect(page.locator(".warnings")).to_contain_text("file 'spare.csv' is attached but no "
                                                      "row reads it")
    screenshot(page, "questionnaire-csv-files")
    version = QuestionnaireVersion.objects.get()
    assert sorted(version.files.values_list("filename", flat=True)) == [
        "areas.csv", "codes.csv", "spare.csv"]
    assert not [e for e in page.errors if not e.startswith("Failed to load resource")]
