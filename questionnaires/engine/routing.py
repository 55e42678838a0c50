"""The interview route: the next question, the path taken, progress, answering and going back.

Answers are a dict keyed by path (``employees``, ``crime_detail[burglary]/incidents``) with
JSON values: int/float/str, a list of choice names for select_multiple, the integer code for
don't know / refused, and None for a question deliberately left blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from .definition import ANOTHER, Definition, Item, pick_text
from .errors import EngineError, ExpressionError, answer_error
from .validation import ACKNOWLEDGED, Validation, check_answer
from .values import Value, first
from .walker import NO, YES, Scope, Walker, item_path, split_path


@dataclass(frozen=True)
class Option:
    name: str
    label: str


@dataclass(frozen=True)
class Prompt:
    """A question ready to be put to the respondent, text piped, choices filtered."""

    path: str
    name: str
    type: str
    label: str
    hint: str = ""
    interviewer_instruction: str = ""
    choices: tuple[Option, ...] = ()
    required: bool = False
    dont_know: int | None = None
    refused: int | None = None
    default: str = ""  # the answer to pre-fill (worked out if the default is an expression)
    answer: object = None  # the current answer when revisiting
    notes: tuple[str, ...] = ()  # notes to read out before the question
    repeat: str = ""
    instance: str = ""
    position: int = 0
    parameters: dict[str, str] = field(default_factory=dict)  # range: start, end, step

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Route:
    path: list[str]  # answered questions on the route, in interview order
    next: Prompt | None  # None when the interview is complete
    answers: dict[str, object]  # the answers still on the route
    dropped: dict[str, object]  # answers no longer on the route
    values: dict[str, object]  # calculates by path
    answered: int = 0
    remaining: int = 0
    closing_notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.next is None

    @property
    def progress(self) -> float:
        total = self.answered + self.remaining
        return 1.0 if total == 0 else self.answered / total


def route(definition: Definition, answers: Mapping[str, object], *,
          language: str | None = None, today: dt.date | None = None,
          meta: Mapping[str, object] | None = None,
          stored: Mapping[str, object] | None = None,
          fired: frozenset[str] = frozenset()) -> Route:
    """Walk the whole form with the answers so far. ``stored``: the calculated values the
    interview stored (kept by calculates with a ``trigger`` not in ``fired``, the answers
    that just changed, and by ``once()``); the route's ``values`` are the ones to store."""
    walker = Walker(definition, answers, today, language, meta=meta, stored=stored,
                    fired=fired)
    path: list[str] = []
    reachable: set[str] = set()
    notes: list[str] = []
    nxt: Prompt | None = None
    remaining = 0
    for item, scope in walker.leaves():
        if item.type == "note":
            if nxt is None:
                notes.append(walker.text(item.label, item, scope))
            continue
        if not walker.asked(item, scope):
            continue
        p = item_path(item, scope)
        reachable.add(p)
        if p in answers:
            if nxt is None:
                path.append(p)
                notes = []
        else:
            remaining += 1
            if nxt is None:
                nxt = make_prompt(walker, item, scope, tuple(notes))
                notes = []
    kept = {p: v for p, v in answers.items() if p in reachable}
    dropped = {p: v for p, v in answers.items() if p not in reachable}
    return Route(path, nxt, kept, dropped, calculate_values(walker), len(kept), remaining,
                 tuple(notes) if nxt is None else ())


def next_question(definition: Definition, answers: Mapping[str, object], *,
                  language: str | None = None, today: dt.date | None = None,
                  pruned: bool = False, meta: Mapping[str, object] | None = None,
                  stored: Mapping[str, object] | None = None) -> Prompt | None:
    """The first question on the route not yet answered (stops walking there).

    ``pruned=True`` promises the answers hold only questions on the route (as
    ``apply_answer`` and ``route().answers`` keep them); answered questions are then not
    re-checked, which makes the call several times faster on long forms.
    """
    walker = Walker(definition, answers, today, language, pruned, meta=meta, stored=stored)
    notes: list[str] = []
    for item, scope in walker.leaves():
        if item.type == "note":
            notes.append(walker.text(item.label, item, scope))
        elif walker.asked(item, scope):
            if item_path(item, scope) not in answers:
                return make_prompt(walker, item, scope, tuple(notes))
            notes = []
    return None


def prompt_for(definition: Definition, answers: Mapping[str, object], path: str, *,
               language: str | None = None, today: dt.date | None = None,
               meta: Mapping[str, object] | None = None,
               stored: Mapping[str, object] | None = None) -> Prompt:
    """The prompt for any question on the route (e.g. when going back to it)."""
    walker = Walker(definition, answers, today, language, meta=meta, stored=stored)
    item, scope = _locate(walker, path)
    return make_prompt(walker, item, scope, ())


