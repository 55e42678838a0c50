"""The API documentation page renders Swagger UI from local static files."""

import pytest

from accounts.roles import Role
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_without_a_cdn(page, live_server, users):
    log_in(page, live_server, users[Role.ANALYST].username, PASSWORD)
    external = []
    page.on("request", lambda r: external.append(r.url)
            if not r.url.startswith((live_server.url, "data:")) else None)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15000)
    assert "BAS survey system API" in page.inner_text(".swagger-ui .info")
    screenshot(page, "api-docs")
    assert external == []
    assert page.errors == []
