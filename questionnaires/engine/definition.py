"""A loaded questionnaire: settings, the tree of survey items, and the choice lists.

A Definition is plain data; ``to_dict()`` gives JSON-ready dicts so a version can be stored
as JSON, and ``Definition.from_dict()`` rebuilds it (expressions are re-parsed lazily).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cached_property

FORMAT_VERSION = 1

QUESTION_TYPES = ("integer", "decimal", "text", "select_one", "select_multiple", "date", "time",
                  "datetime", "acknowledge", "range", "rank")
# Values recorded without asking: in a telephone interview start/end are the interview's
# timestamps, today its date, username the interviewer; the others are empty unless the
# caller passes them (see Walker.meta).
METADATA_TYPES = ("start", "end", "today", "username", "phonenumber", "email", "deviceid",
                  "simserial", "subscriberid")
VALUE_TYPES = ("calculate", "hidden", *METADATA_TYPES)  # hold data, never asked
LEAF_TYPES = (*QUESTION_TYPES, "note", *VALUE_TYPES)
BLOCK_TYPES = ("group", "repeat")
SELECT_TYPES = ("select_one", "select_multiple", "rank")
ANOTHER = "another"  # the "add another?" question of a repeat without repeat_count
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculate", "choice_filter", "repeat_count",
                      "required_if", "read_only_if")
TEXT_COLUMNS = ("label", "hint", "constraint_message", "interviewer_instruction",
                "guidance_hint", "required_message")
TRIGGER_REF = re.compile(r"\$\{([^}]*)\}")
_DYNAMIC = re.compile(r"\$\{|^\s*[A-Za-z][A-Za-z0-9\-:]*\s*\(.*\)\s*$", re.S)


def is_dynamic(default: str) -> bool:
    """A default that is an expression (a reference or a function call), not a value."""
    return bool(_DYNAMIC.search(default))


@dataclass
class Settings:
    form_title: str = ""
    form_id: str = ""
    version: str = ""
    default_language: str = ""
    dont_know: int = -8
    refused: int = -9
    allow_choice_duplicates: bool = False


@dataclass
class Choice:
    name: str
    label: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    row: int | None = None


@dataclass
class Item:
    """One survey row: a question, note, calculate, group or repeat."""

    type: str
    name: str
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    constraint_message: dict[str, str] = field(default_factory=dict)
    interviewer_instruction: dict[str, str] = field(default_factory=dict)
    guidance_hint: dict[str, str] = field(default_factory=dict)
    required_message: dict[str, str] = field(default_factory=dict)
    list_name: str = ""
    required_if: str = ""  # required, as an expression
    read_only_if: str = ""  # read_only, as an expression
    parameters: dict[str, str] = field(default_factory=dict)
    required: bool = False
    read_only: bool = False
    relevant: str = ""
    constraint: str = ""
    calculate: str = ""
    choice_filter: str = ""
    default: str = ""
    trigger: str = ""  # names of the questions whose answer (re)computes this calculate
    repeat_count: str = ""
    dont_know: int | None = None
    refused: int | None = None
    row: int | None = None
    children: list[Item] = field(default_factory=list)
    # filled in by Definition (not stored)
    parent: Item | None = field(default=None, repr=False, compare=False)
    repeats: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def is_question(self) -> bool:
        return self.type in QUESTION_TYPES or self.type == ANOTHER

    # computed once: an item does not change once its Definition is built
    @cached_property
    def is_value(self) -> bool:
        """Holds data without being asked: calculate, hidden, metadata, and a question with a
        calculation (or read only with a default)."""
        return self.type in VALUE_TYPES or (self.type in QUESTION_TYPES and (
            bool(self.calculate) or (self.read_only and bool(self.default))))

    @cached_property
    def asked(self) -> bool:
        return self.is_question and not self.read_only and not self.calculate

    @cached_property
    def triggers(self) -> tuple[str, ...]:
        """The questions named in the ``trigger`` column (``${a}`` or ``${a}, ${b}``)."""
        return tuple(TRIGGER_REF.findall(self.trigger))

    @property
    def is_block(self) -> bool:
        return self.type in BLOCK_TYPES

    def to_dict(self) -> dict:
        out: dict = {}
        for f in fields(self):
            if f.name in ("parent", "repeats"):
                continue
            value = getattr(self, f.name)
            if f.name == "children":
                if value:
                    out["children"] = [c.to_dict() for c in value]
            elif value not in ("", None, False, {}) or f.name in ("type", "name"):
                out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Item:
        data = dict(data)
        children = [cls.from_dict(c) for c in data.pop("children", [])]
        return cls(**data, children=children)


@dataclass
class Definition:
    settings: Settings
    items: list[Item]
    choices: dict[str, list[Choice]]
    languages: list[str] = field(default_factory=list)
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # for pulldata()

    def __post_init__(self) -> None:
        self.by_name: dict[str, Item] = {}
        self._link(self.items, None, ())

    def _link(self, items: list[Item], parent: Item | None, repeats: tuple[str, ...]) -> None:
        for item in items:
            item.parent, item.repeats = parent, repeats
            if item.name:
                self.by_name.setdefault(item.name, item)
            inner = (*repeats, item.name) if item.type == "repeat" else repeats
            self._link(item.children, item, inner)

    def iter_items(self) -> Iterator[Item]:
        """Every item, depth first in document order."""
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.children))

    def questions(self) -> list[Item]:
        return [i for i in self.iter_items() if i.is_question]

    def variables(self) -> list[Item]:
        """Questions, calculates, hidden and metadata: everything that holds data."""
        return [i for i in self.iter_items() if i.is_question or i.is_value]

    def choice_label(self, list_name: str, name: str, language: str | None = None) -> str:
        for choice in self.choices.get(list_name, []):
            if choice.name == name:
                return pick_text(choice.label, language, self.settings.default_language)
        return name

    def summary(self) -> dict[str, object]:
        items = list(self.iter_items())
        return {
            "form_id": self.settings.form_id,
            "version": self.settings.version,
            "questions": sum(1 for i in items if i.is_question),
            "groups": sum(1 for i in items if i.type == "group"),
            "repeats": sum(1 for i in items if i.type == "repeat"),
            "calculates": sum(1 for i in items if i.type == "calculate"),
            "choice_lists": len(self.choices),
            "languages": list(self.languages),
        }

    def to_dict(self) -> dict:
        return {
            "format": FORMAT_VERSION,
            "settings": {f.name: getattr(self.settings, f.name) for f in fields(Settings)},
            "languages": list(self.languages),
            **({"tables": self.tables} if self.tables else {}),
            "items": [i.to_dict() for i in self.items],
            "choices": {
                name: [{k: v for k, v in vars(c).items() if v not in ({}, None)} for c in lst]
                for name, lst in self.choices.items()
            },
        }

    @classmethod
    def from_dict(cls, data: dict) -> Definition:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"unsupported definition format {data.get('format')!r}")
        return cls(
            settings=Settings(**data["settings"]),
            items=[Item.from_dict(i) for i in data["items"]],
            choices={name: [Choice(**c) for c in lst] for name, lst in data["choices"].items()},
            languages=list(data.get("languages", [])),
            tables=dict(data.get("tables", {})),
        )


def pick_text(texts: dict[str, str], language: str | None, default_language: str = "") -> str:
    """Text in ``language``, else the default language, else the unnamed column, else any."""
    for lang in (language, default_language, ""):
        if lang is not None and texts.get(lang):
            return texts[lang]
    return next((t for t in texts.values() if t), "")
