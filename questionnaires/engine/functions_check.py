"""Checks of function calls that can be made before any interview: a regex() pattern written
in the form is safe, jr:choice-name() names a select question, pulldata() names a file."""

from __future__ import annotations

from .definition import Definition
from .errors import ExpressionError
from .parser import parse
from .safe_regex import compile_safe
from .syntax import Call, Node, Str, walk

CHOICE_NAME_REF = "jr:choice-name() takes a question as its second argument, e.g. '${q}'"


def choice_name_target(node: Call) -> str:
    """The question named by jr:choice-name()'s second argument ('${q}'), or ''."""
    arg = node.args[1]
    if isinstance(arg, Str):
        text = arg.value.strip()
        if text.startswith("${") and text.endswith("}"):
            return text[2:-1]
    return ""


def check_calls(tree: Node, definition: Definition) -> list[str]:
    out: list[str] = []
    for node in walk(tree):
        if not isinstance(node, Call):
            continue
        if node.name == "regex" and isinstance(node.args[1], Str):
            try:
                compile_safe(node.args[1].value)
            except ExpressionError as exc:
                out.append(str(exc))
        elif node.name == "jr:choice-name":
            target = definition.by_name.get(choice_name_target(node))
            if target is None or not target.list_name:
                out.append(CHOICE_NAME_REF)
        elif node.name == "pulldata" and not isinstance(node.args[0], Str):
            out.append("pulldata() takes a file name in quotes as its first argument")
    return out


def pulldata_files(text: str) -> list[str]:
    """The file names that ``pulldata('file', ...)`` calls in ``text`` read (literal names)."""
    try:
        tree = parse(text)
    except ExpressionError:
        return []
    return [n.args[0].value for n in walk(tree)
            if isinstance(n, Call) and n.name == "pulldata" and n.args
            and isinstance(n.args[0], Str)]
