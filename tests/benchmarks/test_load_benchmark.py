"""The load benchmark itself works: a small run (two app servers) passes every check.

Not a timed test: the figures are printed, never asserted. It needs PostgreSQL, as the
benchmark does, so it runs in the PostgreSQL pass of CI (and wherever DATABASE_URL points
at PostgreSQL); on SQLite it is skipped with that reason.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.postgres


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("the load benchmark needs PostgreSQL (runs in CI's PostgreSQL pass)")


def test_small_load_run_with_two_servers_passes_every_check(on_postgres):
    run = subprocess.run(
        [sys.executable, "benchmarks/bench_load.py", "--servers", "2", "--interviewers", "6",
         "--workers", "2", "--threads", "2", "--duration", "15", "--think", "0.2",
         "--cases", "300", "--real-logins", "1", "--resend", "0.3"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-4000:]
    assert "FAIL" not in output
    for check in ("every acknowledged answer stored exactly once",
                  "no answer stored that was not acknowledged",
                  "no case held by two interviewers at once",
                  "every interview's answers equal the replay of its events",
                  "completed interviews are complete"):
        assert f"PASS {check}" in output, output[-4000:]
    # the honest figures: CPU the servers spent per request, and queries per answer save
    assert "server-side CPU per request" in output
    assert "queries per answer save (in process" in output, output[-2000:]
    assert "answer save, client-side: n " in output
    resent = int(output.split(" saves resent")[0].rsplit(", ", 1)[1])
    assert resent > 0, "no save was resent: the lost-response path was not exercised"
    completed = int(output.split("interviews completed ")[1].split()[0])
    assert completed > 0, "no interview was completed in the run"
