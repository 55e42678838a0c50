"""The analyst's part of a wave in a real browser (issue 14, steps 5-7): weigh a closed wave
with options and a margins file, read the diagnostics, accept, estimate, review and download,
publish from the preview with a confirmation; then the public dashboard shows the wave and its
downloads work."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from analysis.services import frame_population
from sampling.data.boroughs import BOROUGHS
from tests.browser.conftest import log_in, screenshot
from tests.exports.conftest import BAS_WORKBOOK, make_wave
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst(transactional_db):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return make_user(Role.ANALYST)


@pytest.fixture
def closed_wave(agency):
    from questionnaires.services import questionnaire_version_upload

    version = questionnaire_version_upload(workbook=BAS_WORKBOOK.read_bytes(),
                                           filename=BAS_WORKBOOK.name)
    return make_wave(agency, version, name="Wave 2026", seed=5, frame_size=2000, n=300)


def test_weigh_accept_review_publish_and_see_it_public(page, live_server, analyst,
                                                       closed_wave, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    population = frame_population(closed_wave)
    margins = tmp_path / "counts.csv"
    margins.write_text("variable,category,total\n" + "".join(
        f"borough,{BOROUGHS[code]},{total}\n" for code, total in population["borough"].items()
    ) + "".join(f"size_band,{band},{total}\n" for band, total in population["size_band"].items()))

    log_in(page, live_server, analyst.username, PASSWORD)
    page.goto(f"{live_server.url}/analysis/")
    page.click("text=Weight this wave")
    # a bad option is named beside its field, and nothing is run
    page.fill("input[name=median_cap]", "0.5")
    page.click("button:has-text('Weight and show the diagnostics')")
    assert "The upper trimming bound must be more than 1 times the median weight" in (
        page.inner_text("main"))
    page.check("input[name=population][value=file]")
    page.set_input_files("input[name=file]", str(margins))
    page.fill("input[name=source]", "ONS UK Business Counts 2025")
    page.fill("input[name=as_of]", "2025-03-31")
    page.uncheck("input[name=rake_variables][value=sector_group]")
    page.fill("input[name=median_cap]", "5")
    page.click("button:has-text('Weight and show the diagnostics')")
    main = page.inner_text("main")
    for text in ("draft, not yet accepted", "Design effect from weighting", "Effective sample "
                 "size", "Weight range", "ONS UK Business Counts 2025, as at 31 March 2025",
                 "Camden"):
        assert text in main, text
    screenshot(page, "analyst-weighting-diagnostics")
    page.click("button:has-text('Accept this weighting run')")
    assert "accepted by" in page.inner_text("main")
    page.select_option("select[name=ci]", "logit")
    page.click("button:has-text('Estimate')")
    # review: filter by measure and borough, names not codes; downloads
    page.select_option("select[name=by]", "borough")
    page.click("button:has-text('Show')")
    table = page.inner_text("table.estimates")
    assert "Westminster" in table and "E09000033" not in table
    with page.expect_download() as download:
        page.click("text=Download XLSX")
    assert download.value.suggested_filename.endswith(".xlsx")
    # publish: preview, then a confirmation
    page.click("text=Publish Wave 2026")
    assert "what the public will see" in page.inner_text("main")
    page.click("button:has-text('Publish Wave 2026')")
    assert "tick the box to confirm" in page.inner_text("main")
    page.check("input[name=confirm]")
    page.click("button:has-text('Publish Wave 2026')")
    assert "Wave 2026 is published" in page.inner_text("main")
    # the public sees it, with its downloads
    page.goto(f"{live_server.url}/results/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector("
                           "'#sector-chart'))")
    assert "Wave 2026" in page.inner_text("#publications")
    for href in page.eval_on_selector_all("#publications .downloads a",
                                          "links => links.map(a => a.href)"):
        assert page.request.get(href).status == 200
    # the two refused forms answered 400 on purpose (and the browser logs that); nothing else
    expected = "Failed to load resource: the server responded with a status of 400"
    assert [e for e in page.errors if not e.startswith(expected)] == []
    assert len(page.errors) == 2
