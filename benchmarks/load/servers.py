"""App servers for the load benchmark: gunicorn processes sharing one database."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
# Request line, status and time taken in microseconds (server-side latency).
ACCESS_FORMAT = '%(m)s %(U)s %(s)s %(D)s'


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    access_log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str, secret_key: str) -> dict[str, str]:
    """Production-like settings (DEBUG off) on plain HTTP on the loopback."""
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secret_key,
            "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "ERROR"}


def gunicorn_start(*, env: dict[str, str], workers: int, threads: int, log_dir: Path) -> Server:
    port = free_port()
    access_log = log_dir / f"access-{port}.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # The deployment's own settings (bas/gunicorn.conf.py: preloaded app, gthread workers),
    # with this run's port, worker counts and logs.
    command = [str(gunicorn), "--config", str(ROOT / "bas" / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--threads", str(threads),
               "--access-logfile", str(access_log),
               "--access-logformat", ACCESS_FORMAT,
               "--error-logfile", str(log_dir / f"error-{port}.log")]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    server = Server(port, process, access_log)
    wait_until_up(server)
    return server


def wait_until_up(server: Server, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn on port {server.port} exited "
                             f"(code {server.process.returncode})")
        try:
            requests.get(f"{server.url}/accounts/login/", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {server.port} did not answer within {seconds:.0f} s")


def server_stop(server: Server) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


def server_latencies_ms(server: Server, path_part: str, method: str = "POST") -> list[float]:
    """Server-side times (ms) of successful requests whose path contains `path_part`."""
    times = []
    if not server.access_log.exists():
        return times
    for line in server.access_log.read_text().splitlines():
        parts = line.split()
        if (len(parts) == 4 and parts[0] == method and path_part in parts[1]
                and parts[2].startswith("2")):
            times.append(int(parts[3]) / 1000)
    return times
