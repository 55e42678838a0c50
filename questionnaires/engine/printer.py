"""Syntax tree -> expression text that parses back to the same tree."""

from __future__ import annotations

from decimal import Decimal

from .syntax import Binary, Call, Dot, Logical, Name, Neg, Node, Num, Parent, Ref, Str


def to_text(node: Node) -> str:
    if isinstance(node, Num):
        return format_number(node.value)
    if isinstance(node, Str):
        quote = "'" if "'" not in node.value else '"'
        return f"{quote}{node.value}{quote}"
    if isinstance(node, Ref):
        return f"${{{node.name}}}"
    if isinstance(node, Dot):
        return "."
    if isinstance(node, Parent):
        return ".."
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Neg):
        return f"-{to_text(node.operand)}"
    if isinstance(node, Binary):
        return f"({to_text(node.left)} {node.op} {to_text(node.right)})"
    if isinstance(node, Logical):
        return "(" + f" {node.op} ".join(to_text(o) for o in node.operands) + ")"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(to_text(a) for a in node.args)})"
    raise TypeError(f"not a syntax node: {node!r}")


def format_number(value: float) -> str:
    """A non-negative finite number written without an exponent (the grammar has none)."""
    text = format(Decimal(repr(value)), "f")
    return text
