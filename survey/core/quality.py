"""Interviewer quality indicators against the team: robust z-scores and flags, and the
straight-lining and grid rules, over plain values.

A robust z-score is (x - median) / (1.4826 * MAD), the median and MAD (median absolute
deviation) taken over the team's values: 1.4826 makes the MAD estimate the standard
deviation of normal data, and one extreme interviewer cannot hide by dragging the mean and
the standard deviation. When the MAD is 0 (most of the team give the same value) the scale
is 1.2533 * the mean absolute deviation from the median (Iglewicz and Hoaglin); when that
is 0 too, every value is the median and every z is 0. An interviewer is flagged when
|z| >= FLAG_Z in the direction that signals a problem (too fast, too short, too many don't
knows...), and only when at least MIN_TEAM interviewers have a value. Figures from
interviews are scored only for interviewers with at least MIN_COMPLETES completes (one short
interview says little); their figures are still shown. For a rate (a share of counted
things: answers, grids, filters, calls) the scale is at least the binomial standard error
of the team's median rate at the team's median count, sqrt(p(1-p)/n), so that a difference
chance alone makes between small counts is not flagged.
"""

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median

MAD_SCALE = 1.4826
MEAN_AD_SCALE = 1.253314
FLAG_Z = 3.5
MIN_TEAM = 3  # fewer interviewers with a value: no z-scores, no flags
MIN_COMPLETES = 3  # an interviewer's interview figures are scored from this many completes
MIN_GRID_ITEMS = 3  # a grid is at least this many select_one items sharing a choice list


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    direction: str  # "low" or "high": the side that signals a problem
    explanation: str
    from_interviews: bool = True  # from completed interviews (False: from call outcomes)
    rate: bool = False  # a share of counted things (its z has the binomial floor)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("seconds_per_question", "Median seconds per question", "low",
              "Speeding: questions read and answered faster than the team."),
    Indicator("interview_minutes", "Median interview length (active minutes)", "low",
              "Short interviews: completes much shorter than the team's."),
    Indicator("dk_ref_rate", "Don't know / refused rate", "high",
              "Answers recorded as don't know or refused, of all questions answered.",
              rate=True),
    Indicator("straightlining_rate", "Straight-lined grids", "high",
              "Attitude grids with the same answer to every item, of grids answered.",
              rate=True),
    Indicator("filter_no_rate", "'No' on filter questions", "high",
              "Short-cutting: 'no' on questions that open long sections, of those asked.",
              rate=True),
    Indicator("refusal_rate", "Refusal rate", "high",
              "Refusals over completes plus refusals, from the call outcomes.",
              from_interviews=False, rate=True),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def robust_scale(values: Sequence[float]) -> float:
    """1.4826 * MAD, or 1.2533 * mean absolute deviation when the MAD is 0; 0 if all equal."""
    centre = median(values)
    deviations = [abs(v - centre) for v in values]
    mad = median(deviations)
    if mad > 0:
        return MAD_SCALE * mad
    return MEAN_AD_SCALE * sum(deviations) / len(deviations)


def robust_z(values: Mapping[Hashable, float | None],
             floor: float = 0.0) -> dict[Hashable, float | None]:
    """Each value's robust z-score against all the values given (None stays None; all None
    when fewer than MIN_TEAM values). The scale is at least `floor`."""
    present = [v for v in values.values() if v is not None]
    if len(present) < MIN_TEAM:
        return {key: None for key in values}
    centre, scale = median(present), max(robust_scale(present), floor)
    return {key: None if v is None else (0.0 if scale == 0 else (v - centre) / scale)
            for key, v in values.items()}


def binomial_floor(rates: Sequence[float], bases: Sequence[int]) -> float:
    """The standard error of the team's median rate at its median base, sqrt(p(1-p)/n): a
    rate's z-score never counts a difference smaller than chance makes as extreme."""
    if not rates or not bases or median(bases) <= 0:
        return 0.0
    p = median(rates)
    return math.sqrt(p * (1 - p) / median(bases))


def flagged(z: float | None, direction: str, threshold: float = FLAG_Z) -> bool:
    if z is None:
        return False
    return z <= -threshold if direction == "low" else z >= threshold


def straightlined(answers: Sequence[object], missing: Sequence[object] = ()) -> bool | None:
    """Whether one interview's answers to a grid's items are all the same; None when the grid
    does not count (fewer than MIN_GRID_ITEMS substantive answers: unanswered, don't know and
    refused, the `missing` codes, are not answers to a scale)."""
    substantive = [a for a in answers if a is not None and a not in missing]
    if len(substantive) < MIN_GRID_ITEMS or len(substantive) < len(answers):
        return None
    return all(a == substantive[0] for a in substantive)


@dataclass(frozen=True)
class Shape:
    """What the grid rule needs of a question: its name, type, choice list and parent."""

    name: str
    type: str
    list_name: str
    parent: str


def grids(questions: Sequence[Shape]) -> list[tuple[str, ...]]:
    """The attitude grids: runs of at least MIN_GRID_ITEMS consecutive select_one questions
    in the same group sharing the same choice list (as a field-list shows them on one
    screen), in document order."""
    found: list[tuple[str, ...]] = []
    run: list[Shape] = []
    for question in (*questions, Shape("", "", "", "")):
        if run and (question.type != "select_one" or question.list_name != run[0].list_name
                    or question.parent != run[0].parent):
            if len(run) >= MIN_GRID_ITEMS:
                found.append(tuple(q.name for q in run))
            run = []
        if question.type == "select_one" and question.list_name:
            run.append(question)
    return found


def rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def is_no_choice(name: str, label: str) -> bool:
    """A choice that says no: named 'no', or labelled 'No' or 'No, ...'."""
    words = label.strip().split(" ", 1)
    first = words[0].strip(",.;:!").lower() if words and words[0] else ""
    return name.strip().lower() == "no" or first == "no"
