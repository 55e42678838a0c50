"""Load benchmark: 200 simulated interviewers through the CATI API, then the database checked.

Run: python benchmarks/bench_load.py [--interviewers 200] [--servers 1|2] [--workers N]

Starts PostgreSQL if needed, creates a throwaway database (dropped at the end unless
--keep-db), migrates it and seeds a wave in the field through the services (synthetic
frame, sample, release, the BAS questionnaire, a wave open all week, interviewers). Starts
the app under gunicorn (with --servers 2, two gunicorn processes on different ports sharing
the database; interviewers split between them) and lets each simulated interviewer work
cases: next case, a "no answer" dial or an interview answered question by question, then
complete. Clients retry errors and timeouts with the SAME event id.

Afterwards it checks the database (benchmarks/load/checks.py) and prints throughput,
p50/p95/p99 latency of an answer save (client-side, and server-side from gunicorn's access
log) and CPU use by process. Target: p95 under 50 ms with 200 interviewers, zero answers lost
or duplicated. Exits 1 if any check fails.

Interviewers pause --think seconds (uniform 0.5x-1.5x) before each step, as people do. A CATI
interviewer reads a question and hears the answer in 10-20 s or more (a 30-question interview
takes 15-25 minutes), so the default 10 s is the brisk end of a real call centre, and the
default 480 s lets most interviewers finish a whole interview (35 or so answers). --think 3
--duration 180 carries three times that load; --think 1 or 0 overloads the servers on purpose
to find their capacity.

A share of answer saves (--resend, default 5%) is sent a second time with the same event id,
as a client does when a response is lost after the server committed; the server must return
the stored event (200, created false), and the checks find no duplicate.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load.client import Api, ClientLog, Interviewer, Plan  # noqa: E402
from benchmarks.load.database import database_create, database_drop, postgres_ready  # noqa: E402
from benchmarks.load.report import (  # noqa: E402
    cpu_share_lines,
    cpu_snapshot,
    latency_line,
    percentile,
)
from benchmarks.load.servers import (  # noqa: E402
    gunicorn_start,
    server_env,
    server_latencies_ms,
    server_stop,
)

TARGET_P95_MS = 50.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--interviewers", type=int, default=200)
    parser.add_argument("--servers", type=int, choices=[1, 2], default=1,
                        help="gunicorn processes on different ports sharing the database")
    parser.add_argument("--workers", type=int, default=0,
                        help="gunicorn worker processes per server (default: 2 x cores + 1, "
                             "shared out between the servers, as they share this machine)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--duration", type=float, default=480.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=10.0,
                        help="mean seconds an interviewer pauses before each step")
    parser.add_argument("--resend", type=float, default=0.05,
                        help="share of answer saves sent again as if the response was lost")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="client timeout per request (then it retries the same event id)")
    parser.add_argument("--cases", type=int, default=0,
                        help="sample size (default: 10 per interviewer, at least 1,000)")
    parser.add_argument("--real-logins", type=int, default=3,
                        help="interviewers who log in through the login view (PBKDF2 is slow; "
                             "the rest get sessions made at seeding)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def setup_django(database_url: str, secret_key: str) -> None:
    os.environ.update(server_env(database_url, secret_key))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bas.settings"
    import django

    django.setup()


def drive(args, seeded, urls: list[str]) -> tuple[ClientLog, float]:
    """Run every simulated interviewer for --duration seconds; their merged log and the time."""
    stop = threading.Event()
    plan = Plan(seeded.wave_id, stop, args.think, resend_share=args.resend)
    people = []
    for i, person in enumerate(seeded.interviewers):
        api = Api(urls[i % len(urls)], ClientLog(), timeout=args.timeout)
        if i < args.real_logins:
            api.log_in(person.username, person.password)
        else:
            api.use_session(person.session_key)
        people.append(Interviewer(api, person.username, plan, random.Random(args.seed + i)))
    ramp = max(args.think, 1.0)
    threads = [threading.Thread(target=_staggered, args=(p, i * ramp / len(people), stop))
               for i, p in enumerate(people)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(args.duration)
    stop.set()
    for thread in threads:
        thread.join(timeout=args.timeout * 12)
    elapsed = time.perf_counter() - start
    log = ClientLog()
    for person in people:
        log.merge(person.log)
    return log, elapsed


def _staggered(person: Interviewer, delay: float, stop: threading.Event) -> None:
    if not stop.wait(delay):
        person.run()


def print_report(args, seeded, log: ClientLog, elapsed: float, servers, cpu,
                 spent: dict[str, float]) -> None:
    answers = len(log.answer_ms)
    requests_made = sum(log.statuses.values())
    print(f"\n== {args.interviewers} interviewers, {args.servers} server(s) x {args.workers} "
          f"workers x {args.threads} threads, think {args.think:g} s, {elapsed:.1f} s of load")
    print(f"wave {seeded.wave_id}: {seeded.cases} cases released; claims {len(log.claims)}, "
          f"interviews completed {len(log.completed)}")
    print(f"throughput: {answers / elapsed:.1f} answer saves/s, "
          f"{requests_made / elapsed:.1f} requests/s ({requests_made} requests, "
          f"{log.retries} retries, {log.resends} saves resent as after a lost response)")
    print(latency_line("answer save, client-side", log.answer_ms))
    server_ms = [ms for s in servers for ms in server_latencies_ms(s, "/answers/")]
    print(latency_line("answer save, server-side", server_ms))
    for label, path in (("next case", "/next-case/"), ("call outcome", "/calls/"),
                        ("interview start", "/interview/"), ("complete", "/complete/")):
        times = [ms for s in servers for ms in server_latencies_ms(s, path)]
        print(latency_line(f"  {label}, server-side", times))
    p95 = percentile(log.answer_ms, 95)
    verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict} (p95 {p95:.1f} ms)")
    print("responses: " + ", ".join(f"{k} x{v}" for k, v in sorted(log.statuses.items())))
    print("CPU over the run (PostgreSQL counts every database on the machine):")
    for line in cpu:
        print(f"  {line}")
    served = max(1, sum(len(s.access_log.read_text().splitlines()) for s in servers
                        if s.access_log.exists()))
    print(f"server-side CPU per request ({served} requests served): app servers "
          f"{1000 * spent.get('app servers', 0.0) / served:.1f} ms, PostgreSQL "
          f"{1000 * spent.get('postgres', 0.0) / served:.1f} ms")
    if log.errors:
        print(f"client errors ({len(log.errors)}), first ten:")
        for error in log.errors[:10]:
            print(f"  {error}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.cases = args.cases or max(1000, 10 * args.interviewers)
    args.workers = args.workers or max(2, math.ceil((2 * (os.cpu_count() or 1) + 1)
                                                    / args.servers))
    postgres_ready()
    database = database_create()
    print(f"database {database.name} (PostgreSQL)")
    secret_key = secrets.token_urlsafe(50)
    setup_django(database.url, secret_key)
    from django.core.management import call_command
    from django.db import connections

    from benchmarks.load.checks import Check, run_checks
    from benchmarks.load.seed import seed_wave

    servers = []
    try:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        seeded = seed_wave(interviewers=args.interviewers, cases=args.cases, seed=args.seed)
        print(f"migrated and seeded in {time.perf_counter() - started:.1f} s: wave "
              f"{seeded.wave_id}, {seeded.cases} cases, {len(seeded.interviewers)} interviewers")
        connections.close_all()
        log_dir = Path(tempfile.mkdtemp(prefix="bas-load-"))
        env = server_env(database.url, secret_key)
        servers = [gunicorn_start(env=env, workers=args.workers, threads=args.threads,
                                  log_dir=log_dir) for _ in range(args.servers)]
        print("servers: " + ", ".join(s.url for s in servers) + f" (logs in {log_dir})")
        pids = [s.process.pid for s in servers]
        before = cpu_snapshot(pids)
        log, elapsed = drive(args, seeded, [s.url for s in servers])
        after = cpu_snapshot(pids)
        cpu = cpu_share_lines(before, after, elapsed)
        for server in servers:
            server_stop(server)
        spent = {name: after[name] - before.get(name, 0.0) for name in after}
        print_report(args, seeded, log, elapsed, servers, cpu, spent)
        checks = run_checks(seeded.wave_id, log)
        checks.append(Check("no request failed for good", problems=list(log.errors),
                            checked=sum(log.statuses.values())))
        # after the checks: these saves are not the clients' and would count as extra
        from benchmarks.load.queries import queries_line, queries_per_answer_save

        print(queries_line(queries_per_answer_save(seeded.wave_id)))
    finally:
        for server in servers:
            server_stop(server)
        connections.close_all()
        if not args.keep_db:
            database_drop(database)
    print("checks:")
    for check in checks:
        print(f"  {'PASS' if check.ok else 'FAIL'} {check.name} ({check.checked} checked"
              + (f"; {len(check.problems)} problems, e.g. {check.problems[:3]})" if check.problems
                 else ")"))
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
