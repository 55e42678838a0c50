"""The public API's rate limit: per client address, counted in the database (so it holds
across app servers), 429 with Retry-After beyond it; set from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache, caches
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def limited(settings):
    settings.PUBLIC_API_RATE = "3/min"
    caches["shared"].clear()


def test_requests_beyond_the_rate_are_refused_with_retry_after(limited, client):
    url = reverse("public-waves")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(reverse("public-estimates"))  # one limit over the public API
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["detail"].startswith("Request was throttled")
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200  # another client


def test_the_count_lives_in_the_database_not_in_the_process(limited, client):
    url = reverse("public-measures")
    for _ in range(3):
        client.get(url)
    cache.clear()  # an app server's own memory: another server starts with nothing
    assert client.get(url).status_code == 429
    caches["shared"].clear()
    assert client.get(url).status_code == 200


def test_behind_a_proxy_the_forwarded_client_address_counts(limited, client, settings):
    settings.NUM_PROXIES = 1
    url = reverse("public-domains")
    for _ in range(3):
        assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_limit(limited, client):
    url = reverse("public-domains")
    for i in range(3):
        client.get(url, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_staff_api_is_not_limited(limited, client, users):
    from accounts.roles import Role

    client.force_login(users[Role.ANALYST])
    assert {client.get(reverse("api-waves")).status_code for _ in range(6)} == {200}


@pytest.mark.parametrize(("value", "ok"), [("60/min", True), ("off", True), ("5/hour", True),
                                           ("lots", False), ("5/fortnight", False)])
def test_rate_from_the_environment_is_checked(value, ok):
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_API_RATE"}
    env.update(PUBLIC_API_RATE=value, DJANGO_SETTINGS_MODULE="bas.settings")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert (result.returncode == 0) == ok, result.stderr
    if not ok:
        assert f"PUBLIC_API_RATE: '{value}' is not a rate" in result.stderr
