"""The demo's simulated fieldwork: interviewers work a wave through the same services the
interviewing screens and the API use, with realistic outcomes and synthetic answers.

Each answer is saved at its own moment (an honest interviewer takes about 12 seconds a
question), so the paradata and the quality indicators have real timings. Interviewers named
as `fast` cut corners as a supervisor should catch: about 3 seconds a question, "no" to
filter questions half the time (a "no" skips the section the filter opens), and the same
answer to every item of an attitude grid.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from survey.core.quality import is_no_choice
from survey.errors import FieldworkError
from survey.selectors.quality import wave_quality
from survey.services import calls, interviews, queue

LONDON = ZoneInfo("Europe/London")
# Outcomes of a dial that does not lead to an interview, with their chances.
NON_INTERVIEW = {"no_answer": 0.32, "busy": 0.06, "answering_machine": 0.12, "refusal": 0.14,
                 "callback": 0.06, "not_trading": 0.03, "disconnected": 0.02,
                 "fax_data_line": 0.01}
INTERVIEW_CHANCE = 0.24
HONEST_SECONDS, FAST_SECONDS = 12.0, 3.0  # median seconds a question
FAST_FILTER_NO = 0.5  # the fast interviewer's chance of "no" on a filter question
SCALE_CHOICES = range(5, 8)  # a select_one with 5 to 7 choices is a scale (a grid item)


@dataclass(frozen=True)
class Style:
    """How one simulated interviewer works."""

    fast: bool = False

    def pause(self, rng: np.random.Generator) -> timedelta:
        median = FAST_SECONDS if self.fast else HONEST_SECONDS
        return timedelta(seconds=float(median * rng.lognormal(0.0, 0.3)))


@dataclass
class FieldworkLog:
    dials: int = 0
    completes: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)


def simulate_wave(wave, interviewers: list, rng: np.random.Generator, *,
                  start: datetime, days: int, target: int,
                  progress: Callable[[str], None] | None = None,
                  fast: tuple = ()) -> FieldworkLog:
    """Each simulated working day, interviewers take cases in turn from 09:00 until the
    queue is empty for the day or the target of completes is met; `progress` hears how each
    day went. The interviewers in `fast` speed, short-cut and straight-line."""
    log = FieldworkLog()
    styles = {user.pk: Style(fast=user in fast) for user in interviewers}
    day = start
    for number in range(1, days + 1):
        now = day.replace(hour=9, minute=5)
        while now.hour < 17 and log.completes < target:
            served = False
            for interviewer in interviewers:
                offered = queue.case_next(wave=wave, user=interviewer, now=now)
                if offered.case is None:
                    continue
                served = True
                _work_case(offered.case, interviewer, styles[interviewer.pk], rng, now, log)
            if not served:
                break
            now += timedelta(minutes=12)
        if progress is not None:
            progress(f"day {number} of {days} ({day:%A %d %B}): {log.dials} dials and "
                     f"{log.completes} of {target} interviews so far")
        day = _next_weekday(day)
    return log


def _next_weekday(day: datetime) -> datetime:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _work_case(case, interviewer, style: Style, rng, now, log: FieldworkLog) -> None:
    log.dials += 1
    if rng.random() < INTERVIEW_CHANCE:
        _interview(case, interviewer, style, rng, now)
        log.completes += 1
        log.outcomes["complete"] = log.outcomes.get("complete", 0) + 1
        return
    keys = list(NON_INTERVIEW)
    chances = np.array(list(NON_INTERVIEW.values()))
    outcome = keys[int(rng.choice(len(keys), p=chances / chances.sum()))]
    calls.call_attempt_record(case=case, user=interviewer, outcome=outcome,
                              event_id=uuid.uuid4(), called_at=now)
    log.outcomes[outcome] = log.outcomes.get(outcome, 0) + 1


def _interview(case, interviewer, style: Style, rng, now) -> None:
    state, _ = interviews.interview_start_or_resume(case=case, user=interviewer, now=now)
    interview = state.interview
    grid_answer: dict[tuple, str] = {}  # the fast interviewer's one answer per scale
    for _ in range(500):
        prompt = state.prompt
        if prompt is None:
            break
        now += style.pause(rng)
        state = _answer(interview, interviewer, prompt, _candidates(prompt, style, rng, now,
                                                                    grid_answer), now)
    interviews.interview_complete(interview=interview, user=interviewer,
                                  now=now + style.pause(rng))


def _answer(interview, interviewer, prompt, candidates, now):
    for kind, value in candidates:
        try:
            saved = interviews.answer_submit(interview=interview, user=interviewer,
                                             event_id=uuid.uuid4(), path=prompt.path,
                                             kind=kind, value=value, now=now)
        except FieldworkError:
            continue
        return saved.state
    raise RuntimeError(f"the demo could not answer {prompt.path}")


def _select_one(prompt, style: Style, rng, grid_answer: dict[tuple, str]) -> str:
    names = [option.name for option in prompt.choices]
    noes = [o.name for o in prompt.choices if is_no_choice(o.name, o.label)]
    if len(names) in SCALE_CHOICES:  # an attitude scale
        if style.fast:
            return grid_answer.setdefault(tuple(names), names[0])
        return names[int(rng.integers(len(names)))]
    if style.fast and noes and rng.random() < FAST_FILTER_NO:
        return noes[0]
    return names[0] if rng.random() < 0.85 else names[int(rng.integers(len(names)))]


def _candidates(prompt, style: Style, rng, now, grid_answer: dict[tuple, str]):
    """Plausible answers first, then fallbacks the engine will accept."""
    names = [option.name for option in prompt.choices]
    if prompt.type == "select_one" and names:
        yield "answer", _select_one(prompt, style, rng, grid_answer)
        yield from (("answer", name) for name in names)
    elif prompt.type == "select_multiple" and names:
        picks = [n for n in names if rng.random() < 0.15]
        yield "answer", picks or [names[-1]]
        yield "answer", [names[0]]
        yield "answer", [names[-1]]
    elif prompt.type in ("integer", "decimal"):
        yield "answer", int(rng.geometric(0.3))
        yield from (("answer", v) for v in (1, 0, 5, 10, 100))
    elif prompt.type == "date":
        yield "answer", now.date().isoformat()
    else:
        yield "answer", "Synthetic answer"
    if prompt.dont_know is not None:
        yield "dont_know", None
    if prompt.refused is not None:
        yield "refused", None
    if not prompt.required:
        yield "answer", None


def quality_lines(wave) -> list[str]:
    """What the interview-quality page says of the wave: who is flagged, and on what."""
    report = wave_quality(wave=wave)
    lines = [f"interview quality: {len(report.interviewers)} interviewers against the team "
             f"(robust z, flagged at |z| >= {report.threshold})"]
    for row in report.flagged:
        lines.append(f"flagged: {row.username} ({', '.join(row.flags)})")
    if not report.flagged:
        lines.append("no interviewer flagged")
    return lines
