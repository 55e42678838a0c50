"""The syntax tree of an expression: small immutable nodes."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LENGTH = 4000  # characters in one expression
MAX_TOKENS = 1000
MAX_DEPTH = 50  # nesting of the syntax tree
MAX_ARGS = 20  # arguments to one function call


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


LAST_SAVED = "last-saved#"
NULL = "null"  # ODK forms write a bare null for the empty value


@dataclass(frozen=True)
class Ref:
    """``${name}``: the value of a question or calculate. ``${last-saved#name}`` (ODK: the
    answer in the last form saved on the device) is empty: a telephone interview keeps no
    earlier form on a device."""

    name: str


@dataclass(frozen=True)
class Dot:
    """``.``: the value being checked (in a constraint)."""


@dataclass(frozen=True)
class Parent:
    """``..``: the enclosing repeat instance; only meaningful inside ``position(..)``."""


@dataclass(frozen=True)
class Name:
    """A bare name: a column of the choices sheet inside a choice_filter."""

    name: str


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str  # = != < <= > >= + - * div mod
    left: Node
    right: Node


@dataclass(frozen=True)
class Logical:
    op: str  # and / or, n-ary so long chains stay shallow
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Num | Str | Ref | Dot | Parent | Name | Neg | Binary | Logical | Call


def walk(node: Node):
    """Yield every node of the tree, parents before children (iteratively)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Neg):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.right, current.left))
        elif isinstance(current, Logical | Call):
            stack.extend(reversed(current.operands if isinstance(current, Logical)
                                  else current.args))


def references(node: Node) -> list[str]:
    """Names referenced as ``${name}``, in order of first appearance."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Ref):
            seen.setdefault(n.name.removeprefix(LAST_SAVED))
    return list(seen)


def bare_names(node: Node) -> list[str]:
    return [n.name for n in walk(node) if isinstance(n, Name) and n.name != NULL]

