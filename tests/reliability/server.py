"""A real app server in a subprocess, sharing the test's database, and a retrying client.

On PostgreSQL the server opens the test database itself. The SQLite test database lives in
memory, which another process cannot open, so `shared_database` copies it to a file for the
server (sqlite3's backup API) and copies the file back afterwards for the test to inspect.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CSRF = "reliabilitytestcsrfsecret0123456"  # 32 characters, as Django's CSRF secret


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL another process can use to reach this test's (committed) data."""
    if connection.vendor == "sqlite":
        file = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(file) as target:
            connection.connection.backup(target)
        try:
            yield f"sqlite:///{file}"
        finally:
            with sqlite3.connect(file) as source:
                source.backup(connection.connection)
    else:
        db = connection.settings_dict
        yield (f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST'] or 'localhost'}"
               f":{db['PORT'] or 5432}/{db['NAME']}")


def session_for(user) -> str:
    """A logged-in session (what django.contrib.auth.login stores), without the login view."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]  # the login limit's
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """`manage.py runserver --noreload` (threaded) on a fixed port: start, kill -9, restart."""

    def __init__(self, database_url: str, log_file: Path):
        self.port = _free_port()
        self.log_file = log_file
        self.env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1",
                    "SECRET_KEY": settings.SECRET_KEY,  # the sessions' auth hashes use it
                    "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "ERROR"}
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, seconds: float = 30) -> None:
        with self.log_file.open("a") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks",
                 f"127.0.0.1:{self.port}"], cwd=ROOT, env=self.env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_file.read_text()[-2000:]}")
            try:
                requests.get(f"{self.url}/accounts/login/", timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not start in {seconds} s")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as a crash or an OOM kill."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def app_server(database_url: str, tmp_path: Path) -> Iterator[AppServer]:
    server = AppServer(database_url, tmp_path / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Tab:
    """One browser tab's API calls: the session cookie, the CSRF token, retries on errors
    and lost connections that resend the same body (so the same event id)."""

    def __init__(self, server: AppServer, session_key: str, *, retry_seconds: float = 20):
        self.server = server
        self.http = requests.Session()
        self.headers = {"Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
                        "X-CSRFToken": CSRF}
        self.retry_seconds = retry_seconds
        self.failures: list[str] = []  # errors and lost connections, retried

    def post(self, path: str, body: dict | None = None) -> requests.Response:
        deadline = time.monotonic() + self.retry_seconds
        while True:
            try:
                response = self.http.post(f"{self.server.url}{path}", json=body or {},
                                          headers=self.headers, timeout=10)
                if response.status_code < 500:
                    return response
                self.failures.append(f"{path}: HTTP {response.status_code}")
            except requests.RequestException as exc:
                self.failures.append(f"{path}: {type(exc).__name__}")
            if time.monotonic() > deadline:
                raise AssertionError(f"POST {path} kept failing: {self.failures[-3:]}")
            time.sleep(0.1)

    def get(self, path: str) -> requests.Response:
        return self.http.get(f"{self.server.url}{path}", headers=self.headers, timeout=10)
