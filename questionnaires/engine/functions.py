"""The XPath / ODK functions expressions may call: how many arguments each takes, and the pure
ones' implementations (those that need the interview, such as ``indexed-repeat()``, are in the
evaluator). Strings built are bounded by ``MAX_STRING``; regex() by ``safe_regex``."""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Callable

from .errors import ExpressionError
from .safe_regex import regex_match
from .values import (
    Value,
    number_text,
    selected_items,
    to_bool,
    to_number,
    to_string,
)

MAX_STRING = 10_000
MAX_ARGS = 20
_EPOCH = dt.datetime(1970, 1, 1)

# function name -> (min args, max args or None)
ARITY: dict[str, tuple[int, int | None]] = {
    "not": (1, 1), "selected": (2, 2), "count-selected": (1, 1), "selected-at": (2, 2),
    "string-length": (1, 1), "if": (3, 3), "coalesce": (2, 2), "today": (0, 0),
    "now": (0, 0), "position": (0, 1), "count": (1, 1), "sum": (1, 1), "true": (0, 0),
    "false": (0, 0), "number": (1, 1), "string": (1, 1), "int": (1, 1), "round": (1, 2),
    "concat": (1, MAX_ARGS), "regex": (2, 2), "jr:choice-name": (2, 2), "once": (1, 1),
    "format-date": (2, 2), "format-date-time": (2, 2), "date": (1, 1), "date-time": (1, 1),
    "decimal-date-time": (1, 1), "decimal-time": (1, 1), "substr": (2, 3),
    "substring": (2, 3), "contains": (2, 2), "starts-with": (2, 2), "ends-with": (2, 2),
    "normalize-space": (1, 1), "min": (1, MAX_ARGS), "max": (1, MAX_ARGS),
    "boolean": (1, 1), "indexed-repeat": (3, 7), "pulldata": (4, 4), "floor": (1, 1),
    "ceiling": (1, 1), "abs": (1, 1), "pow": (2, 2), "sqrt": (1, 1), "exp": (1, 1),
    "log": (1, 1), "log10": (1, 1), "pi": (0, 0), "uuid": (0, 1), "random": (0, 0),
    "count-non-empty": (1, 1), "substring-before": (2, 2), "substring-after": (2, 2),
    "translate": (3, 3), "boolean-from-string": (1, 1), "join": (2, MAX_ARGS),
    "string-length-bytes": (1, 1), "sin": (1, 1), "cos": (1, 1), "tan": (1, 1),
    "asin": (1, 1), "acos": (1, 1), "atan": (1, 1), "atan2": (2, 2),
}


def _nodes(value: Value) -> list[Value]:
    return value if isinstance(value, list) else [value]


def _flat(args: tuple[Value, ...]) -> list[Value]:
    return [v for a in args for v in _nodes(a)]


def _bounded(text: str, name: str) -> str:
    if len(text) > MAX_STRING:
        raise ExpressionError(f"{name}() result longer than {MAX_STRING} characters")
    return text


def _selected_at(value: Value, index: Value) -> str:
    items = selected_items(value)
    i = to_number(index)
    if math.isnan(i) or i != int(i) or not 0 <= i < len(items):
        return ""
    return items[int(i)]


def _count(value: Value) -> float:
    if isinstance(value, list):
        return float(len(value))
    return float(to_number(value)) if isinstance(value, float) else 0.0


def _int(value: Value) -> float:
    n = to_number(value)
    return n if math.isnan(n) or math.isinf(n) else float(math.trunc(n))


def _round(value: Value, digits: Value = 0.0) -> float:
    n, d = to_number(value), to_number(digits)
    if math.isnan(n) or math.isinf(n) or math.isnan(d) or abs(d) > 15:
        return math.nan if math.isnan(n) or math.isnan(d) else n
    factor = 10.0 ** int(d)
    return math.floor(n * factor + 0.5) / factor


def _concat(*parts: Value) -> str:
    return _bounded("".join(to_string(p) for p in _flat(parts)), "concat")


def _join(sep: Value, *parts: Value) -> str:
    return _bounded(to_string(sep).join(to_string(p) for p in _flat(parts)), "join")


def _extreme(pick: Callable[..., float]) -> Callable[..., float]:
    def fn(*args: Value) -> float:
        numbers = [to_number(v) for v in _flat(args)]
        if not numbers or any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)

    return fn


def _substr(text: Value, start: Value, end: Value | None = None) -> str:
    """ODK's substr(): 0-based start, end exclusive."""
    s = to_string(text)
    a = to_number(start)
    b = len(s) if end is None else to_number(end)
    if math.isnan(a) or math.isnan(b):
        return ""
    return s[max(0, int(a)):max(0, int(b))]


def _substring(text: Value, start: Value, length: Value | None = None) -> str:
    """XPath substring(): 1-based start and a length."""
    s = to_string(text)
    a = to_number(start)
    if math.isnan(a):
        return ""
    first = max(1, round(a))
    last = len(s) + 1 if length is None else round(a) + to_number(length)
    if isinstance(last, float) and math.isnan(last):
        return ""
    return s[first - 1:max(first - 1, int(min(last, len(s) + 1)) - 1)]


def _translate(text: Value, src: Value, dst: Value) -> str:
    s, a, b = to_string(text), to_string(src), to_string(dst)
    table = {ord(c): (b[i] if i < len(b) else None) for i, c in reversed(list(enumerate(a)))}
    return s.translate(table)


# dates and times ------------------------------------------------------------------------------

