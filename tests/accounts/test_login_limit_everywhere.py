"""The login limit holds on every way in (login page, HTTP Basic on the API), failed Basic
logins are audited once and quickly, and the client address behind a proxy is the client's
(issue 18, items 1 and 3)."""

import base64
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def basic(username: str, password: str) -> str:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Basic {token}"


def test_a_wrong_password_through_basic_is_refused_quickly_and_audited_once(client, users):
    user = users[Role.ANALYST]
    started = time.perf_counter()
    response = client.get("/api/me/", HTTP_AUTHORIZATION=basic(user.username, "wrong"))
    assert response.status_code in (401, 403)  # 403: session authentication comes first
    assert time.perf_counter() - started < 5
    failures = AuditEvent.objects.filter(action="login_failed", username=user.username)
    assert failures.count() == 1
    assert failures.get().ip_address == "127.0.0.1"


def test_the_right_password_through_basic_works(client, users):
    user = users[Role.ANALYST]
    response = client.get("/api/me/", HTTP_AUTHORIZATION=basic(user.username, PASSWORD))
    assert response.status_code == 200
    assert response.json()["username"] == user.username


@override_settings(LOGIN_MAX_FAILURES=3)
def test_basic_failures_count_and_a_locked_user_is_refused_everywhere(client, users):
    user = users[Role.ANALYST]
    for _ in range(3):
        assert client.get("/api/me/", HTTP_AUTHORIZATION=basic(user.username, "x")
                          ).status_code in (401, 403)
    # the right password through Basic is refused now ...
    response = client.get("/api/me/", HTTP_AUTHORIZATION=basic(user.username, PASSWORD))
    assert response.status_code == 429
    assert "Retry-After" in response
    # ... and so on the login page, for that user
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed").count() == 3
    assert AuditEvent.objects.filter(action="login_blocked").count() == 2


@override_settings(LOGIN_MAX_FAILURES=3)
def test_failures_on_the_login_page_lock_basic_too(client, users):
    user = users[Role.SUPERVISOR]
    for _ in range(3):
        client.post(reverse("login"), {"username": user.username, "password": "x"})
    response = client.get("/api/me/", HTTP_AUTHORIZATION=basic(user.username, PASSWORD))
    assert response.status_code == 429


def test_without_a_trusted_proxy_a_forged_forwarded_address_is_ignored(client, users):
    user = users[Role.ANALYST]
    client.post(reverse("login"), {"username": user.username, "password": "x"},
                HTTP_X_FORWARDED_FOR="203.0.113.5", REMOTE_ADDR="192.0.2.10")
    assert AuditEvent.objects.get(action="login_failed").ip_address == "192.0.2.10"


@override_settings(NUM_PROXIES=1)
def test_behind_a_proxy_the_audit_log_records_the_client(client, users):
    user = users[Role.ANALYST]
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD},
                HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    # one trusted proxy: the address it appended is the client's; the left one is the
    # client's own claim and is not believed
    assert AuditEvent.objects.get(action="login").ip_address == "198.51.100.7"
    client.post(reverse("login"), {"username": user.username, "password": "x"},
                HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.1")
    assert AuditEvent.objects.get(action="login_failed").ip_address == "10.0.0.1"


@override_settings(NUM_PROXIES=1, LOGIN_MAX_FAILURES=3)
def test_made_up_names_from_one_address_do_not_lock_everyone_out(client, users):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for i in range(40):
        client.post(reverse("login"), {"username": f"nobody{i}", "password": "x"},
                    HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    # the attacker's address is refused, even with a real user's right password ...
    user = users[Role.ANALYST]
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    assert response.status_code == 429
    # ... but real users elsewhere, through the same proxy, log in
    for role, address in ((Role.ANALYST, "198.51.100.1"), (Role.SUPERVISOR, "198.51.100.2")):
        client.logout()
        response = client.post(reverse("login"),
                               {"username": users[role].username, "password": PASSWORD},
                               HTTP_X_FORWARDED_FOR=address, **proxy)
        assert response.status_code == 302, role
        response = client.get("/api/me/", HTTP_AUTHORIZATION=basic(users[role].username,
                                                                   PASSWORD),
                              HTTP_X_FORWARDED_FOR=address, **proxy)
        assert response.status_code == 200


def test_password_checks_stop_at_the_limited_backend_and_old_sessions_still_work(client, users,
                                                                                   settings):
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = users[Role.ANALYST]
    client.get("/api/me/", HTTP_AUTHORIZATION=basic(user.username, "wrong"))
    assert AuditEvent.objects.filter(action="login_failed").count() == 1  # one check, once
    # a session made by Django's own backend before the limit moved into ours
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get("/api/me/").json()["username"] == user.username
