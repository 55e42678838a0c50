"""Build a Definition from workbook rows, collecting every problem instead of stopping.

Every column and setting is read (see ``columns``) or reported; every problem has a level:
errors stop a workbook from being stored, warnings do not (``errors_in``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .checks import check_definition
from .choices_sheet import ChoicesReader
from .columns import (
    MEDIA,
    TRANSLATED,
    choices_column,
    settings_column,
    survey_column,
)
from .definition import (
    QUESTION_TYPES,
    SELECT_TYPES,
    Choice,
    Definition,
    Item,
    Settings,
)
from .derived_items import DerivedItems
from .errors import Problem, WorkbookError, errors_in
from .reading import FALSE, TRUE, texts_of
from .settings_sheet import SettingsReader
from .shipped_files import FilesReader
from .types import MAX_DEPTH, ParsedType, parse_type
from .workbook import Row, Sheet, Source, read_workbook

_SHEET_ORDER = {"survey": 0, "choices": 1, "settings": 2}
_ASKED = frozenset(QUESTION_TYPES)
# the types each column means something for (columns not listed mean something for all)
CELL_TYPES: dict[str, frozenset[str]] = {
    "choice_filter": frozenset(SELECT_TYPES),
    "repeat_count": frozenset({"repeat"}),
    "constraint": _ASKED, "constraint_message": _ASKED, "required": _ASKED,
    "required_message": _ASKED, "read_only": _ASKED, "dont_know": _ASKED, "refused": _ASKED,
    "default": _ASKED | {"hidden"},
    "calculation": _ASKED | {"calculate", "hidden"},
    "trigger": _ASKED | {"calculate"},
    "hint": _ASKED | {"note"},
    "guidance_hint": _ASKED | {"note", "group", "repeat"},
    "interviewer_instruction": _ASKED | {"note", "group", "repeat"},
}
EXTERNAL = "external_choices:"  # prefix of the lists select_one_external reads


def load_workbook(source: Source, filename: str = "", *,
                  files: Mapping[str, bytes] | None = None) -> Definition:
    """Load and check a workbook; raise WorkbookError listing every error (warnings are
    left on ``definition.warnings``)."""
    definition, problems = check_workbook(source, filename, files=files)
    errors = errors_in(problems)
    if errors or definition is None:
        raise WorkbookError(errors or problems, filename or _name_of(source))
    definition.__dict__["warnings"] = problems
    return definition


def check_workbook(source: Source, filename: str = "", *,
                   files: Mapping[str, bytes] | None = None
                   ) -> tuple[Definition | None, list[Problem]]:
    """The definition (None if unusable) and every problem found, in sheet and row order.

    ``files``: CSV files shipped with the workbook (for select_one_from_file and pulldata),
    by file name; when ``source`` is a path, files beside it are read too.
    """
    sheets, problems = read_workbook(source, filename)
    if not sheets and problems:
        return None, problems
    folder = Path(source).parent if isinstance(source, str | Path) else None
    builder = _Builder(sheets, dict(files or {}), folder)
    definition = builder.build()
    problems = problems + builder.problems
    if definition is not None:
        problems += check_definition(definition, builder.sheet_title("survey"),
                                     builder.choice_columns, frozenset(builder.skipped))
    problems = [builder.written_column(p) for p in problems]
    problems.sort(key=lambda p: (_SHEET_ORDER.get(p.sheet.lower(), 3), p.row or 0))
    return definition, problems


def _name_of(source: Source) -> str:
    return str(source) if isinstance(source, str) else getattr(source, "name", "") or ""


class _Builder(SettingsReader, ChoicesReader, FilesReader, DerivedItems):
    """Reads the survey sheet, with the other sheets' readers mixed in."""

    def build(self) -> Definition | None:
        if "settings" in self.sheets:
            self.key_sheet("settings", settings_column)
        self.settings = self.read_settings()
        for key in ("choices", "external_choices"):
            if key in self.sheets:
                self.key_sheet(key, choices_column)
        choices = self.read_choices("choices")
        choices.update(self.read_choices("external_choices", EXTERNAL))
        only = next(iter(self.sheets), "")
        if "survey" not in self.sheets and len(self.sheets) == 1 and \
                "type" in [h.strip().lower() for h in self.sheets[only].headers]:
            self.add("only_sheet_is_survey", only, None, "", name=self.sheets[only].name)
            self.sheets["survey"] = self.sheets.pop(only)
        if "survey" not in self.sheets:
            self.add("missing_sheet", "", name="survey")
            return None
        survey = self.sheets["survey"]
        self.key_sheet("survey", survey_column)
        keys = set(survey.keys)
        for column in ("type", "name"):
            if column not in keys:
                self.add("missing_column", "survey", 1, column, sheet_name=survey.name,
                         name=column)
        if not any(k == "label" or k.startswith("label::") for k in keys):
            self.add("missing_column", "survey", 1, "label", sheet_name=survey.name,
                     name="label")
        items = self.read_survey(survey, choices)
        if self.too_deep:
            return None
        self.check_lists(items, choices)
        self.read_pulldata_tables(items)
        for name in sorted(set(self.files) - self.used_files):
            self.add("unused_file", name, None, "", value=name)
        for name in self.sheets:
            if name not in self.used_sheets and (self.sheets[name].raw
                                                 or any(self.sheets[name].headers)):
                self.add("ignored_sheet", name, None, "", name=self.sheets[name].name)
        languages = _languages(survey.keys + self._choice_keys(), self.settings)
        return Definition(self.settings, items, choices, languages, self.tables)

    def _choice_keys(self) -> list[str]:
        return self.sheets["choices"].keys if "choices" in self.sheets else []

    # survey -----------------------------------------------------------------------------
    def read_survey(self, sheet: Sheet, choices: dict[str, list[Choice]]) -> list[Item]:
        top: list[Item] = []
        stack: list[tuple[str, Item]] = []  # (kind, block)
        seen: dict[str, int] = {}
        for row in sheet.rows:
            type_text = row.get("type")
            if not type_text:
                if row.cells:
                    self.add("missing_type", "survey", row.number, "type")
                continue
            parsed = parse_type(type_text)
            if parsed.problem:
                self.add(parsed.problem, "survey", row.number, "type", value=type_text,
                         type=parsed.select)
                if row.get("name"):
                    self.skipped.add(row.get("name"))
            if parsed.kind == "":
                continue
            if parsed.kind.startswith("end "):
                closed = self.close_block(parsed.kind[4:], stack, row)
                if closed is not None and parsed.kind == "end loop":
                    self.expand_loop(closed, choices, seen)
                continue
            item = self.make_item(parsed, row, seen, choices)
            (stack[-1][1].children if stack else top).append(item)
            if parsed.or_other and item.name:
                self.add_other(item, row, seen, stack[-1][1].children if stack else top,
                               choices)
            if item.is_block:
                if len(stack) >= MAX_DEPTH and not self.too_deep:
                    self.too_deep = True
                    self.add("too_deep", "survey", row.number, "type", limit=MAX_DEPTH)
                stack.append((parsed.kind, item))
        for kind, block in stack:
            self.add("unclosed_block", "survey", block.row, "type", kind=kind, name=block.name)
        return top

    def close_block(self, kind: str, stack: list[tuple[str, Item]], row: Row) -> Item | None:
        if not stack:
            self.add("stray_end", "survey", row.number, "type", kind=kind)
            return None
        open_kind, block = stack[-1]
        if open_kind != f"begin {kind}":
            self.add("mismatched_end", "survey", row.number, "type", kind=kind,
                     open_kind=open_kind.split()[1], name=block.name, open_row=block.row)
        stack.pop()
        return block

    def make_item(self, parsed: ParsedType, row: Row, seen: dict[str, int],
                  choices: dict[str, list[Choice]]) -> Item:
        kind = parsed.kind
        item_type = kind.split()[1] if kind.startswith("begin ") else kind
        if item_type == "loop":
            item_type = "group"
        name = row.get("name")
        list_name = EXTERNAL + parsed.list_name if parsed.external else parsed.list_name
        item = Item(type=item_type, name=name, list_name=list_name, row=row.number)
        self.check_name(item, row, seen)
        for column in TRANSLATED:
            setattr(item, column, texts_of(row, column, self.settings))
        if item.is_question and not any(item.label.values()):
            self.add("missing_label", "survey", row.number, "label", name=name or item_type)
        elif item.type == "note" and not any(item.label.values()):
            self.add("empty_note", "survey", row.number, "label", name=name)
        for column in ("relevant", "constraint", "choice_filter", "default", "repeat_count"):
            setattr(item, column, row.get(column))
        item.calculate = row.get("calculation")
        item.trigger = row.get("trigger")
        item.required, item.required_if = self.flag(row, "required")
        item.read_only, item.read_only_if = self.flag(row, "read_only")
        item.dont_know = self.code(row, "dont_know", self.settings.dont_know)
        item.refused = self.code(row, "refused", self.settings.refused)
        item.parameters = self.parameters(item, row)
        self.check_cells(item, row)
        if parsed.from_file:
            self.load_file_choices(item, row, choices)
        if item.type == "calculate" and not item.calculate:
            self.add("missing_calculation", "survey", row.number, "calculation", name=name)
        if item.type == "repeat" and not item.repeat_count:
            from .walker import MAX_ASKED

            self.add("unlimited_repeat", "survey", row.number, "repeat_count", name=name,
                     limit=MAX_ASKED)
        return item

    def check_cells(self, item: Item, row: Row) -> None:
        """A value in a column that means nothing for the row's type is reported."""
        for key, value in row.cells.items():
            base = key.split("::", 1)[0]
            allowed = CELL_TYPES.get(base)
            if base in ("required", "read_only", "dont_know", "refused") and \
                    value.lower() in FALSE:
                continue  # 'no' filled down a column says nothing
            if allowed is not None and item.type not in allowed:
                self.add("no_effect_cell", "survey", row.number, key, value=key,
                         type=item.type)

    def check_name(self, item: Item, row: Row, seen: dict[str, int]) -> None:
        from .types import NAME_RE

        name = item.name
        if not name:
            self.add("missing_name", "survey", row.number, "name", type=item.type)
        elif not NAME_RE.match(name):
            self.add("invalid_name", "survey", row.number, "name", value=name)
        elif name in seen:
            self.add("duplicate_name", "survey", row.number, "name", value=name,
                     first_row=seen[name])
        else:
            seen[name] = row.number

    def flag(self, row: Row, column: str) -> tuple[bool, str]:
        """yes/no as a flag, anything else as an expression (checked with the others)."""
        text = row.get(column)
        value = text.lower()
        if value in TRUE:
            return True, ""
        if not value or value in FALSE:
            return False, ""
        if not _is_expression(text):
            self.add("invalid_flag", "survey", row.number, column, value=text)
            return False, ""
        return False, text

    def code(self, row: Row, column: str, default: int) -> int | None:
        value = row.get(column).lower()
        if not value or value in FALSE - {"0"}:
            return None
        if value in TRUE - {"1"}:
            return default
        try:
            return int(value)
        except ValueError:
            self.add("invalid_code", "survey", row.number, column, value=row.get(column))
            return None

    def parameters(self, item: Item, row: Row) -> dict[str, str]:
        from .types import PARAMETERS, parse_parameters

        text = row.get("parameters")
        if not text:
            return {}
        params, detail = parse_parameters(text)
        if detail:
            self.add("invalid_parameters", "survey", row.number, "parameters", value=text,
                     detail=detail)
            return {}
        known = PARAMETERS.get(item.type, ())
        for key in params:
            if key not in known:
                self.add("unused_parameter", "survey", row.number, "parameters", value=key,
                         type=item.type)
        return {k: v for k, v in params.items() if k in known}

    def check_lists(self, items: list[Item], choices: dict[str, list[Choice]]) -> None:
        stack = list(items)
        while stack:
            item = stack.pop()
            stack.extend(item.children)
            if item.list_name and item.list_name not in choices:
                if "choices" not in self.sheets:
                    self.add("missing_sheet", "", name="choices")
                    self.sheets["choices"] = Sheet("choices")
                self.add("missing_choices_list", "survey", item.row, "type",
                         value=item.list_name)
            if item.is_block and not item.children:
                self.add("empty_block", "survey", item.row, "type", kind=item.type,
                         name=item.name)


def _is_expression(text: str) -> bool:
    from .errors import ExpressionError
    from .parser import parse
    from .syntax import bare_names

    try:
        return not bare_names(parse(text))
    except ExpressionError:
        return False


def _languages(headers: list[str], settings: Settings) -> list[str]:
    found: list[str] = []
    for header in headers:
        base, sep, language = header.partition("::")
        if (base in TRANSLATED and base not in MEDIA) and (language or not sep):
            language = language if sep else settings.default_language or "default"
            if language not in found:
                found.append(language)
    return found
