"""The analyst's borough estimates in a real browser (issue 16): from the analysis home to a
wave's borough estimates, choose the model (a bad threshold is named beside its field), run
it, read the diagnostics with their three SVG plots and the borough table, switch measure,
and see the run marked as the one publication uses."""

import pytest
from django.contrib.auth.models import Group

from accounts.roles import Role
from sampling.data.boroughs import BOROUGHS
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst(transactional_db):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return make_user(Role.ANALYST)


@pytest.fixture
def run(agency):
    from sampling import services as sampling
    from tests.analysis.test_small_area_service import accepted_run

    return accepted_run(agency, sampling.frame_create_synthetic(size=4000, seed=11), seed=4)


def test_choose_a_model_run_it_and_read_its_diagnostics(page, live_server, analyst, run,
                                                        tmp_path):
    table = tmp_path / "crime.csv"
    table.write_text("borough,crime_rate\n" + "".join(
        f"{name},{10 + i % 7}\n" for i, name in enumerate(BOROUGHS.values())))
    log_in(page, live_server, analyst.username, PASSWORD)
    page.goto(f"{live_server.url}/analysis/")
    page.click("text=Borough estimates")
    assert "No borough estimates yet." in page.inner_text("main")
    page.click("text=Estimate borough figures")
    # a borough table uploaded on the same page, then offered with its source and date
    page.set_input_files("input[name=file]", str(table))
    page.fill("input[name=source]", "Met Police recorded crime")
    page.fill("input[name=as_of]", "2025-06-30")
    page.click("button:has-text('Upload the table')")
    assert "Met Police recorded crime, figures of 30 June 2025" in page.inner_text("main")
    page.locator("input[name=table_columns]").first.check()
    # the tiny test questionnaire asks two of the four measures
    page.uncheck("input[name=measures][value=victim_fraud]")
    page.uncheck("input[name=measures][value=victim_any]")
    page.check("input[name=method][value=ml]")
    page.check("input[name=auxiliaries][value=share_size_10_49]")
    page.fill("input[name=model_threshold]", "a quarter")
    page.click("button:has-text('Estimate and show the diagnostics')")
    main = page.inner_text("main")
    assert "correct the choices marked below" in main
    assert "Give the model-based estimate's highest relative root MSE as a number" in main
    # what was chosen is kept
    assert page.is_checked("input[name=method][value=ml]")
    assert not page.is_checked("input[name=measures][value=victim_any]")
    page.fill("input[name=model_threshold]", "30")
    page.click("button:has-text('Estimate and show the diagnostics')")
    page.wait_for_url("**/analysis/borough-estimates/**")
    main = page.inner_text("main")
    for text in ("ML (maximum likelihood)", "Model variance A", "Fitted coefficients",
                 "share_size_10_49", "crime_rate from the borough table", "ratio factor",
                 "Used for publication",
                 "Standardised residuals by borough", "Westminster"):
        assert text in main, text
    plots = page.locator(".plots svg")
    assert plots.count() == 3
    for i in range(3):
        box = plots.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 200
    assert page.locator(".plots svg circle").count() > 33
    assert page.locator("table.small-area-boroughs tbody tr").count() == 33
    screenshot(page, "small_area_diagnostics")
    first = page.inner_text("nav.measure-tabs strong")
    page.locator("nav.measure-tabs a").first.click()
    page.wait_for_url("**?measure=**")
    assert page.inner_text("nav.measure-tabs strong") != first
    assert page.locator(".plots svg").count() == 3
    page.click("text=All borough estimates of")
    assert "Used for publication" in page.inner_text("main")
    # the one console message is the form's own 400 answer to the bad threshold
    assert page.errors == ["Failed to load resource: the server responded with a status of "
                           "400 (Bad Request)"]
