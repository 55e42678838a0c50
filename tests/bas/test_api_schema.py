"""The OpenAPI schema generates cleanly and documents every API module."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_documents_the_api(client, users):
    from accounts.roles import Role

    client.force_login(users[Role.ANALYST])
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for prefix in ("/api/me/", "/api/questionnaires/", "/api/frames/", "/api/waves/",
                   "/api/weightings/{id}/"):
        assert any(p.startswith(prefix) for p in paths), prefix


def test_schema_generation_has_no_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
