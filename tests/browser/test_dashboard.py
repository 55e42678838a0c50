"""The public results dashboard in a real browser: no login, charts drawn, tables beside
them, no console errors, a screenshot."""

import pytest

from exports.disclosure import DisclosureRules
from exports.services import wave_publish
from tests.browser.conftest import screenshot
from tests.exports.conftest import BAS_WORKBOOK, make_wave, weigh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_published_waves(agency, tmp_path):
    from questionnaires.services import questionnaire_version_upload

    bas_version = questionnaire_version_upload(workbook=BAS_WORKBOOK.read_bytes(),
                                               filename=BAS_WORKBOOK.name)
    for name, seed in (("Wave 2024", 5), ("Wave 2025", 7)):
        wave = make_wave(agency, bas_version, name=name, seed=seed, frame_size=2000, n=300)
        weigh(wave)
        # a low threshold so that the tile map has shaded boroughs to show
        wave_publish(wave=wave, out=tmp_path / name, rules=DisclosureRules(threshold=4))


def canvas_drawn(page, selector: str) -> bool:
    return page.evaluate("""(selector) => {
        const canvas = document.querySelector(selector);
        if (!window.Chart || !Chart.getChart(canvas)) return false;
        const context = canvas.getContext('2d');
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
        return false;
    }""", selector)


def test_dashboard_draws_its_charts(page, live_server, two_published_waves):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/results/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector("
                           "'#sector-chart'))")
    assert canvas_drawn(page, "#trend-chart") and canvas_drawn(page, "#sector-chart")
    trend = page.evaluate("() => Chart.getChart(document.querySelector('#trend-chart'))"
                          ".data.labels")
    assert trend == ["Wave 2024", "Wave 2025"]
    assert page.locator("#borough-map rect").count() == 33
    fills = page.eval_on_selector_all("#borough-map rect",
                                      "rects => rects.map(r => r.getAttribute('fill'))")
    assert len(set(fills) - {"#d0d4d9"}) > 5  # shaded by value, grey where withheld
    assert page.locator("#trend-table tbody tr").count() == 8  # 4 headline x 2 waves
    # change from Wave 2024 to the latest wave, every published measure, with the chart
    assert canvas_drawn(page, "#change-chart")
    assert page.inner_text("#change-table caption").startswith(
        "Change from Wave 2024 to Wave 2025")
    change_rows = page.locator("#change-table tbody tr")
    assert change_rows.count() == page.locator("#measure-select option").count()
    assert page.inner_text("#change-table tbody tr:first-child td:last-child") in (
        "Yes *", "No", "[c]")
    # the first wave has nothing to compare with, and says so
    page.select_option("#wave-select", label="Wave 2024")
    assert "No earlier published wave" in page.inner_text("#change-note")
    assert change_rows.count() == 0
    page.select_option("#wave-select", label="Wave 2025")
    assert page.locator("#sector-table tbody tr").count() == 6
    assert page.locator("#borough-table tbody tr").count() == 33
    # choosing another measure redraws the sector chart and the tile map
    page.select_option("#measure-select", "victim_online")
    assert "Online victimisation" in page.inner_text("#sector-table caption")
    assert all(url.startswith(live_server.url) for url in requests)
    assert screenshot(page, "results-dashboard").stat().st_size > 0
    assert page.errors == []


def test_dashboard_without_published_waves_says_so(page, live_server, db):
    page.goto(f"{live_server.url}/results/")
    assert "No results have been published yet" in page.inner_text("main")
    assert page.errors == []
