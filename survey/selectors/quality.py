"""Interviewer quality indicators per wave, against the team (survey.core.quality).

From the wave's completed interviews (their paradata and final answers) and its call
outcomes: median seconds per question (speeding), median active interview length, the
don't know / refused rate, straight-lining on the attitude grids, 'no' on filter questions
that open long sections (short-cutting) and the refusal rate; each with its robust z-score
against the team and a flag at |z| >= 3.5 in the direction that signals a problem.

The grids and filters come from the questionnaire itself: a grid is a run of select_one
questions in one group sharing a choice list; a filter is a select_one question with a
'No' choice whose answer the routing of at least FILTER_MIN_OPENS later questions depends
on (their relevance, or an enclosing group's, refers to it, directly or through
calculations), so that 'no' skips them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from questionnaires.engine import Definition, EngineError, Item
from questionnaires.engine.parser import parse
from questionnaires.engine.syntax import references
from questionnaires.models import QuestionnaireVersion
from survey.core import quality as core
from survey.core.paradata import ANSWER_KINDS
from survey.models import Wave
from survey.selectors.paradata import wave_paradata
from survey.selectors.supervision import interviewer_productivity

FILTER_MIN_OPENS = 5  # a filter opens at least this many questions (a "long section")


@dataclass(frozen=True)
class FilterQuestion:
    name: str
    opens: int  # questions whose routing depends on it
    no_choices: tuple[str, ...]


@dataclass(frozen=True)
class Structure:
    grids: list[tuple[str, ...]]
    filters: list[FilterQuestion]
    missing_codes: frozenset  # don't know and refused codes


@dataclass
class InterviewerQuality:
    user_id: int
    username: str
    completes: int = 0
    values: dict[str, float | None] = field(default_factory=dict)
    bases: dict[str, int] = field(default_factory=dict)  # a rate's denominator
    z: dict[str, float | None] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def cells(self) -> list[dict]:
        """The indicators in INDICATORS order, for a table: value, z and flag."""
        return [{"key": i.key, "value": self.values.get(i.key), "z": self.z.get(i.key),
                 "flagged": i.key in self.flags} for i in core.INDICATORS]


@dataclass(frozen=True)
class QualityReport:
    wave: Wave
    interviewers: list[InterviewerQuality]
    team_medians: dict[str, float | None]
    structure: Structure
    indicators: tuple = core.INDICATORS
    threshold: float = core.FLAG_Z
    min_team: int = core.MIN_TEAM
    min_completes: int = core.MIN_COMPLETES

    @property
    def median_cells(self) -> list[float | None]:
        return [self.team_medians.get(i.key) for i in self.indicators]

    @property
    def flagged(self) -> list[InterviewerQuality]:
        return [row for row in self.interviewers if row.flags]


# --- the questionnaire's grids and filters ----------------------------------------------

@lru_cache(maxsize=16)
def _structure(version_pk: int, sha256: str) -> Structure:
    version = QuestionnaireVersion.objects.only("definition").get(pk=version_pk)
    return structure_of(Definition.from_dict(version.definition))


def structure_of(definition: Definition) -> Structure:
    asked = [i for i in definition.iter_items() if i.asked and not i.repeats]
    shapes = [core.Shape(i.name, i.type, i.list_name, i.parent.name if i.parent else "")
              for i in asked]
    codes = {definition.settings.dont_know, definition.settings.refused}
    codes |= {c for i in asked for c in (i.dont_know, i.refused) if c is not None}
    return Structure(grids=core.grids(shapes), filters=_filters(definition, asked),
                     missing_codes=frozenset(codes))


def _references(expression: str) -> set[str]:
    if not expression:
        return set()
    try:
        return set(references(parse(expression)))
    except EngineError:
        return set()


def _routing_refs(item: Item, calculations: dict[str, set[str]]) -> set[str]:
    """Names an item's relevance (and its groups') depends on, through calculations too."""
    found: set[str] = set()
    node: Item | None = item
    while node is not None:
        found |= _references(node.relevant)
        node = node.parent
    stack = list(found)
    while stack:
        for name in calculations.get(stack.pop(), ()):
            if name not in found:
                found.add(name)
                stack.append(name)
    return found


def _filters(definition: Definition, asked: list[Item]) -> list[FilterQuestion]:
    calculations = {i.name: _references(i.calculate) for i in definition.iter_items()
                    if i.calculate}
    opens: dict[str, int] = defaultdict(int)
    for item in definition.iter_items():
        if item.asked:
            for name in _routing_refs(item, calculations) - {item.name}:
                opens[name] += 1
    filters = []
    for item in asked:
        no = tuple(c.name for c in definition.choices.get(item.list_name, [])
                   if _is_no(c.name, c.label, definition.settings.default_language))
        if item.type == "select_one" and no and opens[item.name] >= FILTER_MIN_OPENS:
            filters.append(FilterQuestion(item.name, opens[item.name], no))
    return filters


def _is_no(name: str, label: dict[str, str], language: str) -> bool:
    return core.is_no_choice(name, label.get(language) or next(iter(label.values()), ""))


# --- the indicators -------------------------------------------------------------------

@dataclass
class _Tally:
    seconds: list[float] = field(default_factory=list)
    minutes: list[float] = field(default_factory=list)
    answered: int = 0
    dk_ref: int = 0
    grids: int = 0
    straight: int = 0
    filters: int = 0
    noes: int = 0


def _count(tally: _Tally, timing, answers: dict, structure: Structure) -> None:
    tally.minutes.append(timing.active_seconds / 60)
    for q in timing.questions:
        if q.final_state in ANSWER_KINDS:
            tally.answered += 1
            tally.dk_ref += q.final_state != "answer"
            tally.seconds.append(q.seconds_on_screen)
    for grid in structure.grids:
        same = core.straightlined([answers.get(n) for n in grid], tuple(structure.missing_codes))
        if same is not None:
            tally.grids += 1
            tally.straight += same
    for question in structure.filters:
        if question.name in answers:
            tally.filters += 1
            tally.noes += str(answers[question.name]) in question.no_choices


def _bases(tally: _Tally, decided: int) -> dict[str, int]:
    return {"dk_ref_rate": tally.answered, "straightlining_rate": tally.grids,
            "filter_no_rate": tally.filters, "refusal_rate": decided}


def _values(tally: _Tally, refusal_rate: float | None) -> dict[str, float | None]:
    return {
        "seconds_per_question": median(tally.seconds) if tally.seconds else None,
        "interview_minutes": median(tally.minutes) if tally.minutes else None,
        "dk_ref_rate": core.rate(tally.dk_ref, tally.answered),
        "straightlining_rate": core.rate(tally.straight, tally.grids),
        "filter_no_rate": core.rate(tally.noes, tally.filters),
        "refusal_rate": refusal_rate,
    }


def wave_quality(*, wave: Wave) -> QualityReport:
    """Each interviewer's indicators, robust z-scores against the team, and flags."""
    version = QuestionnaireVersion.objects.only("sha256").get(pk=wave.questionnaire_version_id)
    structure = _structure(version.pk, version.sha256)
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    rows: dict[int, InterviewerQuality] = {}
    for item in wave_paradata(wave=wave, complete_only=True, with_answers=True):
        interview = item.interview
        row = rows.setdefault(interview.interviewer_id, InterviewerQuality(
            interview.interviewer_id, interview.interviewer.username))
        row.completes += 1
        _count(tallies[interview.interviewer_id], item.timing, interview.answers, structure)
    refusals = {p.user_id: p for p in interviewer_productivity(wave=wave)}
    for user_id, productivity in refusals.items():
        rows.setdefault(user_id, InterviewerQuality(user_id, productivity.username))
    for user_id, row in rows.items():
        productivity = refusals.get(user_id)
        row.values = _values(tallies[user_id],
                             productivity.refusal_rate if productivity else None)
        row.bases = _bases(tallies[user_id], productivity.completes + productivity.refusals
                           if productivity else 0)
    return _scored(wave, sorted(rows.values(), key=lambda r: r.username), structure)


def _scored_on(row: InterviewerQuality, indicator: core.Indicator) -> bool:
    return not indicator.from_interviews or row.completes >= core.MIN_COMPLETES


def _scored(wave: Wave, rows: list[InterviewerQuality], structure: Structure) -> QualityReport:
    medians: dict[str, float | None] = {}
    for indicator in core.INDICATORS:
        values = {row.user_id: row.values.get(indicator.key) if _scored_on(row, indicator)
                  else None for row in rows}
        present = [v for v in values.values() if v is not None]
        medians[indicator.key] = median(present) if present else None
        floor = core.binomial_floor(present, [row.bases.get(indicator.key, 0) for row in rows
                                              if values[row.user_id] is not None])
        scores = core.robust_z(values, floor if indicator.rate else 0.0)
        for row in rows:
            z = row.z[indicator.key] = scores[row.user_id]
            if core.flagged(z, indicator.direction):
                row.flags.append(indicator.key)
    return QualityReport(wave=wave, interviewers=rows, team_medians=medians,
                         structure=structure)
