"""Build a Definition from workbook rows, collecting every problem instead of stopping.

Every column and setting is read (see ``columns``) or reported; every problem has a level:
errors stop a workbook from being stored, warnings do not (``errors_in``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from .checks import check_definition
from .columns import (
    MEDIA,
    TRANSLATED,
    Column,
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
    pick_text,
)
from .errors import Problem, WorkbookError, errors_in, problem
from .files import read_csv_table, table_choices
from .types import MAX_DEPTH, ParsedType, parse_type
from .workbook import Row, Sheet, Source, read_workbook

_TRUE = {"yes", "true", "1", "true()"}
_FALSE = {"no", "false", "0", "false()"}
_SHEET_ORDER = {"survey": 0, "choices": 1, "settings": 2}
_READ_SHEETS = ("survey", "choices", "settings", "external_choices")
_ASKED = frozenset(QUESTION_TYPES)
# the types each column means something for (columns not listed mean something for all)
CELL_TYPES: dict[str, frozenset[str]] = {
    "choice_filter": frozenset(SELECT_TYPES),
    "repeat_count": frozenset({"repeat"}),
    "constraint": _ASKED, "constraint_message": _ASKED, "required": _ASKED,
    "required_message": _ASKED, "read_only": _ASKED, "dont_know": _ASKED, "refused": _ASKED,
    "default": _ASKED | {"hidden"},
    "calculation": _ASKED | {"calculate", "hidden"},
    "hint": _ASKED | {"note"},
    "guidance_hint": _ASKED | {"note", "group", "repeat"},
    "interviewer_instruction": _ASKED | {"note", "group", "repeat"},
}
OTHER = "other"
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
                                     builder.choice_columns)
    problems = [builder.written_column(p) for p in problems]
    problems.sort(key=lambda p: (_SHEET_ORDER.get(p.sheet.lower(), 3), p.row or 0))
    return definition, problems


def _name_of(source: Source) -> str:
    return str(source) if isinstance(source, str) else getattr(source, "name", "") or ""


class _Builder:
    def __init__(self, sheets: dict[str, Sheet], files: dict[str, bytes],
                 folder: Path | None) -> None:
        self.sheets = sheets
        self.files = files
        self.folder = folder
        self.problems: list[Problem] = []
        self.choice_columns: dict[str, set[str]] = {}
        self.settings = Settings()
        self.written: dict[str, dict[str, str]] = {}  # sheet title -> key -> header
        self.used_sheets: set[str] = set(_READ_SHEETS)
        self.tables: dict[str, list[dict[str, str]]] = {}
        self.too_deep = False

    def sheet_title(self, key: str) -> str:
        return self.sheets[key].name if key in self.sheets else key

    def add(self, code: str, sheet: str, row: int | None = None, column: str = "",
            **fields: object) -> None:
        self.problems.append(problem(code, sheet=self.sheet_title(sheet) if sheet else "",
                                     row=row, column=column, **fields))

    def written_column(self, p: Problem) -> Problem:
        """Name the column as the workbook writes it (``Relevance``, not ``relevant``)."""
        header = self.written.get(p.sheet, {}).get(p.column)
        return dataclasses.replace(p, column=header) if header and header != p.column else p

    # columns ----------------------------------------------------------------------------
    def key_sheet(self, key: str, classify) -> list[Column]:
        sheet = self.sheets[key]
        columns = [classify(h) if h else Column(h, "", "blank") for h in sheet.headers]
        first: dict[str, str] = {}
        keys: list[str] = []
        for index, column in enumerate(columns):
            filled = sheet.filled(index)
            if column.kind == "blank":
                if filled:
                    self.add("unknown_column", key, 1, f"column {index + 1}",
                             value=f"(no header, column {index + 1})")
            elif column.key and column.key in first:
                self.add("duplicate_column", key, 1, column.header, value=column.header,
                         first=first[column.key])
                keys.append("")
                continue
            elif column.kind == "no_effect" and filled:
                code = "no_effect_setting" if key == "settings" else "no_effect_column"
                self.add(code, key, 1, column.header, value=column.header)
            elif column.kind == "unknown" and filled:
                code = "unknown_setting" if key == "settings" else "unknown_column"
                self.add(code, key, 1, column.header, value=column.header)
            elif column.key == "trigger" and filled:
                self.add("trigger_column", key, 1, column.header)
            if column.key:
                first[column.key] = column.header
            keys.append(column.key)
        sheet.key_columns(keys)
        self.written[sheet.name] = {k: c.header for k, c in zip(keys, columns, strict=True)
                                    if k}
        return columns

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
        for name in self.sheets:
            if name not in self.used_sheets:
                self.add("ignored_sheet", name, None, "", name=self.sheets[name].name)
        languages = _languages(survey.keys + self._choice_keys(), self.settings)
        return Definition(self.settings, items, choices, languages, self.tables)

    def _choice_keys(self) -> list[str]:
        return self.sheets["choices"].keys if "choices" in self.sheets else []

    # settings ---------------------------------------------------------------------------
    def read_settings(self) -> Settings:
        settings = Settings()
        sheet = self.sheets.get("settings")
        if sheet is None or not sheet.rows:
            return settings
        row = sheet.rows[0]
        for extra in sheet.rows[1:]:
            self.add("extra_settings_row", "settings", extra.number, "")
        for key in ("form_title", "form_id", "version", "default_language"):
            setattr(settings, key, row.get(key))
        value = row.get("allow_choice_duplicates").lower()
        settings.allow_choice_duplicates = value in _TRUE
        if value and value not in _TRUE | _FALSE:
            self.add("invalid_setting", "settings", row.number, "allow_choice_duplicates",
                     name="allow_choice_duplicates", value=value, detail="expected yes or no")
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
    def read_choices(self, key: str, prefix: str = "") -> dict[str, list[Choice]]:
        sheet = self.sheets.get(key)
        lists: dict[str, list[Choice]] = {}
        if sheet is None or (not sheet.rows and not any(sheet.headers)):
            return lists
        for column in ("list_name", "name"):
            if column not in sheet.keys:
                self.add("missing_column", key, 1, column, sheet_name=sheet.name, name=column)
        label_columns = [h for h in sheet.keys if h == "label" or h.startswith("label::")]
        extra_columns = [h for h in sheet.keys
                         if h and h not in ("list_name", "name") and h not in label_columns]
        first_row: dict[tuple[str, str], int] = {}
        for row in sheet.rows:
            list_name, name = row.get("list_name"), row.get("name")
            if not list_name:
                if name or any(row.get(c) for c in label_columns):
                    self.add("choice_without_list", key, row.number, "list_name")
                continue
            list_name = prefix + list_name
            self.choice_columns.setdefault(list_name, {"name", "label", *label_columns,
                                                       *extra_columns})
            if not name:
                self.add("missing_choice_name", key, row.number, "name", list_name=list_name)
                continue
            if " " in name:
                self.add("invalid_choice_name", key, row.number, "name", value=name)
            pair = (list_name, name)
            # external lists repeat names across the groups a choice_filter picks from
            if pair in first_row and not self.settings.allow_choice_duplicates and not prefix:
                self.add("duplicate_choice", key, row.number, "name", value=name,
                         list_name=list_name, first_row=first_row[pair])
                continue
            first_row.setdefault(pair, row.number)
            label = _texts(row, "label", self.settings)
            if not any(label.values()):
                self.add("missing_choice_label", key, row.number,
                         label_columns[0] if label_columns else "label", value=name,
                         list_name=list_name)
            extra = {h: row.get(h) for h in extra_columns if row.get(h)}
            lists.setdefault(list_name, []).append(Choice(name, label, extra, row.number))
        return lists

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

    def expand_loop(self, loop: Item, choices: dict[str, list[Choice]],
                    seen: dict[str, int]) -> None:
        """``begin loop over X``: the loop's questions once per choice of X, each named
        ``question_choice`` with ``%(label)s``/``%(name)s`` in texts replaced, in a group per
        choice."""
        body, loop.children = loop.children, []
        for choice in choices.get(loop.list_name, []):
            group = Item(type="group", name=f"{loop.name}_{choice.name}", row=loop.row,
                         label=dict(choice.label))
            for child in body:
                copy = Item.from_dict(child.to_dict())
                for item in _iter_tree(copy):
                    if item.name:
                        item.name = f"{item.name}_{choice.name}"
                        if item.name in seen:
                            self.add("duplicate_name", "survey", item.row, "name",
                                     value=item.name, first_row=seen[item.name])
                        seen.setdefault(item.name, item.row or 0)
                    for column in TRANSLATED:
                        texts = getattr(item, column)
                        for lang, text in texts.items():
                            label = pick_text(choice.label, lang, self.settings.default_language)
                            texts[lang] = text.replace("%(label)s", label).replace(
                                "%(name)s", choice.name)
                group.children.append(copy)
            loop.children.append(group)
        loop.list_name = ""

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
            setattr(item, column, _texts(row, column, self.settings))
        if item.is_question and not any(item.label.values()):
            self.add("missing_label", "survey", row.number, "label", name=name or item_type)
        elif item.type == "note" and not any(item.label.values()):
            self.add("empty_note", "survey", row.number, "label", name=name)
        for column in ("relevant", "constraint", "choice_filter", "default", "repeat_count"):
            setattr(item, column, row.get(column))
        item.calculate = row.get("calculation")
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
                    value.lower() in _FALSE:
                continue  # 'no' filled down a column says nothing
            if allowed is not None and item.type not in allowed:
                self.add("no_effect_cell", "survey", row.number, key, value=key,
                         type=item.type)

    def add_other(self, item: Item, row: Row, seen: dict[str, int], siblings: list[Item],
                  choices: dict[str, list[Choice]]) -> None:
        """``select_one X or_other``: the list gains 'other', and a text question asks what."""
        base = choices.get(item.list_name)
        if base is not None:
            derived = f"{item.list_name} or_other"
            if derived not in choices:
                other = Choice(OTHER, dict.fromkeys(item.label or [""], "Other"))
                choices[derived] = [*base, other]
            item.list_name = derived
        name = f"{item.name}_other"
        if name in seen:
            self.add("or_other_name", "survey", row.number, "type", name=item.name)
            return
        seen[name] = row.number
        siblings.append(Item(type="text", name=name, row=row.number,
                             label=dict.fromkeys(item.label or [""], "Specify other."),
                             relevant=f"selected(${{{item.name}}}, '{OTHER}')"))

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
        if value in _TRUE:
            return True, ""
        if not value or value in _FALSE:
            return False, ""
        if not _is_expression(text):
            self.add("invalid_flag", "survey", row.number, column, value=text)
            return False, ""
        return False, text

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

    # files ------------------------------------------------------------------------------
    def table(self, file_name: str, row: int | None, column: str
              ) -> list[dict[str, str]] | None:
        """A CSV shipped with the workbook: a sheet named for it, a file given, or beside."""
        if file_name in self.tables:
            return self.tables[file_name]
        stem = file_name.rsplit(".", 1)[0].lower()
        if not file_name.lower().endswith(".csv"):
            self.add("unsupported_file", "survey", row, column, value=file_name)
            return None
        for key in (file_name.lower(), stem):
            sheet = self.sheets.get(key)
            if sheet is not None:
                self.used_sheets.add(key)
                headers = [h.strip() for h in sheet.headers]
                rows = [{h: t for h, t in zip(headers, texts, strict=False) if h}
                        for _, texts in sheet.raw]
                self.tables[file_name] = rows
                return rows
        data = self.files.get(file_name)
        if data is None and self.folder is not None and (self.folder / file_name).is_file():
            data = (self.folder / file_name).read_bytes()
        if data is None:
            self.add("missing_file", "survey", row, column, value=file_name)
            return None
        rows, detail = read_csv_table(data)
        if detail:
            self.add("bad_file", "survey", row, column, value=file_name, detail=detail)
            return None
        self.tables[file_name] = rows
        return rows

    def load_file_choices(self, item: Item, row: Row, choices: dict[str, list[Choice]]) -> None:
        file_name = item.list_name
        if file_name in choices:
            return
        rows = self.table(file_name, row.number, "type")
        if rows is None:
            choices[file_name] = []
            self.choice_columns[file_name] = {"*"}  # unknown: its columns are not checked
            return
        found, detail = table_choices(rows, item.parameters.get("value", "name"),
                                      item.parameters.get("label", "label"),
                                      self.settings.default_language)
        if detail:
            self.add("bad_file", "survey", row.number, "type", value=file_name, detail=detail)
        choices[file_name] = found
        self.tables.pop(file_name, None)  # the choices hold it now
        self.choice_columns[file_name] = {"name", "label", *(rows[0] if rows else {})}

    def read_pulldata_tables(self, items: list[Item]) -> None:
        from .functions_check import pulldata_files

        stack = list(items)
        while stack:
            item = stack.pop()
            stack.extend(item.children)
            for column in ("calculate", "default", "constraint", "relevant"):
                text = getattr(item, column)
                if "pulldata" in text:
                    for name in pulldata_files(text):
                        file_name = name if name.lower().endswith(".csv") else f"{name}.csv"
                        rows = self.table(file_name, item.row, column)
                        if rows is not None and name != file_name:
                            self.tables[name] = rows

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


def _iter_tree(item: Item):
    stack = [item]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def _is_expression(text: str) -> bool:
    from .errors import ExpressionError
    from .parser import parse
    from .syntax import bare_names

    try:
        return not bare_names(parse(text))
    except ExpressionError:
        return False


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
        if (base in TRANSLATED and base not in MEDIA) and (language or not sep):
            language = language if sep else settings.default_language or "default"
            if language not in found:
                found.append(language)
    return found
