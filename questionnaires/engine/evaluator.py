"""Evaluate syntax trees: each tree is compiled once into nested Python closures.

No ``eval``, ``exec`` or ``compile`` is used: a closure per node just calls its children.
The work per evaluation is bounded by the tree's size (limited by the parser), the number
of repeat instances (limited by the routing engine) and ``MAX_STRING`` for built strings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Protocol

from .errors import ExpressionError
from .parser import parse
from .syntax import Binary, Call, Dot, Logical, Name, Neg, Node, Num, Parent, Ref, Str
from .values import (
    FLOAT_COMPARE,
    Value,
    arithmetic,
    compare,
    from_answer,
    selected_items,
    to_bool,
    to_number,
    to_string,
)

MAX_STRING = 10_000


class Env(Protocol):
    """What an expression can see."""

    def lookup(self, name: str) -> Value: ...
    def current(self) -> Value: ...
    def position(self) -> int: ...
    def today(self) -> str: ...
    def column(self, name: str) -> Value: ...


Compiled = Callable[[Env], Value]


class MappingEnv:
    """An Env over a plain mapping of names to answers (for tests and simple checks)."""

    def __init__(self, values: Mapping[str, object] | None = None, current: object = None,
                 position: int = 0, today: dt.date | None = None,
                 columns: Mapping[str, object] | None = None) -> None:
        self.values = values or {}
        self._current = current
        self._position = position
        self._today = (today or dt.date.today()).isoformat()
        self.columns = columns or {}

    def lookup(self, name: str) -> Value:
        if name not in self.values:
            raise ExpressionError(f"${{{name}}} is not defined")
        value = self.values[name]
        if isinstance(value, list) and value and isinstance(value[0], list):
            return [from_answer(v) for v in value]
        return from_answer(value)

    def current(self) -> Value:
        return from_answer(self._current)

    def position(self) -> int:
        return self._position

    def today(self) -> str:
        return self._today

    def column(self, name: str) -> Value:
        if name not in self.columns:
            raise ExpressionError(f"no choice column '{name}'")
        return from_answer(self.columns[name])


def evaluate(expression: str | Node, env: Env) -> Value:
    """Evaluate an expression (text or tree); only ExpressionError escapes."""
    fn = compile_text(expression) if isinstance(expression, str) else compile_node(expression)
    return run(fn, env)


def run(fn: Compiled, env: Env) -> Value:
    try:
        return fn(env)
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError("expressions refer to each other too deeply")
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ExpressionError(f"cannot evaluate: {exc}")


@lru_cache(maxsize=4096)
def compile_text(text: str) -> Compiled:
    return compile_node(parse(text))


def compile_node(node: Node) -> Compiled:
    if isinstance(node, Num):
        value = node.value
        return lambda env: value
    if isinstance(node, Str):
        text = node.value
        return lambda env: text
    if isinstance(node, Ref):
        name = node.name
        return lambda env: env.lookup(name)
    if isinstance(node, Dot):
        return lambda env: env.current()
    if isinstance(node, Name):
        column = node.name
        return lambda env: env.column(column)
    if isinstance(node, Parent):
        return lambda env: float(env.position())
    if isinstance(node, Neg):
        operand = compile_node(node.operand)
        return lambda env: -to_number(operand(env))
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, Logical):
        return _logical(node)
    return _call(node)


def _binary(node: Binary) -> Compiled:
    left, right, op = compile_node(node.left), compile_node(node.right), node.op
    if op in FLOAT_COMPARE and isinstance(node.right, Num):
        return _compare_with_number(op, left, node.right.value)
    if op in FLOAT_COMPARE:
        return lambda env: compare(op, left(env), right(env))
    return lambda env: arithmetic(op, to_number(left(env)), to_number(right(env)))


def _compare_with_number(op: str, left: Compiled, number: float) -> Compiled:
    """``${x} = 1``, the commonest routing test: a number on the right needs no type checks
    beyond the left value's (strings and numbers compare as numbers under XPath)."""
    cmp = FLOAT_COMPARE[op]

    def fn(env: Env) -> Value:
        value = left(env)
        if type(value) is float or type(value) is str:
            return cmp(to_number(value), number)
        return compare(op, value, number)

    return fn


def _logical(node: Logical) -> Compiled:
    parts = [compile_node(o) for o in node.operands]
    if len(parts) == 2:
        a, b = parts
        if node.op == "and":
            return lambda env: to_bool(a(env)) and to_bool(b(env))
        return lambda env: to_bool(a(env)) or to_bool(b(env))
    if node.op == "and":
        return lambda env: all(to_bool(p(env)) for p in parts)
    return lambda env: any(to_bool(p(env)) for p in parts)


def _call(node: Call) -> Compiled:
    args = [compile_node(a) for a in node.args]
    name = node.name
    if name == "if":
        cond, then, other = args
        return lambda env: then(env) if to_bool(cond(env)) else other(env)
    if name == "coalesce":
        a, b = args
        return lambda env: _coalesce(a(env), b, env)
    if name == "position":
        return lambda env: float(env.position())
    if name == "today":
        return lambda env: env.today()
    impl = _FUNCTIONS[name]
    return lambda env: impl(*[a(env) for a in args])


def _coalesce(value: Value, other: Compiled, env: Env) -> Value:
    return value if to_string(value) != "" else other(env)


def _selected_at(value: Value, index: Value) -> str:
    items = selected_items(value)
    i = to_number(index)
    if math.isnan(i) or i != int(i) or not 0 <= i < len(items):
        return ""
    return items[int(i)]


def _nodes(value: Value) -> list[Value]:
    return value if isinstance(value, list) else [value]


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
    text = "".join(to_string(p) for p in parts)
    if len(text) > MAX_STRING:
        raise ExpressionError(f"concat() result longer than {MAX_STRING} characters")
    return text


_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "not": lambda v: not to_bool(v),
    "selected": lambda v, item: to_string(item).strip() in selected_items(v),
    "count-selected": lambda v: float(len(selected_items(v))),
    "selected-at": _selected_at,
    "string-length": lambda v: float(len(to_string(v))),
    "count": _count,
    "sum": lambda v: math.fsum(to_number(x) for x in _nodes(v)) if v != "" else 0.0,
    "true": lambda: True,
    "false": lambda: False,
    "number": to_number,
    "string": to_string,
    "int": _int,
    "round": _round,
    "concat": _concat,
}
