"""Simulated interviewers driving the CATI API over HTTP, with retries on errors and
timeouts that resend the SAME event id (the server makes every write idempotent by it)."""

import random
import secrets
import string
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import requests

RETRY_STATUSES = {429, 500, 502, 503, 504}
CSRF_ALPHABET = string.ascii_letters + string.digits


class GaveUp(Exception):
    """Every try of a request failed (errors or timeouts)."""


@dataclass(frozen=True)
class Ack:
    """An answer the server acknowledged (2xx): what it said it stored."""

    interview: int
    event_id: str
    path: str
    kind: str
    value: object
    user: str


@dataclass(frozen=True)
class Claim:
    case: int
    user: str
    assigned_at: str
    reason: str


@dataclass
class ClientLog:
    """What one simulated interviewer saw (merged across interviewers at the end)."""

    answer_ms: list[float] = field(default_factory=list)  # successful answer saves
    acks: list[Ack] = field(default_factory=list)
    unacknowledged: list[str] = field(default_factory=list)  # event ids given up on
    claims: list[Claim] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)  # interview ids
    statuses: Counter = field(default_factory=Counter)  # "answer 201", "next-case 200"...
    retries: int = 0
    resends: int = 0  # saves sent again after their response was "lost" (see Plan)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: "ClientLog") -> None:
        self.answer_ms += other.answer_ms
        self.acks += other.acks
        self.unacknowledged += other.unacknowledged
        self.claims += other.claims
        self.completed += other.completed
        self.statuses.update(other.statuses)
        self.retries += other.retries
        self.resends += other.resends
        self.errors += other.errors


class Api:
    """One interviewer's HTTP client: session cookie + CSRF token, retries with backoff."""

    def __init__(self, base_url: str, log: ClientLog, *, timeout: float, tries: int = 10):
        self.base_url = base_url
        self.http = requests.Session()
        self.log = log
        self.timeout = timeout
        self.tries = tries
        self.csrf = "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))
        self.session_key = ""

    def use_session(self, session_key: str) -> None:
        self.session_key = session_key

    def log_in(self, username: str, password: str) -> None:
        """Log in through the login view, as a browser does (the real PBKDF2 check)."""
        page = self.http.get(f"{self.base_url}/accounts/login/", timeout=self.timeout)
        self.csrf = page.cookies.get("csrftoken", self.csrf)
        done = self.http.post(
            f"{self.base_url}/accounts/login/", allow_redirects=False, timeout=60,
            data={"username": username, "password": password, "csrfmiddlewaretoken": self.csrf},
            headers={"Cookie": f"csrftoken={self.csrf}"})
        if done.status_code != 302 or "sessionid" not in done.cookies:
            raise RuntimeError(f"login of {username} failed: HTTP {done.status_code}")
        self.session_key = done.cookies["sessionid"]
        self.csrf = done.cookies.get("csrftoken", self.csrf)

    def _headers(self) -> dict[str, str]:
        # Cookies by hand: with DEBUG off they are Secure, and this is plain HTTP on loopback.
        return {"Cookie": f"sessionid={self.session_key}; csrftoken={self.csrf}",
                "X-CSRFToken": self.csrf}

    def post(self, name: str, path: str, body: dict | None = None
             ) -> tuple[int, dict, float]:
        """POST until a non-retryable answer: (status, json, ms of the last try)."""
        delay = 0.05
        for attempt in range(self.tries):
            if attempt:
                self.log.retries += 1
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 2.0)
            start = time.perf_counter()
            try:
                response = self.http.post(f"{self.base_url}{path}", json=body or {},
                                          headers=self._headers(), timeout=self.timeout)
            except requests.RequestException as exc:
                self.log.statuses[f"{name} {type(exc).__name__}"] += 1
                continue
            ms = (time.perf_counter() - start) * 1000
            self.log.statuses[f"{name} {response.status_code}"] += 1
            if response.status_code in RETRY_STATUSES:
                continue
            return response.status_code, _json(response), ms
        raise GaveUp(f"{name} {path}: {self.tries} tries failed")


def _json(response: requests.Response) -> dict:
    try:
        return response.json()
    except ValueError:
        return {"body": response.text[:200]}


def candidates(prompt: dict, rng: random.Random) -> Iterator[tuple[str, object]]:
    """Answers to try for a prompt: a plausible one first, then fallbacks."""
    names = [c["name"] for c in prompt.get("choices") or []]
    kind = prompt.get("type", "")
    if kind == "select_one" and names:
        # Mostly the first option (yes / the right person), so most interviews go the
        # whole route rather than screening out at the first question.
        yield "answer", names[0] if rng.random() < 0.85 else rng.choice(names)
        yield from (("answer", n) for n in names)
    elif kind == "select_multiple" and names:
        yield "answer", rng.sample(names, k=min(len(names), rng.randint(1, 2)))
        yield from (("answer", [n]) for n in names)
    elif kind in ("integer", "decimal"):
        yield "answer", rng.randint(1, 20)
        yield from (("answer", v) for v in (1, 0, 5, 10, 100))
    elif kind == "date":
        yield "answer", date.today().isoformat()
    else:
        yield "answer", "Synthetic answer"
    if prompt.get("dont_know") is not None:
        yield "dont_know", None
    if prompt.get("refused") is not None:
        yield "refused", None
    if not prompt.get("required"):
        yield "answer", None


