"""The codebook of a definition: every variable with its labels, codes and routing."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from bas.cells import safe_row

from .definition import Definition, Item, pick_text
from .walker import MAX_ASKED, for_each_source

CODEBOOK_COLUMNS = ["name", "label", "type", "list_name", "value_labels", "dont_know",
                    "refused", "routing", "repeat", "instances", "columns", "question",
                    "interviewer_instruction", "hint", "constraint", "required", "calculation"]


def routing_condition(item: Item) -> str:
    """The item's relevance including every enclosing group's and repeat's, joined by and."""
    parts = []
    node: Item | None = item
    while node is not None:
        if node.relevant:
            parts.append(node.relevant)
        node = node.parent
    parts.reverse()
    if len(parts) == 1:
        return parts[0]
    return " and ".join(f"({p})" for p in parts)


def instance_keys(definition: Definition, repeat: Item) -> list[str] | None:
    """Instance keys of a repeat over a select_multiple's choices; None if counted."""
    source = for_each_source(definition, repeat)
    if source is None:
        return None
    return [c.name for c in definition.choices.get(source.list_name, [])]


def variable_columns(definition: Definition, item: Item) -> list[str]:
    """Respondent-table columns of a variable (``<instance>`` where instances are counted)."""
    base = [item.name]
    if item.type in ("select_multiple", "rank"):
        base = [f"{item.name}__{c.name}" for c in definition.choices.get(item.list_name, [])]
    for repeat_name in reversed(item.repeats):
        keys = instance_keys(definition, definition.by_name[repeat_name]) or ["<instance>"]
        base = [_with_instance(column, item.name, key) for key in keys for column in base]
    return base


def _with_instance(column: str, name: str, key: str) -> str:
    # incidents -> incidents__burglary ; reasons__cost -> reasons__burglary__cost
    return f"{name}__{key}{column[len(name):]}"


def codebook(definition: Definition, language: str | None = None) -> dict:
    """JSON-ready codebook: one entry per question and calculate, in questionnaire order."""
    default = definition.settings.default_language
    variables = []
    for item in definition.variables():
        options = definition.choices.get(item.list_name, [])
        repeat = definition.by_name[item.repeats[-1]] if item.repeats else None
        variables.append({
            "name": item.name,
            "label": pick_text(item.label, language, default),
            "type": item.type,
            "list_name": item.list_name,
            "value_labels": {c.name: pick_text(c.label, language, default) for c in options},
            "dont_know": item.dont_know if item.is_question else None,
            "refused": item.refused if item.is_question else None,
            "routing": routing_condition(item),
            "repeat": repeat.name if repeat else "",
            "instances": _instances_text(definition, repeat),
            "columns": variable_columns(definition, item),
            "question": pick_text(item.label, language, default) if item.is_question else "",
            "interviewer_instruction": pick_text(item.interviewer_instruction, language, default),
            "hint": pick_text(item.hint, language, default),
            "constraint": item.constraint,
            "required": item.required,
            "calculation": item.calculate,
            "labels": {lang: text for lang, text in item.label.items() if text},
            "value_labels_by_language": {
                lang: {c.name: pick_text(c.label, lang, default) for c in options}
                for lang in _languages(definition)} if options else {},
            "parameters": dict(item.parameters),
        })
    settings = definition.settings
    return {"form_id": settings.form_id, "version": settings.version,
            "title": settings.form_title, "languages": definition.languages,
            "dont_know_default": settings.dont_know, "refused_default": settings.refused,
            "variables": variables}


def _instances_text(definition: Definition, repeat: Item | None) -> str:
    if repeat is None:
        return ""
    source = for_each_source(definition, repeat)
    if source is not None:
        return f"one per choice selected at {source.name}"
    if not repeat.repeat_count:
        return f"numbered 1..n, n as many as the interviewer adds (at most {MAX_ASKED})"
    return f"numbered 1..n, n = {repeat.repeat_count}"


def _languages(definition: Definition) -> list[str]:
    """Language keys as the texts hold them ('' for the unnamed column)."""
    default = definition.settings.default_language
    return [default if lang == (default or "default") else lang
            for lang in definition.languages] or [""]


def write_codebook_xlsx(book: dict, target: str | Path | BinaryIO) -> None:
    """Write a codebook (from ``codebook()``) as a workbook with a ``codebook`` sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "codebook"
    languages = [lang for lang in book["languages"]] if len(book["languages"]) > 1 else []
    ws.append(CODEBOOK_COLUMNS + [f"label::{lang}" for lang in languages]
              + [f"value_labels::{lang}" for lang in languages])
    for var in book["variables"]:
        by_language = var.get("value_labels_by_language", {})
        ws.append(safe_row([_cell(var[c]) for c in CODEBOOK_COLUMNS]
                           + [var.get("labels", {}).get(lang, "") for lang in languages]
                           + [_cell(by_language.get(lang, {})) for lang in languages]))
    about = wb.create_sheet("about")
    for key in ("form_id", "version", "title", "dont_know_default", "refused_default"):
        about.append(safe_row([key, book[key]]))
    about.append(safe_row(["languages", ", ".join(book["languages"])]))
    wb.save(target)


def _cell(value: object) -> object:
    if isinstance(value, dict):
        return "; ".join(f"{k} = {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value