def validate_answer(definition: Definition, answers: Mapping[str, object], path: str,
                    value: object, *, language: str | None = None,
                    today: dt.date | None = None,
                    meta: Mapping[str, object] | None = None,
                    stored: Mapping[str, object] | None = None) -> Validation:
    """Check one answer against its question; ``value`` may be text as typed."""
    walker = Walker(definition, answers, today, language, meta=meta, stored=stored)
    found = split_path(definition, path)
    if found is None:
        return Validation(False, None, [answer_error("unknown_path", path=path)])
    return check_answer(walker, *found, value)


def calculate_values(walker: Walker) -> dict[str, object]:
    out: dict[str, object] = {}
    for item, scope in walker.calculates():
        try:
            out[item_path(item, scope)] = to_json(walker.value(item, scope))
        except ExpressionError:  # a failing calculate must not stop the interview
            out[item_path(item, scope)] = None
    return out


def case_data(definition: Definition, answers: Mapping[str, object], *,
              today: dt.date | None = None,
              meta: Mapping[str, object] | None = None,
              stored: Mapping[str, object] | None = None) -> dict[str, object]:
    """The answers on the route plus every calculate: one case's data, keyed by path.
    ``stored``: the calculated values the interview stored, which are its record: they are
    taken as they are (never worked out again with another clock)."""
    result = route(definition, answers, today=today, meta=meta, stored=stored)
    kept = {p: v for p, v in (stored or {}).items() if p in result.values}
    return {**result.answers, **result.values, **kept}


def to_json(value: Value) -> object:
    value = first(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return int(value) if value.is_integer() else value
    if value == "":
        return None
    return value


def make_prompt(walker: Walker, item: Item, scope: Scope, notes: tuple[str, ...]) -> Prompt:
    settings = walker.definition.settings
    options = tuple(Option(c.name, pick_text(c.label, walker.language, settings.default_language)
                           or c.name)
                    for c in walker.choices(item, scope)) if item.list_name else ()
    if item.type == "acknowledge":
        options = (Option(ACKNOWLEDGED, ACKNOWLEDGED),)
    elif item.type == ANOTHER:
        options = (Option(YES, "Yes"), Option(NO, "No"))
    repeat = item.repeats[-1] if item.repeats else ""
    instruction = [walker.text(item.interviewer_instruction, item, scope),
                   walker.text(item.guidance_hint, item, scope)]
    return Prompt(
        path=item_path(item, scope), name=item.name, type=item.type,
        label=walker.text(item.label, item, scope), hint=walker.text(item.hint, item, scope),
        interviewer_instruction="\n".join(t for t in instruction if t),
        choices=options, required=walker.required(item, scope), dont_know=item.dont_know,
        refused=item.refused, default=walker.default(item, scope),
        answer=walker.answers.get(item_path(item, scope)), notes=notes, repeat=repeat,
        instance=scope[-1] if scope else "",
        position=walker.position(item, scope) if scope else 0,
        parameters=dict(item.parameters) if item.type == "range" else {},
    )


def _locate(walker: Walker, path: str) -> tuple[Item, Scope]:
    found = split_path(walker.definition, path)
    if found is None:
        raise EngineError([answer_error("unknown_path", path=path)], path)
    item, scope = found
    on_route = any(i is item and s == scope for i, s in walker.leaves())
    if not on_route:
        raise EngineError([answer_error("not_reachable", path=path)], path)
    return item, scope


@dataclass
class AuditEntry:
    event: str  # answered, changed, dropped
    path: str
    old: object = None
    new: object = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Applied:
    answers: dict[str, object]
    audit: list[AuditEntry] = field(default_factory=list)
    route: Route | None = None


def apply_answer(definition: Definition, answers: Mapping[str, object], path: str,
                 value: object, *, language: str | None = None,
                 today: dt.date | None = None,
                 meta: Mapping[str, object] | None = None,
                 stored: Mapping[str, object] | None = None) -> Applied:
    """Record an answer (validated), re-route, and drop answers the new route no longer
    reaches. Raises EngineError if the answer is refused or the path is not on the route.
    A changed answer fires the calculates it triggers; ``route.values`` are the calculated
    values to store from now on."""
    walker = Walker(definition, answers, today, language, meta=meta, stored=stored)
    sequence = [item_path(i, s) for i, s in walker.leaves()
                if i.is_question and walker.asked(i, s)]
    first_open = next((p for p in sequence if p not in answers), None)
    item, scope = _locate(walker, path)
    if path != first_open and path not in answers:
        raise EngineError([answer_error("not_reachable", path=path)], path)
    checked = check_answer(walker, item, scope, value)
    if not checked.ok:
        raise EngineError(checked.errors, path)
    audit = []
    if path in answers:
        if answers[path] != checked.value:
            audit.append(AuditEntry("changed", path, answers[path], checked.value))
    else:
        audit.append(AuditEntry("answered", path, None, checked.value))
    updated = {**answers, path: checked.value}
    fired = frozenset({path}) if audit else frozenset()
    result = route(definition, updated, language=language, today=today, meta=meta,
                   stored=stored, fired=fired)
    audit += [AuditEntry("dropped", p, v, None) for p, v in result.dropped.items()]
    return Applied(result.answers, audit, result)
