"""The audit log (logins, data changes) and the login rate limit."""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import Agency, AuditEvent
from accounts.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_logins_logouts_and_failures_are_audited(client, users):
    user = users[Role.INTERVIEWER]
    client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(username=user.username)
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["login_failed", "login", "logout"]
    assert AuditEvent.objects.filter(action="login").first().ip_address == "127.0.0.1"


def test_data_changes_are_audited_with_the_user(client, users):
    admin = users[Role.ADMIN]
    client.force_login(admin)
    response = client.post(reverse("admin:accounts_agency_add"),
                           {"name": "Audited Research Ltd", "code": "audited"})
    assert response.status_code == 302
    agency = Agency.objects.get(code="audited")
    event = AuditEvent.objects.get(action="created", object_type="accounts.Agency",
                                   object_id=str(agency.pk))
    assert event.user == admin


@override_settings(LOGIN_MAX_FAILURES=3)
def test_repeated_failed_logins_are_blocked(client, users):
    user = users[Role.ANALYST]
    for _ in range(3):
        response = client.post(reverse("login"), {"username": user.username, "password": "x"})
        assert response.status_code == 200
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert AuditEvent.objects.filter(action="login_blocked").count() == 1
    assert "_auth_user_id" not in client.session
    # another user from another address is not blocked
    other = users[Role.SUPERVISOR]
    response = client.post(reverse("login"), {"username": other.username, "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_admins_can_read_but_not_change_the_audit_log(client, users):
    client.force_login(users[Role.ADMIN])
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200
    event = AuditEvent.objects.create(action="login", username="someone")
    assert client.post(reverse("admin:accounts_auditevent_delete", args=[event.pk]),
                       {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
