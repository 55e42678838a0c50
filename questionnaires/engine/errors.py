"""Every problem the questionnaire engine can report, with its message template in one catalogue.

Templates use ``str.format`` slots filled with named fields; only these constant templates are
ever formatted (a workbook's text is a field value, never a template). Tests format the same
templates, so a reworded message never breaks a test and a code (the stable id) never changes
meaning. As in Django's checks framework each problem has a level: an ``error`` stops a
workbook from being stored, a ``warning`` does not. ``HINTS`` says what to do about a problem.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bas.errors import BasError

MESSAGES: dict[str, str] = {
    # file level
    "file_not_found": "file not found: {path}",
    "not_xlsx": "not a readable .xlsx workbook: {detail}",
    "too_many_rows": "sheet has more than {limit} rows holding a value",
    "too_many_columns": "sheet has a value beyond its first {limit} columns",
    "too_deep": "groups and repeats are nested more than {limit} deep",
    "ignored_sheet": "sheet '{name}' is not read",
    "only_sheet_is_survey": "sheet '{name}' is read as the survey sheet (it is the only one)",
    # sheets and columns
    "missing_sheet": "the workbook has no '{name}' sheet",
    "missing_column": "the '{sheet_name}' sheet has no '{name}' column",
    "duplicate_column": "column '{value}' means the same as column '{first}'",
    "unknown_column": "column '{value}' is not an XLSForm column this system reads; it is "
    "ignored",
    "no_effect_column": "column '{value}' has no effect in telephone interviews",
    "no_effect_cell": "column '{value}' has no effect on a '{type}' row",
    "invalid_trigger": "column 'trigger' names the questions whose answer works this row "
    "out again: {detail}",
    "trigger_question_not_asked": "question '{name}' has a calculation and a trigger: its "
    "value is worked out when the trigger's answer changes and it is not asked",
    # survey rows
    "missing_type": "row has content but no type",
    "unknown_type": "unknown type '{value}'",
    "device_only_type": "a telephone interview cannot ask '{value}' (row {row})",
    "no_effect_type": "type '{value}' has no effect in telephone interviews (row {row})",
    "invalid_parameters": "parameters '{value}': {detail}",
    "unused_parameter": "parameter '{value}' has no effect on a '{type}' question",
    "missing_file": "'{value}' is not attached, nor a sheet of this workbook or a file "
    "beside it",
    "unused_file": "file '{value}' is attached but no row reads it",
    "unsupported_file": "'{value}': only .csv files can be read",
    "bad_file": "'{value}': {detail}",
    "missing_name": "a '{type}' row needs a name",
    "invalid_name": "invalid name '{value}': names start with a letter or '_' and hold only "
    "letters, digits, '_', '-' or '.'",
    "duplicate_name": "duplicate name '{value}' (first used on row {first_row})",
    "or_other_name": "'{name}_other' (the text question or_other adds) is already a name",
    "missing_label": "'{name}' has no label",
    "missing_list_name": "'{type}' needs a choice list name, e.g. '{type} yes_no'",
    "missing_choices_list": "choice list '{value}' is not on the choices sheet",
    "missing_calculation": "calculate '{name}' has no calculation",
    "unlimited_repeat": "repeat '{name}' has no repeat_count: the interviewer is asked "
    "whether to add another (at most {limit})",
    "invalid_flag": "'{value}' is not yes, no or an expression",
    "invalid_code": "'{value}' is not an integer code or yes/no",
    "invalid_expression": "cannot parse expression: {detail}",
    "bare_name": "'{value}' is not allowed here; refer to a question as ${{{value}}}",
    "undefined_reference": "${{{value}}} refers to no question or calculate",
    "reference_cycle": "'{name}' depends on itself: {cycle}",
    "unclosed_block": "'begin {kind}' for '{name}' is never closed",
    "stray_end": "'end {kind}' has no matching 'begin {kind}'",
    "mismatched_end": "'end {kind}' closes 'begin {open_kind}' '{name}' (row {open_row})",
    "empty_block": "{kind} '{name}' holds no questions",
    # choices rows
    "choice_without_list": "choice row has no list_name",
    "unknown_choice_column": "choice list '{list_name}' has no column '{value}'",
    "missing_choice_name": "choice in list '{list_name}' has no name",
    "invalid_choice_name": "choice name '{value}' must not contain spaces",
    "duplicate_choice": "choice '{value}' appears twice in list '{list_name}' "
    "(first on row {first_row})",
    "missing_choice_label": "choice '{value}' in list '{list_name}' has no label; its name "
    "is shown instead",
    "empty_note": "note '{name}' has no text to read out",
    # settings
    "invalid_setting": "setting '{name}' has invalid value '{value}': {detail}",
    "unknown_setting": "setting '{value}' is not a setting this system reads; it is ignored",
    "no_effect_setting": "setting '{value}' has no effect in telephone interviews",
    "extra_settings_row": "only the first row of settings is read; row {row} is ignored",
}

# Problems that do not stop a workbook from being stored.
WARNINGS: frozenset[str] = frozenset({
    "ignored_sheet", "unknown_column", "no_effect_column", "no_effect_type", "unused_file",
    "unused_parameter", "unlimited_repeat", "unknown_setting", "no_effect_setting",
    "extra_settings_row", "only_sheet_is_survey", "no_effect_cell", "missing_choice_label",
    "empty_note", "trigger_question_not_asked",
})

HINTS: dict[str, str] = {
    "too_deep": "flatten the groups: a questionnaire rarely needs more than a few levels",
    "duplicate_column": "delete one of the two columns (a column's name is read without regard "
    "to case, spaces, 'bind::' and aliases such as 'relevance')",
    "unknown_column": "rename it to an XLSForm column, or delete it if it holds notes",
    "no_effect_column": "the interviewer reads the question from the screen; delete the column "
    "or keep it for a self-completion version",
    "trigger_question_not_asked": "pyxform lets the interviewer change such a value; to have "
    "it confirmed here, work it out in a calculate row and give the question that calculate "
    "as its default",
    "invalid_trigger": "write ${{question}}, or several as ${{a}}, ${{b}}; the calculate is "
    "worked out when one of their answers changes and keeps its value otherwise",
    "device_only_type": "ask it as text (e.g. a postcode instead of a location) or drop it",
    "no_effect_type": "delete the row; nothing is recorded for it in a telephone interview",
    "unknown_type": "see the XLSForm types: text, integer, decimal, date, time, datetime, "
    "select_one, select_multiple, rank, range, acknowledge, note, calculate, begin group, "
    "begin repeat, and metadata such as start, end, today, username",
    "unlimited_repeat": "give a repeat_count (e.g. ${{how_many}}) to ask a known number",
    "missing_file": "attach '{value}' with the workbook (or add a sheet of that name holding "
    "its rows)",
    "unused_file": "check the file name against select_one_from_file and pulldata(), or leave "
    "the file out",
    "unknown_setting": "the settings read are form_title, form_id, version, default_language, "
    "allow_choice_duplicates, dont_know, refused",
    "bare_name": "write ${{{value}}}",
    "missing_choices_list": "add rows with list_name '{value}' to the choices sheet",
    "or_other_name": "rename '{name}_other'",
    "unknown_choice_column": "a column of the choices sheet, or text in quotes: '{value}'",
    "undefined_reference": "names are case-sensitive; check the spelling against the name "
    "column",
    "duplicate_name": "every row needs a name of its own (the data has one column per name)",
    "missing_label": "write the question as the interviewer reads it out",
    "invalid_expression": "expressions are XPath as in XLSForm: ${{name}} for answers, '.' for "
    "this answer, quotes around text, functions such as selected() and if()",
    "invalid_name": "e.g. 'q1_age' or 'employees'",
    "missing_list_name": "name the list: '{type} yes_no'",
    "unclosed_block": "add the 'end group' or 'end repeat' row where the block ends",
    "stray_end": "delete the row, or add the 'begin {kind}' it closes",
    "invalid_flag": "write yes, no, or an expression such as ${{age}} >= 16",
}


def level_of(code: str) -> str:
    return "warning" if code in WARNINGS else "error"

ANSWER_MESSAGES: dict[str, str] = {
    "required": "an answer is required",
    "not_integer": "'{value}' is not a whole number",
    "not_decimal": "'{value}' is not a number",
    "not_date": "'{value}' is not a date (YYYY-MM-DD)",
    "not_text": "'{value}' is not text",
    "text_too_long": "the answer is longer than {limit} characters",
    "not_a_choice": "'{value}' is not one of the allowed choices",
    "duplicate_choice": "'{value}' is selected twice",
    "constraint": "the answer does not meet the constraint {constraint}",
    "code_not_allowed": "{kind} is not allowed for this question",
    "not_answerable": "'{name}' is a {type} and takes no answer",
    "unknown_path": "no question at '{path}'",
    "not_reachable": "'{path}' is not on the interview's current route",
    "expression_failed": "the check could not be evaluated: {detail}",
    "not_time": "'{value}' is not a time (HH:MM)",
    "not_datetime": "'{value}' is not a date and time (YYYY-MM-DDTHH:MM)",
    "out_of_range": "{value} is not between {start} and {end} in steps of {step}",
    "not_ranked": "put every choice in order, each once, first place first: {detail}",
    "not_acknowledged": "the only answer is OK",
    "unknown_language": "the questionnaire has no language '{value}'",
}


def message(code: str, **fields: object) -> str:
    """Format the catalogue template for ``code``."""
    return MESSAGES[code].format(**fields)


@dataclass(frozen=True)
class Problem:
    """One problem found in a workbook: where it is, a stable code, a message, its level
    (``error`` stops the workbook being stored, ``warning`` does not) and a hint."""

    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    level: str = "error"
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def format(self, filename: str) -> str:
        row = "" if self.row is None else str(self.row)
        level = "" if self.is_error else f"{self.level}: "
        return f"{filename}:{self.sheet}:{row}:{self.column}: {level}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def problem(code: str, sheet: str = "", row: int | None = None, column: str = "",
            **fields: object) -> Problem:
    hint = HINTS.get(code, "")
    return Problem(code=code, message=message(code, row=row, **fields), sheet=sheet, row=row,
                   column=column, level=level_of(code),
                   hint=hint.format(row=row, **fields) if hint else "")


def errors_in(problems: list[Problem]) -> list[Problem]:
    """The problems that stop a workbook from being stored."""
    return [p for p in problems if p.is_error]


class WorkbookError(BasError):
    """A workbook could not be loaded; ``problems`` lists every problem found."""

    default_code = "invalid_workbook"

    def __init__(self, problems: list[Problem], filename: str = "") -> None:
        self.problems = list(problems)
        self.filename = filename
        super().__init__(f"{len(self.problems)} problem(s) in {filename or 'workbook'}")

    def lines(self) -> list[str]:
        return [p.format(self.filename) for p in self.problems]


class ExpressionError(BasError):
    """An expression cannot be parsed or evaluated (or exceeds a safety limit)."""

    default_code = "invalid_expression"

    def __init__(self, detail: str, position: int | None = None) -> None:
        self.detail = detail
        self.position = position
        where = "" if position is None else f" at character {position + 1}"
        super().__init__(f"{detail}{where}")


@dataclass(frozen=True)
class AnswerError:
    """Why one answer was refused."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def answer_error(code: str, **fields: object) -> AnswerError:
    return AnswerError(code=code, message=ANSWER_MESSAGES[code].format(**fields))


class EngineError(BasError):
    """A request to the routing engine that cannot be honoured (unknown path, bad answer)."""

    default_code = "invalid_answer"

    def __init__(self, errors: list[AnswerError], path: str = "") -> None:
        self.errors = errors
        self.path = path
        super().__init__("; ".join(e.message for e in errors))
