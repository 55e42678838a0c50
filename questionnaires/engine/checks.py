"""Checks across a whole definition: expressions parse, references resolve, no cycles."""

from __future__ import annotations

import re

from .definition import (
    EXPRESSION_COLUMNS,
    TEXT_COLUMNS,
    TRIGGER_REF,
    Definition,
    Item,
    is_dynamic,
)
from .errors import ExpressionError, Problem, problem
from .functions_check import check_calls
from .parser import parse
from .syntax import LAST_SAVED, Ref, bare_names, references, walk

PIPE_RE = re.compile(r"\$\{([^}]*)\}")


# the column each expression attribute is read from
HEADERS = {"calculate": "calculation", "required_if": "required", "read_only_if": "read_only"}


def check_definition(definition: Definition, sheet: str = "survey",
                     choice_columns: dict[str, set[str]] | None = None,
                     skipped: frozenset[str] = frozenset()) -> list[Problem]:
    """Every expression, reference and dependency problem in ``definition``; ``skipped``:
    names of rows not read (device-only or of no effect), reported on their own rows."""
    choice_columns = choice_columns or {}
    problems: list[Problem] = []
    names = definition.by_name
    deps: dict[str, list[tuple[str, str]]] = {}  # node -> [(referenced node, column)]
    for item in definition.iter_items():
        item_deps = deps.setdefault(_node(item, names), [])
        if item.parent is not None:
            item_deps.append((_node(item.parent, names), "relevant"))
        columns = [*EXPRESSION_COLUMNS, *(("default",) if is_dynamic(item.default) else ())]
        for column in columns:
            text = getattr(item, column)
            if not text or (column == "choice_filter" and not item.list_name):
                continue  # (a choice_filter without a choice list is warned by the loader)
            header = HEADERS.get(column, column)
            try:
                tree = parse(text)
            except ExpressionError as exc:
                problems.append(problem("invalid_expression", sheet, item.row, header,
                                        detail=str(exc)))
                continue
            last_saved = {r.name.removeprefix(LAST_SAVED) for r in walk(tree)
                          if isinstance(r, Ref) and r.name.startswith(LAST_SAVED)}
            for ref in references(tree):
                if ref in skipped:
                    continue  # a row refused or dropped, reported on its own row
                if ref not in names:
                    problems.append(problem("undefined_reference", sheet, item.row, header,
                                            value=ref))
                elif column in ("relevant", "calculate", "repeat_count") and \
                        ref not in last_saved:
                    item_deps.append((ref, header))
            problems += _check_bare_names(item, column, tree, sheet, choice_columns)
            problems += [problem("invalid_expression", sheet, item.row, header, detail=d)
                         for d in check_calls(tree, definition)]
        problems += _check_piping(item, names, sheet, skipped)
        if item.trigger:
            problems += _check_trigger(item, names, sheet, skipped)
    problems += _check_cycles(definition, deps, sheet)
    return problems


def _node(item: Item, names: dict[str, Item]) -> str:
    """An item's node in the dependency graph: its name; an unnamed item or a second item of
    the same name (both reported as problems of their own) is a node of its own."""
    if item.name and names.get(item.name) is item:
        return item.name
    return f"<row {item.row}>"


def _check_bare_names(item: Item, column: str, tree, sheet: str,
                      choice_columns: dict[str, set[str]]) -> list[Problem]:
    out = []
    header = HEADERS.get(column, column)
    list_name = item.list_name.removesuffix(" or_other")
    for name in bare_names(tree):
        if column != "choice_filter":
            out.append(problem("bare_name", sheet, item.row, header, value=name))
        elif name not in (known := choice_columns.get(list_name, {"name", "label"})) and \
                "*" not in known and not name.startswith("label::"):
            out.append(problem("unknown_choice_column", sheet, item.row, header,
                               list_name=list_name, value=name))
    return out


def _check_piping(item: Item, names: dict[str, Item], sheet: str,
                  skipped: frozenset[str]) -> list[Problem]:
    out = []
    for column in TEXT_COLUMNS:
        for language, text in getattr(item, column).items():
            header = f"{column}::{language}" if language else column
            for ref in PIPE_RE.findall(text):
                ref = ref.removeprefix(LAST_SAVED)
                if ref not in names and ref not in skipped:
                    out.append(problem("undefined_reference", sheet, item.row, header,
                                       value=ref))
    return out


def _check_cycles(definition: Definition, deps: dict[str, list[tuple[str, str]]],
                  sheet: str) -> list[Problem]:
    """Report each dependency cycle once, at its first item in document order."""
    items: dict[str, Item] = {}
    for item in definition.iter_items():
        items.setdefault(_node(item, definition.by_name), item)
    order = {node: i for i, node in enumerate(items)}
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles: dict[frozenset[str], list[str]] = {}
    for start in deps:
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, index = stack.pop()
            if index == 0:
                state[node] = 1
                path.append(node)
            edges = deps.get(node, [])
            if index < len(edges):
                stack.append((node, index + 1))
                target = edges[index][0]
                if state.get(target) == 1:
                    cycle = path[path.index(target):]
                    cycles.setdefault(frozenset(cycle), cycle)
                elif not state.get(target) and target in deps:
                    stack.append((target, 0))
            else:
                state[node] = 2
                path.pop()
    out = []
    for cycle in cycles.values():
        first = min(cycle, key=lambda n: order.get(n, 0))
        i = cycle.index(first)
        ordered = cycle[i:] + cycle[:i] + [first]
        item = items[first]
        nxt = ordered[1]
        column = next((c for t, c in deps[first] if t == nxt), "relevant")
        out.append(problem("reference_cycle", sheet, item.row, column, name=first,
                           cycle=" -> ".join(ordered)))
    return out


def _check_trigger(item: Item, names: dict[str, Item], sheet: str,
                   skipped: frozenset[str]) -> list[Problem]:
    """``trigger``: ${question} references (comma-separated), each an asked question; on a
    row with a calculation (elsewhere it does nothing: warned)."""
    found: list[Problem] = []
    leftover = TRIGGER_REF.sub("", item.trigger).replace(",", " ").strip()
    if leftover or not item.triggers:
        found.append(problem("invalid_trigger", sheet, item.row, "trigger",
                             detail=f"'{leftover or item.trigger}' is not ${{name}}"))
    for ref in item.triggers:
        target = names.get(ref)
        if ref in skipped:
            continue
        if target is None:
            found.append(problem("undefined_reference", sheet, item.row, "trigger", value=ref))
        elif not target.is_question or not target.asked:
            found.append(problem("invalid_trigger", sheet, item.row, "trigger",
                                 detail=f"'{ref}' is not a question the interviewer asks"))
    if not item.calculate:  # pyxform accepts it; here it does nothing: a warning
        found.append(problem("no_effect_cell", sheet, item.row, "trigger", value="trigger",
                             type=f"{item.type} without a calculation"))
    elif item.is_question and not item.read_only:
        found.append(problem("trigger_question_not_asked", sheet, item.row, "trigger",
                             name=item.name))
    return found
