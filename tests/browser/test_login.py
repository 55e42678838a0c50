"""The login page in a real browser: loads, logs in, no console errors."""

import pytest

from accounts.roles import Role
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_and_see_the_home_page(page, live_server, users):
    log_in(page, live_server, users[Role.ANALYST].username, PASSWORD)
    assert "Welcome" in page.inner_text("h1")
    assert page.locator("nav a", has_text="Sampling").count() == 1
    assert screenshot(page, "home-analyst").stat().st_size > 0
    assert page.errors == []
