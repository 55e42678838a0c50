"""Simulated interviews: test a questionnaire before fieldwork.

Random valid answers (and don't know / refused at given rates) are walked through the same
engine the interviewers use. The report lists every question never reached, every constraint
that refused every value tried, every calculate that failed, and the route lengths (so the
expected interview length at a given number of seconds per question). A ``random.Random`` is
passed in: no global random state.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field

from .definition import Definition
from .errors import EngineError, ExpressionError
from .routing import Prompt, route
from .session import Session
from .validation import ACKNOWLEDGED
from .walker import MAX_ASKED, NO, YES, Walker

TRIES = 20  # values tried per question before its constraint is said to refuse them all
MAX_STEPS = 5_000  # answers in one simulated interview
TODAY = dt.date(2025, 6, 2)


@dataclass
class SimulationReport:
    interviews: int
    completed: int
    never_reached: list[str]  # questions no simulated interview reached
    always_rejected: list[str]  # questions whose constraint refused every value tried
    failed_calculates: dict[str, int]  # calculate -> interviews where it failed
    route_lengths: list[int]  # questions answered, per interview
    answers: list[dict[str, object]] = field(repr=False, default_factory=list)
    values: list[dict[str, object]] = field(repr=False, default_factory=list)  # calculated

    def length_summary(self, seconds_per_question: float = 20.0) -> dict[str, float]:
        lengths = sorted(self.route_lengths) or [0]
        mean = statistics.fmean(lengths)
        return {
            "min": lengths[0], "p10": _quantile(lengths, 0.1),
            "median": _quantile(lengths, 0.5), "p90": _quantile(lengths, 0.9),
            "max": lengths[-1], "mean": round(mean, 2),
            "expected_minutes": round(mean * seconds_per_question / 60, 1),
        }

    def histogram(self, bins: int = 10) -> list[tuple[int, int, int]]:
        """(from, to, interviews) for equal-width bins of route length."""
        if not self.route_lengths:
            return []
        low, high = min(self.route_lengths), max(self.route_lengths)
        width = max(1, math.ceil((high - low + 1) / bins))
        counts = Counter((n - low) // width for n in self.route_lengths)
        return [(low + i * width, low + (i + 1) * width - 1, counts.get(i, 0))
                for i in range(math.ceil((high - low + 1) / width))]


def _quantile(values: list[int], q: float) -> float:
    index = (len(values) - 1) * q
    lower = math.floor(index)
    upper = min(lower + 1, len(values) - 1)
    return values[lower] + (values[upper] - values[lower]) * (index - lower)


def simulate(definition: Definition, interviews: int, rng: random.Random, *,
             dont_know_rate: float = 0.05, refused_rate: float = 0.02) -> SimulationReport:
    asked = [i.name for i in definition.iter_items() if i.asked]
    reached: set[str] = set()
    tried: Counter[str] = Counter()
    accepted: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    lengths: list[int] = []
    answers: list[dict[str, object]] = []
    values: list[dict[str, object]] = []
    completed = 0
    for number in range(interviews):
        start = dt.datetime.combine(TODAY, dt.time(9)) + dt.timedelta(minutes=number)
        meta = {"start": start.isoformat(), "username": "simulated", "now": start}
        session = Session(definition, today=TODAY, meta=meta)
        done = _interview(session, rng, dont_know_rate, refused_rate, reached, tried, accepted)
        completed += done
        result = route(definition, session.answers, today=TODAY, meta=meta,
                       stored=session.values)
        lengths.append(len(result.path))
        answers.append(dict(session.answers))
        values.append(dict(result.values))
        walker = Walker(definition, session.answers, TODAY, meta=meta, stored=session.values)
        for item, scope in walker.calculates():
            try:
                walker.value(item, scope)
            except ExpressionError:
                failed[item.name] += 1
    return SimulationReport(
        interviews=interviews, completed=completed,
        never_reached=[n for n in asked if n not in reached],
        always_rejected=[n for n in asked if tried[n] and not accepted[n]],
        failed_calculates=dict(failed), route_lengths=lengths, answers=answers,
        values=values)


def _interview(session: Session, rng: random.Random, dk_rate: float, ref_rate: float,
               reached: set[str], tried: Counter[str], accepted: Counter[str]) -> bool:
    for _ in range(MAX_STEPS):
        prompt = session.current()
        if prompt is None:
            return True
        reached.add(prompt.name)
        draw = rng.random()
        try:
            if prompt.dont_know is not None and draw < dk_rate:
                session.dont_know()
                continue
            if prompt.refused is not None and draw < dk_rate + ref_rate:
                session.refuse()
                continue
        except EngineError:
            pass
        if not _answer(session, prompt, rng, tried, accepted):
            return False  # stuck: a required question refused every value tried
    return False


def _answer(session: Session, prompt: Prompt, rng: random.Random, tried: Counter[str],
            accepted: Counter[str]) -> bool:
    for _ in range(TRIES):
        value = random_answer(prompt, rng)
        tried[prompt.name] += 1
        try:
            session.answer(value)
        except EngineError:
            continue
        except ExpressionError:
            continue
        accepted[prompt.name] += 1
        return True
    try:  # leave it blank when allowed
        session.answer(None)
        return True
    except (EngineError, ExpressionError):
        return False


def random_answer(prompt: Prompt, rng: random.Random) -> object:
    kind = prompt.type
    names = [o.name for o in prompt.choices]
    if kind == "another":
        instance = int(prompt.instance) if prompt.instance.isdigit() else 1
        return YES if instance < MAX_ASKED and rng.random() < 0.5 else NO
    if kind == "acknowledge":
        return ACKNOWLEDGED
    if kind == "select_one":
        return rng.choice(names) if names else None
    if kind == "select_multiple":
        return rng.sample(names, rng.randint(1, len(names))) if names else None
    if kind == "rank":
        return rng.sample(names, len(names))
    if kind == "integer":
        return rng.choice([rng.randint(0, 10), rng.randint(0, 100), rng.randint(0, 10_000),
                           rng.randint(-5, 5)])
    if kind == "decimal":
        return round(rng.uniform(0, rng.choice([1, 100, 10_000])), 2)
    if kind == "range":
        start, end, step = (float(prompt.parameters.get(k, d))
                            for k, d in (("start", 1), ("end", 10), ("step", 1)))
        steps = int(abs(end - start) // abs(step)) if step else 0
        value = start + math.copysign(step, end - start) * rng.randint(0, steps)
        return int(value) if value.is_integer() else value
    if kind == "date":
        return (TODAY - dt.timedelta(days=rng.randint(0, 3650))).isoformat()
    if kind == "time":
        return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    if kind == "datetime":
        day = TODAY - dt.timedelta(days=rng.randint(0, 365))
        return f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    if prompt.default:
        return prompt.default
    return rng.choice(["yes", "no", "London", "SW1A 1AA", "a" * rng.randint(1, 20),
                       str(rng.randint(0, 99_999))])
