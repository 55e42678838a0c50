"""Build a Definition from workbook rows, collecting every problem instead of stopping."""

from __future__ import annotations

import re

from .checks import check_definition
from .definition import LEAF_TYPES, TEXT_COLUMNS, Choice, Definition, Item, Settings
from .errors import Problem, WorkbookError, problem
from .workbook import Row, Sheet, Source, read_workbook

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
TYPE_ALIASES = {"int": "integer", "string": "text", "select one": "select_one",
                "select multiple": "select_multiple", "begin_group": "begin group",
                "end_group": "end group", "begin_repeat": "begin repeat",
                "end_repeat": "end repeat"}
_TRUE = {"yes", "true", "1", "true()"}
_FALSE = {"no", "false", "0", "false()"}
_SHEET_ORDER = {"survey": 0, "choices": 1, "settings": 2}


def load_workbook(source: Source, filename: str = "") -> Definition:
    """Load and check a workbook; raise WorkbookError listing every problem."""
    definition, problems = check_workbook(source, filename)
    if problems or definition is None:
        raise WorkbookError(problems, filename or _name_of(source))
    return definition


def check_workbook(source: Source, filename: str = "") -> tuple[Definition | None, list[Problem]]:
    """The definition (None if unusable) and every problem found, in sheet and row order."""
    sheets, problems = read_workbook(source, filename)
    if not sheets and problems:
        return None, problems
    builder = _Builder(sheets)
    definition = builder.build()
    problems = problems + builder.problems
    if definition is not None:
        problems += check_definition(definition, builder.sheet_title("survey"),
                                     builder.choice_columns, builder.calc_column())
    problems.sort(key=lambda p: (_SHEET_ORDER.get(p.sheet.lower(), 3), p.row or 0))
    return definition, problems


def _name_of(source: Source) -> str:
    return str(source) if isinstance(source, str) else getattr(source, "name", "") or ""