def to_datetime(value: Value) -> dt.datetime | None:
    """A date, a date-time or a number of days since 1970-01-01, as a naive datetime."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value) or abs(value) > 3_000_000:
            return None
        return _EPOCH + dt.timedelta(days=value)
    text = to_string(value).strip()
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed


def _date(value: Value) -> str:
    moment = to_datetime(value if not isinstance(value, str) or value.strip() == ""
                         or not _is_number(value) else to_number(value))
    return "" if moment is None else moment.date().isoformat()


def _date_time(value: Value) -> str:
    moment = to_datetime(value if not isinstance(value, str) or not _is_number(value)
                         else to_number(value))
    return "" if moment is None else moment.isoformat(timespec="milliseconds")


def _is_number(text: str) -> bool:
    return not math.isnan(to_number(text)) and "-" not in text.strip()[1:]


def _decimal_date_time(value: Value) -> float:
    moment = to_datetime(value)
    if moment is None:
        return math.nan
    return (moment - _EPOCH).total_seconds() / 86400


def _decimal_time(value: Value) -> float:
    text = to_string(value).strip()
    try:
        t = dt.time.fromisoformat(text.split("+")[0].rstrip("Z"))
    except ValueError:
        return math.nan
    return (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6) / 86400


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _format_date(value: Value, pattern: Value) -> str:
    moment = to_datetime(value)
    if moment is None:
        return ""
    fmt = to_string(pattern)
    codes = {
        "Y": f"{moment.year:04d}", "y": f"{moment.year % 100:02d}", "m": f"{moment.month:02d}",
        "n": str(moment.month), "b": _MONTHS[moment.month - 1], "d": f"{moment.day:02d}",
        "e": str(moment.day), "H": f"{moment.hour:02d}", "h": str(moment.hour),
        "M": f"{moment.minute:02d}", "S": f"{moment.second:02d}",
        "3": f"{moment.microsecond // 1000:03d}", "a": _DAYS[moment.weekday()],
    }
    out: list[str] = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            out.append(codes.get(fmt[i + 1], fmt[i + 1]))
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return _bounded("".join(out), "format-date")


def _uuid(_length: Value | None = None) -> str:
    return str(uuid.uuid4())


PURE: dict[str, Callable[..., Value]] = {
    "not": lambda v: not to_bool(v),
    "selected": lambda v, item: to_string(item).strip() in selected_items(v),
    "count-selected": lambda v: float(len(selected_items(v))),
    "selected-at": _selected_at,
    "string-length": lambda v: float(len(to_string(v))),
    "string-length-bytes": lambda v: float(len(to_string(v).encode())),
    "count": _count,
    "count-non-empty": lambda v: float(sum(1 for x in _nodes(v) if to_string(x) != "")),
    "sum": lambda v: math.fsum(to_number(x) for x in _nodes(v)) if v != "" else 0.0,
    "true": lambda: True,
    "false": lambda: False,
    "number": to_number,
    "string": to_string,
    "boolean": to_bool,
    "boolean-from-string": lambda v: to_string(v).strip() in ("true", "1"),
    "int": _int,
    "round": _round,
    "floor": lambda v: float(math.floor(n)) if math.isfinite(n := to_number(v)) else n,
    "ceiling": lambda v: float(math.ceil(n)) if math.isfinite(n := to_number(v)) else n,
    "abs": lambda v: abs(to_number(v)),
    "pow": lambda a, b: _pow(to_number(a), to_number(b)),
    "sqrt": lambda v: math.sqrt(n) if (n := to_number(v)) >= 0 else math.nan,
    "exp": lambda v: math.exp(min(to_number(v), 700.0)),
    "log": lambda v: math.log(n) if (n := to_number(v)) > 0 else math.nan,
    "log10": lambda v: math.log10(n) if (n := to_number(v)) > 0 else math.nan,
    "pi": lambda: math.pi,
    "sin": lambda v: _unary(math.sin, v),
    "cos": lambda v: _unary(math.cos, v),
    "tan": lambda v: _unary(math.tan, v),
    "asin": lambda v: _unary(math.asin, v),
    "acos": lambda v: _unary(math.acos, v),
    "atan": lambda v: _unary(math.atan, v),
    "atan2": lambda a, b: math.atan2(to_number(a), to_number(b)),
    "uuid": _uuid,
    "random": lambda: random.random(),
    "concat": _concat,
    "join": _join,
    "regex": lambda v, p: regex_match(to_string(v), to_string(p)),
    "once": lambda v: v,
    "format-date": _format_date,
    "format-date-time": _format_date,
    "date": _date,
    "date-time": _date_time,
    "decimal-date-time": _decimal_date_time,
    "decimal-time": _decimal_time,
    "substr": _substr,
    "substring": _substring,
    "contains": lambda a, b: to_string(b) in to_string(a),
    "starts-with": lambda a, b: to_string(a).startswith(to_string(b)),
    "ends-with": lambda a, b: to_string(a).endswith(to_string(b)),
    "substring-before": lambda a, b: to_string(a).partition(to_string(b))[0]
    if to_string(b) in to_string(a) else "",
    "substring-after": lambda a, b: to_string(a).partition(to_string(b))[2],
    "translate": _translate,
    "normalize-space": lambda v: " ".join(to_string(v).split()),
    "min": _extreme(min),
    "max": _extreme(max),
}


def _unary(fn: Callable[[float], float], value: Value) -> float:
    try:
        return fn(to_number(value))
    except (ValueError, OverflowError):
        return math.nan


def _pow(a: float, b: float) -> float:
    try:
        result = math.pow(a, b)
    except (OverflowError, ValueError):
        return math.nan
    return result


__all__ = ["ARITY", "MAX_ARGS", "MAX_STRING", "PURE", "number_text", "to_datetime"]
