"""Check and normalise one answer: type, required, don't know / refused, choices, constraint."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .definition import ANOTHER, Item, pick_text
from .errors import AnswerError, ExpressionError, answer_error
from .values import to_bool
from .walker import NO, YES, Scope, Walker

MAX_TEXT = 2000
ACKNOWLEDGED = "OK"
_INTEGER = re.compile(r"\s*[-+]?\d+\s*\Z")
_DECIMAL = re.compile(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*\Z")


@dataclass
class Validation:
    ok: bool
    value: object = None  # the normalised answer to store
    errors: list[AnswerError] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "value": self.value, "errors": [e.to_dict() for e in self.errors]}


def check_answer(walker: Walker, item: Item, scope: Scope, raw: object) -> Validation:
    if not item.is_question or not walker.asked(item, scope):
        return _fail(answer_error("not_answerable", name=item.name, type=item.type))
    if raw is None or raw == "" or raw == []:
        if walker.required(item, scope):
            custom = pick_text(item.required_message, walker.language,
                               walker.definition.settings.default_language)
            return _fail(AnswerError("required", custom) if custom
                         else answer_error("required"))
        return Validation(True, None)
    code = _special_code(item, raw)
    if code is not None:
        return code
    value, error = _convert(walker, item, scope, raw)
    if error is not None:
        return _fail(error)
    if item.constraint:
        try:
            ok = to_bool(walker.evaluate(item.constraint, item, scope, current=value))
        except ExpressionError as exc:
            return _fail(answer_error("expression_failed", detail=str(exc)))
        if not ok:
            custom = pick_text(item.constraint_message, walker.language,
                               walker.definition.settings.default_language)
            error = answer_error("constraint", constraint=item.constraint)
            return _fail(AnswerError("constraint", custom) if custom else error)
    return Validation(True, value)


def _fail(error: AnswerError) -> Validation:
    return Validation(False, None, [error])


def _special_code(item: Item, raw: object) -> Validation | None:
    """A don't-know or refused code, stored as its integer code."""
    text = str(raw).strip() if isinstance(raw, int | str) and not isinstance(raw, bool) else None
    if text is None or not _INTEGER.match(text):
        return None
    number = int(text)
    for code in (item.dont_know, item.refused):
        if code is not None and number == code:
            return Validation(True, code)
    return None


def _convert(walker: Walker, item: Item, scope: Scope, raw: object
             ) -> tuple[object, AnswerError | None]:
    kind = item.type
    if kind == "integer":
        if isinstance(raw, bool) or not (isinstance(raw, int) or _INTEGER.match(str(raw))):
            return None, answer_error("not_integer", value=raw)
        return int(raw if isinstance(raw, int) else str(raw).strip()), None
    if kind == "decimal":
        if isinstance(raw, bool) or not (isinstance(raw, int | float) or
                                         _DECIMAL.match(str(raw))):
            return None, answer_error("not_decimal", value=raw)
        number = float(raw)
        if number != number or number in (float("inf"), float("-inf")):
            return None, answer_error("not_decimal", value=raw)
        return number, None
    if kind == "date":
        return _date(raw)
    if kind == "time":
        return _time(raw)
    if kind == "datetime":
        return _datetime(raw)
    if kind == "range":
        return _range(item, raw)
    if kind == "acknowledge":
        if str(raw).strip().upper() != ACKNOWLEDGED:
            return None, answer_error("not_acknowledged")
        return ACKNOWLEDGED, None
    if kind == ANOTHER:
        value = str(raw).strip().lower()
        if value not in (YES, NO):
            return None, answer_error("not_a_choice", value=raw)
        return value, None
    if kind == "rank":
        return _rank(walker, item, scope, raw)
    if kind == "text":
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            return None, answer_error("not_text", value=raw)
        text = str(raw).strip()
        if len(text) > MAX_TEXT:
            return None, answer_error("text_too_long", limit=MAX_TEXT)
        return text, None
    return _select(walker, item, scope, raw)


def _date(raw: object) -> tuple[object, AnswerError | None]:
    if isinstance(raw, dt.date):
        return raw.isoformat(), None
    try:
        return dt.date.fromisoformat(str(raw).strip()).isoformat(), None
    except ValueError:
        return None, answer_error("not_date", value=raw)


def _time(raw: object) -> tuple[object, AnswerError | None]:
    if isinstance(raw, dt.time):
        return raw.isoformat(timespec="minutes"), None
    try:
        value = dt.time.fromisoformat(str(raw).strip())
    except ValueError:
        return None, answer_error("not_time", value=raw)
    return value.isoformat(timespec="seconds" if value.second else "minutes"), None


def _datetime(raw: object) -> tuple[object, AnswerError | None]:
    if isinstance(raw, dt.datetime):
        return raw.isoformat(timespec="seconds"), None
    try:
        value = dt.datetime.fromisoformat(str(raw).strip())
    except ValueError:
        return None, answer_error("not_datetime", value=raw)
    return value.isoformat(timespec="seconds"), None


def range_bounds(item: Item) -> tuple[float, float, float]:
    """A range question's start, end and step (XLSForm's defaults: 1, 10, 1)."""
    def number(key: str, default: float) -> float:
        try:
            return float(item.parameters.get(key, default))
        except ValueError:
            return default
    return number("start", 1), number("end", 10), number("step", 1)


def _range(item: Item, raw: object) -> tuple[object, AnswerError | None]:
    start, end, step = range_bounds(item)
    text = str(raw).strip()
    if isinstance(raw, bool) or not (isinstance(raw, int | float) or _DECIMAL.match(text)):
        return None, answer_error("not_decimal", value=raw)
    value = float(raw) if isinstance(raw, int | float) else float(text)
    low, high = min(start, end), max(start, end)
    steps = (value - start) / step if step else 0.0
    if not low <= value <= high or abs(steps - round(steps)) > 1e-9:
        return None, answer_error("out_of_range", value=_num(value), start=_num(start),
                                  end=_num(end), step=_num(step))
    return (int(value) if value.is_integer() else value), None


def _num(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def _rank(walker: Walker, item: Item, scope: Scope, raw: object
          ) -> tuple[object, AnswerError | None]:
    choices = walker.choices(item, scope)
    allowed = [c.name for c in choices]
    order = raw.split() if isinstance(raw, str) else [str(v).strip() for v in raw] \
        if isinstance(raw, list | tuple) else None
    if order is None or sorted(order) != sorted(allowed):
        labels = [pick_text(c.label, walker.language, walker.definition.settings.default_language)
                  or c.name for c in choices]
        return None, answer_error("not_ranked", detail=", ".join(labels))
    return order, None


def _select(walker: Walker, item: Item, scope: Scope, raw: object
            ) -> tuple[object, AnswerError | None]:
    allowed = [c.name for c in walker.choices(item, scope)]
    if item.type == "select_one":
        value = str(raw).strip()
        if value not in allowed:
            return None, answer_error("not_a_choice", value=value)
        return value, None
    picked = raw.split() if isinstance(raw, str) else [str(v).strip() for v in raw] \
        if isinstance(raw, list | tuple) else None
    if picked is None:
        return None, answer_error("not_a_choice", value=raw)
    seen: set[str] = set()
    for value in picked:
        if value not in allowed:
            return None, answer_error("not_a_choice", value=value)
        if value in seen:
            return None, answer_error("duplicate_choice", value=value)
        seen.add(value)
    return [name for name in allowed if name in seen], None
