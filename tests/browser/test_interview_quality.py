"""A supervisor's path to interview quality in Chromium: the wave page links to the
quality table, the flagged interviewer stands out, the table sorts, and the paradata
downloads as a zip; no console errors (CSP: no inline code)."""

import io
import zipfile
from pathlib import Path

import pytest

from accounts.roles import Role
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD
from tests.survey.test_quality import team_wave  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_finds_the_flagged_interviewer_and_downloads_paradata(
        page, live_server, team_wave, users):  # noqa: F811
    log_in(page, live_server, users[Role.SUPERVISOR].username, PASSWORD)
    page.goto(f"{live_server.url}/supervision/waves/{team_wave.pk}/")
    page.click("#quality-link")
    page.wait_for_url(f"{live_server.url}/supervision/waves/{team_wave.pk}/quality/")
    assert "speedy" in page.inner_text("#flag-summary")
    flagged = page.locator("#quality tbody tr.flagged")
    assert flagged.count() == 1 and flagged.get_attribute("data-username") == "speedy"
    assert page.locator("#quality tbody tr.flagged td.flag").count() == 4
    page.click("#quality thead th:nth-child(3)")  # sort by seconds per question
    first = page.locator("#quality tbody tr").first.get_attribute("data-username")
    assert first == "speedy"
    screenshot(page, "supervision-quality")
    with page.expect_download() as info:
        page.click("#paradata-download")
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert sorted(archive.namelist()) == ["README.txt", "events.csv", "paradata.csv"]
    assert page.errors == []
