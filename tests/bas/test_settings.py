"""Settings come from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS,"
    " 'engine': db['ENGINE'], 'name': str(db['NAME']), 'key': settings.SECRET_KEY}))"
)


def read_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="bas.settings")
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean,
                          capture_output=True, text=True)


def test_debug_is_never_implied_by_a_missing_secret_key():
    result = read_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_manage_py_in_a_checkout_without_a_secret_key_is_in_debug():
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_defaults_are_zero_setup_sqlite_in_debug():
    result = read_settings(DEBUG="1")
    values = json.loads(result.stdout)
    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(ROOT / "db.sqlite3")
    assert "localhost" in values["hosts"]


def test_a_login_lasts_a_working_day_unless_set():
    probe = "from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
    for env, age in (({}, "32400"), ({"SESSION_COOKIE_AGE": "3600"}, "3600")):
        clean = {k: v for k, v in os.environ.items() if k != "SESSION_COOKIE_AGE"}
        clean.update(env, DEBUG="1", DJANGO_SETTINGS_MODULE="bas.settings")
        result = subprocess.run([sys.executable, "-c", "import django; django.setup();"
                                 + probe], cwd=ROOT, env=clean, capture_output=True, text=True)
        assert result.stdout.strip() == age, result.stderr


def test_database_url_selects_postgresql():
    result = read_settings(DATABASE_URL="postgres://u:p@db.example:5433/bas", DEBUG="1")
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "bas"


def test_production_needs_a_secret_key():
    result = read_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_from_environment():
    result = read_settings(DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="bas.example, a.b")
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["hosts"] == ["bas.example", "a.b"]
    assert values["key"] == "x" * 60


def test_deploy_checks_are_clean_with_production_settings():
    # (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check)
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(DEBUG="0", SECRET_KEY="Zx9-aQ7!pL2#mK5%" * 4, ALLOWED_HOSTS="bas.example",
                 DJANGO_SETTINGS_MODULE="bas.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


LOG_PROBE = (
    "import logging, django; django.setup();"
    "logging.getLogger('django.request').warning('probe warning');"
    "logging.getLogger('django.request').error('probe error')"
)


def log_output(level: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "LOG_LEVEL"}
    env.update(LOG_LEVEL=level, DJANGO_SETTINGS_MODULE="bas.settings")
    result = subprocess.run([sys.executable, "-c", LOG_PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_log_level_holds_for_djangos_own_loggers():
    assert "probe warning" not in log_output("ERROR")
    assert log_output("ERROR").count("probe error") == 1  # once, not by two handlers
    assert "probe warning" in log_output("warning")


STATIC_PROBE = (
    "import django; django.setup(); from django.test import Client;"
    "r = Client().get('/static/exports/vendor/chart.umd.min.js');"
    "body = b''.join(r.streaming_content) if r.streaming else r.content;"
    "print(r.status_code, len(body), r.headers.get('Content-Type'));"
    "print(Client().get('/static/no/such/file.js').status_code)"
)


def test_app_servers_serve_static_files_with_debug_off():
    """The dashboard's chart library, the interviewing script and the API docs reach a
    browser from gunicorn with production settings, with no web server in front."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update(DJANGO_SETTINGS_MODULE="bas.settings", DEBUG="0", SECRET_KEY="x" * 60,
               ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="0")
    result = subprocess.run([sys.executable, "-c", STATIC_PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found, missing = result.stdout.splitlines()
    status, size, content_type = found.split(" ", 2)
    assert status == "200" and int(size) > 100_000 and "javascript" in content_type
    assert missing == "404"
