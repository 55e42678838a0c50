"""Schemathesis against the OpenAPI schema: no generated request gets a 500, whoever sends it,
and stored data is unchanged by refused requests (4xx)."""

import base64
import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from accounts.roles import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def load_schema():
    """The schema as drf-spectacular generates it (no database needed), served by the app."""
    from drf_spectacular.generators import SchemaGenerator

    from bas.wsgi import application

    loaded = schemathesis.openapi.from_dict(
        json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True),
                              default=str)))
    loaded.app = application
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's test client stops requests from closing the database connection (the test's
    transaction lives on it); schemathesis calls the WSGI app directly, so do the same."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def basic_auth(user) -> dict[str, str]:
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@schema.parametrize()
@settings(max_examples=10, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_request_gets_a_server_error(case, agency):
    from accounts.models import AuditEvent

    users = [make_user(Role.ANALYST), make_user(Role.INTERVIEWER, agency=agency)]
    for user in users:
        before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = case.call(headers=basic_auth(user))
        assert response.status_code < 500, (case.method, case.path, response.text[:500])
        if 400 <= response.status_code < 500:
            # a refused request records no data change
            assert not AuditEvent.objects.filter(pk__gt=before).exclude(
                action__startswith="login").exists()
