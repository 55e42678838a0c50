"""XPath 1.0 value semantics: conversions and comparisons between numbers, strings, booleans.

Answers become XPath values: no answer is '', numbers are floats, a select_multiple is its
space-separated choice names, a don't-know/refused code is a number (so it counts as answered
but selects nothing). A question repeated across instances, seen from outside its repeat, is a
list (a node-set).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re

Value = float | str | bool | list

_NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_EPOCH = dt.date(1970, 1, 1)


def from_answer(answer: object) -> Value:
    """The XPath value of a stored answer."""
    if answer is None:
        return ""
    if isinstance(answer, bool):
        return answer
    if isinstance(answer, int | float):
        return float(answer)
    if isinstance(answer, list | tuple):
        return " ".join(str(a) for a in answer)
    if isinstance(answer, dt.date):
        return answer.isoformat()
    return str(answer)


def first(value: Value) -> Value:
    if isinstance(value, list):
        return value[0] if value else ""
    return value


def to_number(value: Value) -> float:
    if type(value) is float:
        return value
    value = first(value)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        return float(value)
    cached = _TEXT_NUMBERS.get(value)
    if cached is not None:
        return cached
    number = _text_to_number(value)
    if len(_TEXT_NUMBERS) < 10_000:
        _TEXT_NUMBERS[value] = number
    return number


_TEXT_NUMBERS: dict[str, float] = {}


def _text_to_number(value: str) -> float:
    if _NUMBER.match(value):
        return float(value)
    if _DATE.match(value):  # as ODK: a date is the number of days since 1970-01-01
        try:
            return float((dt.date.fromisoformat(value) - _EPOCH).days)
        except ValueError:
            return math.nan
    if _DATETIME.match(value):  # a date-time: days and the fraction of a day
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return math.nan
        moment = moment.replace(tzinfo=None)
        return (moment - dt.datetime(1970, 1, 1)).total_seconds() / 86400
    return math.nan


def to_string(value: Value) -> str:
    value = first(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def number_text(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def to_bool(value: Value) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def compare(op: str, left: Value, right: Value) -> bool:
    if type(left) is float and type(right) is float:
        return FLOAT_COMPARE[op](left, right)
    left, right = first(left), first(right)
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_bool(left) == to_bool(right)
        elif isinstance(left, float) or isinstance(right, float):
            equal = to_number(left) == to_number(right)
        else:
            equal = left == right
        return equal if op == "=" else not equal
    a, b = to_number(left), to_number(right)
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


FLOAT_COMPARE = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
                  ">": operator.gt, ">=": operator.ge}


def arithmetic(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        if b == 0:
            if a == 0 or math.isnan(a):
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    # mod: XPath truncates like C fmod
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)


def selected_items(value: Value) -> list[str]:
    """The choice names in a select value; a don't-know/refused code selects nothing."""
    value = first(value)
    if isinstance(value, str):
        return value.split()
    return []