class _Builder:
    def __init__(self, sheets: dict[str, Sheet]) -> None:
        self.sheets = sheets
        self.problems: list[Problem] = []
        self.choice_columns: dict[str, set[str]] = {}
        self.settings = Settings()

    def calc_column(self) -> str:
        """XLSForm names the column ``calculation``; ``calculate`` is accepted too."""
        headers = self.sheets["survey"].headers if "survey" in self.sheets else []
        return "calculate" if "calculate" in headers and "calculation" not in headers \
            else "calculation"

    def sheet_title(self, key: str) -> str:
        return self.sheets[key].name if key in self.sheets else key

    def add(self, code: str, sheet: str, row: int | None = None, column: str = "",
            **fields: object) -> None:
        self.problems.append(problem(code, sheet=self.sheet_title(sheet) if sheet else "",
                                     row=row, column=column, **fields))

    def build(self) -> Definition | None:
        self.settings = self.read_settings()
        choices = self.read_choices()
        if "survey" not in self.sheets:
            self.add("missing_sheet", "", name="survey")
            return None
        survey = self.sheets["survey"]
        for column in ("type", "name"):
            if column not in survey.headers:
                self.add("missing_column", "survey", 1, column, sheet_name=survey.name,
                         name=column)
        if not any(h == "label" or h.startswith("label::") for h in survey.headers):
            self.add("missing_column", "survey", 1, "label", sheet_name=survey.name,
                     name="label")
        items = self.read_survey(survey)
        self.check_lists(items, choices)
        languages = _languages(survey.headers + self._choice_headers(), self.settings)
        return Definition(self.settings, items, choices, languages)

    def _choice_headers(self) -> list[str]:
        return self.sheets["choices"].headers if "choices" in self.sheets else []

    # settings ---------------------------------------------------------------------------
    def read_settings(self) -> Settings:
        settings = Settings()
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            return settings
        row = sheet.rows[0]
        for key in ("form_title", "form_id", "version", "default_language"):
            setattr(settings, key, row.get(key))
        for key in ("dont_know", "refused"):
            column = key if key in row.cells else f"default_{key}"
            value = row.get(column)
            if not value:
                continue
            try:
                setattr(settings, key, int(value))
            except ValueError:
                self.add("invalid_setting", "settings", row.number, column, name=column,
                         value=value, detail="expected an integer code such as -8")
        return settings

    # choices ----------------------------------------------------------------------------
    def read_choices(self) -> dict[str, list[Choice]]:
        sheet = self.sheets.get("choices")
        lists: dict[str, list[Choice]] = {}
        if sheet is None:
            return lists
        for column in ("list_name", "name"):
            if column not in sheet.headers:
                self.add("missing_column", "choices", 1, column, sheet_name=sheet.name,
                         name=column)
        label_columns = [h for h in sheet.headers if h == "label" or h.startswith("label::")]
        if not label_columns:
            self.add("missing_column", "choices", 1, "label", sheet_name=sheet.name,
                     name="label")
        extra_columns = [h for h in sheet.headers
                         if h and h not in ("list_name", "name") and h not in label_columns]
        first_row: dict[tuple[str, str], int] = {}
        for row in sheet.rows:
            list_name, name = row.get("list_name"), row.get("name")
            if not list_name:
                self.add("choice_without_list", "choices", row.number, "list_name")
                continue
            self.choice_columns.setdefault(list_name, {"name", "label", *extra_columns})
            if not name:
                self.add("missing_choice_name", "choices", row.number, "name",
                         list_name=list_name)
                continue
            if " " in name:
                self.add("invalid_choice_name", "choices", row.number, "name", value=name)
            key = (list_name, name)
            if key in first_row:
                self.add("duplicate_choice", "choices", row.number, "name", value=name,
                         list_name=list_name, first_row=first_row[key])
                continue
            first_row[key] = row.number
            label = _texts(row, "label", self.settings)
            if label_columns and not any(label.values()):
                self.add("missing_choice_label", "choices", row.number, label_columns[0],
                         value=name, list_name=list_name)
            extra = {h: row.get(h) for h in extra_columns if row.get(h)}
            lists.setdefault(list_name, []).append(Choice(name, label, extra, row.number))
        return lists

    # survey -----------------------------------------------------------------------------
    def read_survey(self, sheet: Sheet) -> list[Item]:
        top: list[Item] = []
        stack: list[tuple[str, Item]] = []  # (kind, block)
        seen: dict[str, int] = {}
        for row in sheet.rows:
            type_text = row.get("type")
            if not type_text:
                self.add("missing_type", "survey", row.number, "type")
                continue
            parsed = self.parse_type(type_text, row)
            if parsed is None:
                continue
            kind, list_name = parsed
            if kind.startswith("end "):
                self.close_block(kind[4:], stack, row)
                continue
            item = self.make_item(kind, list_name, row, seen)
            (stack[-1][1].children if stack else top).append(item)
            if item.is_block:
                stack.append((kind, item))
        for kind, block in stack:
            self.add("unclosed_block", "survey", block.row, "type", kind=kind, name=block.name)
        return top

    def parse_type(self, text: str, row: Row) -> tuple[str, str] | None:
        words = " ".join(text.lower().split())
        words = TYPE_ALIASES.get(words, words)
        head, _, rest = words.partition(" ")
        head = TYPE_ALIASES.get(head, head)
        if words in ("begin group", "begin repeat", "end group", "end repeat"):
            return words, ""
        if head in ("select_one", "select_multiple"):
            if not rest:
                self.add("missing_list_name", "survey", row.number, "type", type=head)
                return None
            return head, text.split()[-1]
        if words in LEAF_TYPES:
            return words, ""
        self.add("unknown_type", "survey", row.number, "type", value=text)
        return None

    def close_block(self, kind: str, stack: list[tuple[str, Item]], row: Row) -> None:
        if not stack:
            self.add("stray_end", "survey", row.number, "type", kind=kind)
            return
        open_kind, block = stack[-1]
        if open_kind != f"begin {kind}":
            self.add("mismatched_end", "survey", row.number, "type", kind=kind,
                     open_kind=open_kind.split()[1], name=block.name, open_row=block.row)
        stack.pop()

    def make_item(self, kind: str, list_name: str, row: Row, seen: dict[str, int]) -> Item:
        item_type = kind.split()[1] if kind.startswith("begin ") else kind
        name = row.get("name")
        item = Item(type=item_type, name=name, list_name=list_name, row=row.number)
        self.check_name(item, row, seen)
        for column in TEXT_COLUMNS:
            setattr(item, column, _texts(row, column, self.settings))
        if (item.is_question or item.type == "note") and not any(item.label.values()):
            self.add("missing_label", "survey", row.number, "label", name=name or item_type)
        for column in ("relevant", "constraint", "choice_filter", "default", "repeat_count"):
            setattr(item, column, row.get(column))
        item.calculate = row.get("calculation") or row.get("calculate")
        item.required = self.flag(row, "required")
        item.read_only = self.flag(row, "read_only")
        item.dont_know = self.code(row, "dont_know", self.settings.dont_know)
        item.refused = self.code(row, "refused", self.settings.refused)
        if item.type == "calculate" and not item.calculate:
            self.add("missing_calculation", "survey", row.number, self.calc_column(), name=name)
        if item.type == "repeat" and not item.repeat_count:
            self.add("missing_repeat_count", "survey", row.number, "repeat_count", name=name)
        return item

    def check_name(self, item: Item, row: Row, seen: dict[str, int]) -> None:
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

    def flag(self, row: Row, column: str) -> bool:
        value = row.get(column).lower()
        if value in _TRUE:
            return True
        if value and value not in _FALSE:
            self.add("invalid_flag", "survey", row.number, column, value=row.get(column))
        return False

    def code(self, row: Row, column: str, default: int) -> int | None:
        value = row.get(column).lower()
        if not value or value in _FALSE - {"0"}:
            return None
        if value in _TRUE - {"1"}:
            return default
        try:
            return int(value)
        except ValueError:
            self.add("invalid_code", "survey", row.number, column, value=row.get(column))
            return None

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


def _texts(row: Row, column: str, settings: Settings) -> dict[str, str]:
    texts: dict[str, str] = {}
    for header, value in row.cells.items():
        if header == column:
            texts.setdefault(settings.default_language, value)
        elif header.startswith(column + "::"):
            texts[header.split("::", 1)[1]] = value
    return texts


def _languages(headers: list[str], settings: Settings) -> list[str]:
    found: list[str] = []
    for header in headers:
        base, sep, language = header.partition("::")
        if base in TEXT_COLUMNS and (language or not sep):
            language = language if sep else settings.default_language or "default"
            if language not in found:
                found.append(language)
    return found
