"""The public results dashboard in a real browser: no login, charts drawn, tables beside
them, no console errors, a screenshot."""

import pytest

from analysis.small_area_runs import small_area_estimates
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


@pytest.fixture
def one_published_wave(agency, tmp_path):
    from questionnaires.services import questionnaire_version_upload

    bas_version = questionnaire_version_upload(workbook=BAS_WORKBOOK.read_bytes(),
                                               filename=BAS_WORKBOOK.name)
    wave = make_wave(agency, bas_version, name="Wave 2024", seed=5, frame_size=2000, n=300)
    small_area_estimates(run=weigh(wave))  # borough estimates: direct, model-based or [c]
    return wave_publish(wave=wave, out=tmp_path / "w", rules=DisclosureRules(threshold=4))


def test_one_wave_shows_what_one_wave_can_and_its_downloads(page, live_server,
                                                            one_published_wave):
    page.goto(f"{live_server.url}/results/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector("
                           "'#sector-chart'))")
    # no four-dot trend: the headline estimates as bars with whiskers, and why
    trend = page.evaluate("() => { const c = Chart.getChart(document.querySelector("
                          "'#trend-chart')); return [c.config.type, "
                          "c.config.plugins.map(p => p.id), c.data.datasets[0].intervals.length]"
                          " }")
    assert trend == ["bar", ["whiskers"], 4]
    assert "Trends over time appear once a second wave" in page.inner_text("#trend-note")
    # no empty change chart: the section says change needs two waves
    assert "Change needs two published waves" in page.inner_text("#change-note")
    assert not page.is_visible("#change-chart")
    # whiskers on the sector bars
    sector = page.evaluate("() => { const c = Chart.getChart(document.querySelector("
                           "'#sector-chart')); return [c.config.plugins.map(p => p.id), "
                           "c.data.datasets[0].intervals.filter(Boolean).length] }")
    assert sector[0] == ["whiskers"] and sector[1] > 0
    # the tile map has a key; no interval is shown as "[c] to" or "to [c]"
    assert page.inner_text("#borough-legend").startswith("Key:")
    cells = page.eval_on_selector_all("table td", "cells => cells.map(c => c.textContent)")
    assert not [c for c in cells if "[c] to" in c or "to [c]" in c]
    # downloads, publication date and the methodology note
    links = page.eval_on_selector_all("#publications .downloads a",
                                      "links => links.map(a => [a.textContent, a.href])")
    assert [label for label, _ in links] == ["Results workbook (XLSX)", "Open data (CSV)",
                                             "Open data metadata (JSON)"]
    for _, href in links:
        response = page.request.get(href)
        assert response.status == 200 and len(response.body()) > 100
    text = page.inner_text("#publications")
    import datetime as dt

    release = dt.date.fromisoformat(one_published_wave.publication.facts["release_date"])
    assert f"Published {release.day} {release:%B %Y}" in text and "Methodology note" in text
    assert page.errors == []


def test_the_borough_map_colours_model_based_boroughs_and_says_so(page, live_server,
                                                                   one_published_wave):
    boroughs = [r for r in one_published_wave.publication.rows if r["breakdown"] == "borough"]
    measure = max({r["measure"] for r in boroughs}, key=lambda m: sum(
        r["measure"] == m and r["source"] == "model-based" for r in boroughs))
    rows = [r for r in boroughs if r["measure"] == measure]
    model = [r for r in rows if r["source"] == "model-based"]
    assert model, "the fixture's wave has model-based borough estimates"
    page.goto(f"{live_server.url}/results/")
    page.wait_for_selector("#borough-map rect[data-source]")
    page.select_option("#measure-select", measure)
    tiles = page.eval_on_selector_all("#borough-map rect", """rects => rects.map(r => ({
        code: r.dataset.code, source: r.dataset.source, fill: r.getAttribute('fill'),
        title: r.querySelector('title').textContent,
        mark: [...r.parentNode.querySelectorAll('text')].map(t => t.textContent),
        dash: getComputedStyle(r).strokeDasharray}))""")
    by_code = {t["code"]: t for t in tiles}
    for row in model:
        tile = by_code[row["domain"]]
        assert tile["source"] == "model-based" and tile["fill"] != "#d0d4d9"  # coloured
        assert "model" in tile["mark"] and tile["dash"] not in ("", "none")
        assert f"{row['estimate'] * 100:.1f}% (model-based, 95% CI" in tile["title"]
    # every borough that passes is coloured; only the suppressed ones are grey
    shown = {r["domain"] for r in rows if not r["suppressed"]}
    assert {c for c, t in by_code.items() if t["fill"] != "#d0d4d9"} == shown
    assert "fewer than 4 businesses" in page.inner_text("main")  # the publication's rule
    legend = page.inner_text("#borough-legend")
    assert "model-based (Fay-Herriot) estimate" in legend and "withheld [c]" in legend
    name = model[0]["domain_label"]
    cells = page.locator("#borough-table tbody tr", has_text=name).first.locator(
        "th, td").all_inner_texts()
    assert cells[0] == name and cells[-1] == "model-based"
    page.click("#borough-notes summary")
    notes = page.inner_text("#borough-notes")
    assert "Fay-Herriot" in notes and "not subject to the cell rule" in notes
    assert screenshot(page, "results-borough-map-model-based").stat().st_size > 0
    assert page.errors == []


def test_tables_fit_a_390_px_phone(page, live_server, one_published_wave):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/results/")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector("
                           "'#sector-chart'))")
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
        .filter(w => w.offsetParent !== null)
        .filter(w => w.querySelector('table').scrollWidth > w.clientWidth + 1)
        .map(w => w.querySelector('table').id)""")
    assert overflowing == []
    page_width = page.evaluate("() => document.querySelector('main').scrollWidth")
    assert page_width <= 390
    assert screenshot(page, "results-dashboard-phone").stat().st_size > 0
    assert page.errors == []
