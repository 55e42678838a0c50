"""Evaluate syntax trees: each tree is compiled once into nested Python closures.

No ``eval``, ``exec`` or ``compile`` is used: a closure per node just calls its children.
The work per evaluation is bounded by the tree's size (limited by the parser), the number
of repeat instances (limited by the routing engine) and ``MAX_STRING`` for built strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Protocol

from .errors import ExpressionError
from .functions import MAX_STRING, PURE
from .functions_check import choice_name_target
from .parser import parse
from .syntax import (
    LAST_SAVED,
    NULL,
    Binary,
    Call,
    Dot,
    Logical,
    Name,
    Neg,
    Node,
    Num,
    Parent,
    Ref,
    Str,
)
from .values import (
    FLOAT_COMPARE,
    Value,
    arithmetic,
    compare,
    from_answer,
    to_bool,
    to_number,
    to_string,
)

__all__ = ["MAX_STRING", "Compiled", "Env", "MappingEnv", "compile_node", "compile_text",
           "evaluate", "run"]


class Env(Protocol):
    """What an expression can see."""

    def lookup(self, name: str) -> Value: ...
    def current(self) -> Value: ...
    def position(self) -> int: ...
    def today(self) -> str: ...
    def now(self) -> str: ...
    def column(self, name: str) -> Value: ...
    def choice_label(self, question: str, value: str) -> str: ...
    def indexed(self, name: str, steps: list[tuple[str, float]]) -> Value: ...
    def table(self, name: str) -> list[dict[str, str]]: ...
    def kept(self) -> Value: ...  # the value stored for the field being worked out


Compiled = Callable[[Env], Value]


class MappingEnv:
    """An Env over a plain mapping of names to answers (for tests and simple checks)."""

    def __init__(self, values: Mapping[str, object] | None = None, current: object = None,
                 position: int = 0, today: dt.date | None = None,
                 columns: Mapping[str, object] | None = None,
                 now: dt.datetime | None = None,
                 tables: Mapping[str, list[dict[str, str]]] | None = None) -> None:
        self.values = values or {}
        self._now = (now or dt.datetime.now()).isoformat(timespec="milliseconds")
        self.tables = tables or {}
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

    def now(self) -> str:
        return self._now

    def choice_label(self, question: str, value: str) -> str:
        return value

    def indexed(self, name: str, steps: list[tuple[str, float]]) -> Value:
        raise ExpressionError("indexed-repeat() needs an interview")

    def table(self, name: str) -> list[dict[str, str]]:
        return list(self.tables.get(name, []))

    def kept(self) -> Value:
        return ""  # nothing stored: once() works its value out

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
        if name.startswith(LAST_SAVED):
            return lambda env: ""
        return lambda env: env.lookup(name)
    if isinstance(node, Dot):
        return lambda env: env.current()
    if isinstance(node, Name) and node.name == NULL:
        return lambda env: ""
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
    if name == "now":
        return lambda env: env.now()
    if name == "jr:choice-name":
        target = choice_name_target(node)
        value = args[0]
        return lambda env: env.choice_label(target, to_string(value(env)))
    if name == "indexed-repeat":
        return _indexed_repeat(node, args)
    if name == "pulldata":
        return _pulldata(args)
    if name == "once":  # the first non-empty value this field had in this interview
        inner = args[0]
        return lambda env: kept if to_string(kept := env.kept()) != "" else inner(env)
    impl = PURE[name]
    return lambda env: impl(*[a(env) for a in args])


def _coalesce(value: Value, other: Compiled, env: Env) -> Value:
    return value if to_string(value) != "" else other(env)


def _indexed_repeat(node: Call, args: list[Compiled]) -> Compiled:
    """indexed-repeat(${q}, ${repeat}, n [, ${inner}, m ...]): q in the n-th instance."""
    refs = [a.name if isinstance(a, Ref) else "" for a in node.args]
    if len(node.args) % 2 == 0 or not all(refs[i] for i in range(0, len(refs) - 1, 2)):
        raise ExpressionError("indexed-repeat() takes ${question}, then pairs of ${repeat} "
                              "and an instance number")
    target = refs[0]
    repeats = refs[1::2]
    indexes = args[2::2]

    def fn(env: Env) -> Value:
        numbers = [to_number(i(env)) for i in indexes]
        return env.indexed(target, list(zip(repeats, numbers, strict=True)))

    return fn


def _pulldata(args: list[Compiled]) -> Compiled:
    file_name, column, key_column, key = args

    def fn(env: Env) -> Value:
        rows = env.table(to_string(file_name(env)))
        wanted, look = to_string(key(env)), to_string(key_column(env))
        col = to_string(column(env))
        for row in rows:
            if row.get(look) == wanted:
                return row.get(col, "")
        return ""

    return fn
