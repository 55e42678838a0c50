"""Paradata of one interview from its stored events, in order: for every question the time
on screen, answers, changes, steps back and don't know / refused, and the interview's total
and active duration.

Every moment comes from the record (the interview's start, each event's own time, its
completion); nothing reads the clock. A step attributes the time since the step before it
to the question on screen when it was taken: an answer (or don't know, refused) to the
question answered, a step back to the question left. Time before a resume is a pause (the
interview was stopped for now) and is on no question. A gap longer than IDLE_THRESHOLD is
idle: it counts in the total and on screen, never in the active duration. A gap where the
record runs backwards counts as zero: no duration is ever negative. Answers amended after
the interview was completed (sent back in review) are not part of its timings; they are
in the event list with their reasons.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

IDLE_THRESHOLD = timedelta(minutes=5)
ANSWER_KINDS = ("answer", "dont_know", "refused")
# Kinds of step: the three answer kinds, "dropped" (re-routing took an answer away, at the
# same moment as the answer that did it), "cleared", "back", "resumed" and "complete".


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: str
    path: str = ""  # the question answered, dropped, or left (back)
    to_path: str = ""  # back: the question gone back to
    changed: bool = False  # an answer that replaced a different earlier answer


@dataclass
class QuestionTiming:
    path: str
    order: int  # 1 for the first question shown, in order of first showing
    first_shown_at: datetime
    last_event_at: datetime
    seconds_on_screen: float = 0.0
    active_seconds: float = 0.0
    answers: int = 0  # answer, don't know and refused events
    changes: int = 0
    backs_to: int = 0  # steps back onto this question
    backs_from: int = 0  # steps back taken while it was on screen
    dont_know: int = 0
    refused: int = 0
    final_state: str = ""  # answer, dont_know, refused, dropped, cleared, or "" (never answered)


@dataclass
class InterviewTiming:
    started_at: datetime
    ended_at: datetime  # completion, or the last event of an unfinished interview
    total_seconds: float
    active_seconds: float
    idle_gaps: int
    questions: list[QuestionTiming] = field(default_factory=list)


def ordered(steps: Sequence[Step]) -> list[Step]:
    """Steps in time order (stable: steps at the same moment keep the order given)."""
    return sorted(steps, key=lambda step: step.at)


def _seconds(later: datetime, earlier: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds())


def interview_timing(started_at: datetime, steps: Sequence[Step], *,
                     completed_at: datetime | None = None,
                     idle: timedelta = IDLE_THRESHOLD) -> InterviewTiming:
    """The interview's timings from its start, its steps and (if complete) its completion."""
    steps = ordered(steps)
    if completed_at is not None:
        # answers amended after completion (review) are not the interview's own time
        steps = [step for step in steps if step.at <= completed_at]
        steps.append(Step(at=max(completed_at, steps[-1].at if steps else started_at),
                          kind="complete"))
    questions: dict[str, QuestionTiming] = {}
    previous, active, idle_gaps = started_at, 0.0, 0
    for step in steps:
        gap = _seconds(step.at, previous)
        if step.kind not in ("resumed", "dropped", "cleared"):
            if gap > idle.total_seconds():
                idle_gaps += 1
            else:
                active += gap
        _attribute(questions, step, previous, gap, idle)
        previous = max(previous, step.at)
    ended = previous  # the completion, or the last event of an unfinished interview
    return InterviewTiming(started_at=started_at, ended_at=ended,
                           total_seconds=_seconds(ended, started_at), active_seconds=active,
                           idle_gaps=idle_gaps, questions=list(questions.values()))


def _question(questions: dict[str, QuestionTiming], path: str,
              shown_at: datetime) -> QuestionTiming:
    if path not in questions:
        questions[path] = QuestionTiming(path=path, order=len(questions) + 1,
                                         first_shown_at=shown_at, last_event_at=shown_at)
    return questions[path]


def _attribute(questions: dict[str, QuestionTiming], step: Step, previous: datetime,
               gap: float, idle: timedelta) -> None:
    if step.kind in ("resumed", "complete") or not step.path:
        return
    if step.kind in ("dropped", "cleared"):
        if step.path in questions:
            questions[step.path].final_state = step.kind
            questions[step.path].last_event_at = step.at
        return
    question = _question(questions, step.path, previous)
    question.seconds_on_screen += gap
    question.active_seconds += gap if gap <= idle.total_seconds() else 0.0
    question.last_event_at = max(question.last_event_at, step.at)
    if step.kind == "back":
        question.backs_from += 1
        if step.to_path:
            _question(questions, step.to_path, step.at).backs_to += 1
        return
    question.answers += 1
    question.changes += int(step.changed)
    question.dont_know += int(step.kind == "dont_know")
    question.refused += int(step.kind == "refused")
    question.final_state = step.kind