@dataclass
class Plan:
    wave_id: int
    stop: threading.Event
    think_seconds: float
    no_answer_share: float = 0.25  # dials that end as "no answer" before an interview
    # Answer saves whose response the client treats as lost (a dropped connection after the
    # server committed): it sends the same request again, as a real retry would, and the
    # server must answer with the stored event, not a second one.
    resend_share: float = 0.05


class Interviewer:
    """Works the wave until told to stop: next case, a dial outcome or a whole interview."""

    def __init__(self, api: Api, username: str, plan: Plan, rng: random.Random):
        self.api, self.username, self.plan, self.rng = api, username, plan, rng
        self.log = api.log

    def think(self) -> bool:
        """Pause like a person; False once the run is over."""
        pause = self.plan.think_seconds * self.rng.uniform(0.5, 1.5)
        return not self.plan.stop.wait(pause)

    def run(self) -> None:
        try:
            while not self.plan.stop.is_set():
                if not self.work_one_case():
                    return
        except GaveUp as exc:
            self.log.errors.append(f"{self.username}: gave up: {exc}")
        except Exception as exc:  # noqa: BLE001 - a crashed client is reported, not hidden
            self.log.errors.append(f"{self.username}: {type(exc).__name__}: {exc}")

    def work_one_case(self) -> bool:
        status, body, _ = self.api.post("next-case", f"/api/waves/{self.plan.wave_id}/next-case/")
        if status != 200:
            self.log.errors.append(f"{self.username}: next-case HTTP {status}: {body}")
            return False
        case = body.get("case")
        if case is None:
            return body.get("reason") != "none_available" and self.think()
        self.log.claims.append(Claim(case["id"], self.username, case["assigned_at"],
                                     body["reason"]))
        if not self.think():
            return False
        if self.rng.random() < self.plan.no_answer_share:
            self.dial_outcome(case["id"], "no_answer")
            return True
        self.interview(case["id"])
        return True

    def dial_outcome(self, case_id: int, outcome: str) -> None:
        body = {"event_id": str(uuid.uuid4()), "outcome": outcome}
        status, answer, _ = self.api.post("call", f"/api/cases/{case_id}/calls/", body)
        if status not in (200, 201):
            self.log.errors.append(f"{self.username}: call on case {case_id} HTTP {status}: "
                                   f"{answer}")

    def interview(self, case_id: int) -> None:
        status, state, _ = self.api.post("start", f"/api/cases/{case_id}/interview/")
        if status not in (200, 201):
            self.log.errors.append(f"{self.username}: start on case {case_id} HTTP {status}: "
                                   f"{state}")
            return
        interview_id = state["id"]
        while state.get("prompt") is not None:
            if not self.think():
                return
            state = self.answer(interview_id, state["prompt"])
            if state is None:
                return
        body = {"event_id": str(uuid.uuid4())}
        status, done, _ = self.api.post("complete", f"/api/interviews/{interview_id}/complete/",
                                        body)
        if status == 200 and done.get("status") == "complete":
            self.log.completed.append(interview_id)
        else:
            self.log.errors.append(f"{self.username}: complete {interview_id} HTTP {status}: "
                                   f"{done}")

    def answer(self, interview_id: int, prompt: dict) -> dict | None:
        """Save an answer to the prompt; the next state, or None if the server refused all."""
        url = f"/api/interviews/{interview_id}/answers/"
        for kind, value in candidates(prompt, self.rng):
            event_id = str(uuid.uuid4())
            body = {"event_id": event_id, "path": prompt["path"], "kind": kind, "value": value}
            try:
                status, saved, ms = self.api.post("answer", url, body)
            except GaveUp:
                self.log.unacknowledged.append(event_id)
                raise
            if status in (200, 201):
                if self.rng.random() < self.plan.resend_share:
                    saved = self.resend(url, body, saved)
                event = saved["event"]
                self.log.answer_ms.append(ms)
                self.log.acks.append(Ack(interview_id, event["event_id"], event["path"],
                                         event["kind"], event["value"], self.username))
                return saved["state"]
            if status != 400:
                self.log.errors.append(f"{self.username}: answer {prompt['path']} HTTP "
                                       f"{status}: {saved}")
                return None
        self.log.errors.append(f"{self.username}: no answer accepted for {prompt['path']}")
        return None

    def resend(self, url: str, body: dict, first: dict) -> dict:
        """Send a save again as if its response was lost: the same event must come back."""
        self.log.resends += 1
        status, again, _ = self.api.post("answer-resend", url, body)
        if status != 200 or again.get("created") is not False or (
                again.get("event", {}).get("event_id") != first["event"]["event_id"]):
            self.log.errors.append(f"{self.username}: resent answer {body['event_id']} got "
                                   f"HTTP {status}: {again}")
            return first
        return again
