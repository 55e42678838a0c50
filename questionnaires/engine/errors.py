"""Every error the questionnaire engine can report, with its message template in one catalogue.

Templates use ``str.format`` slots; tests format the same templates, so a reworded message
never breaks a test and a code never changes meaning.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MESSAGES: dict[str, str] = {
    # file level
    "file_not_found": "file not found: {path}",
    "not_xlsx": "not a readable .xlsx workbook: {detail}",
    "too_many_rows": "sheet has more than {limit} rows",
    # sheets and columns
    "missing_sheet": "the workbook has no '{name}' sheet",
    "missing_column": "the '{sheet_name}' sheet has no '{name}' column",
    # survey rows
    "missing_type": "row has content but no type",
    "unknown_type": "unknown type '{value}'",
    "missing_name": "a '{type}' row needs a name",
    "invalid_name": "invalid name '{value}': names start with a letter or '_' and hold only "
    "letters, digits, '_', '-' or '.'",
    "duplicate_name": "duplicate name '{value}' (first used on row {first_row})",
    "missing_label": "'{name}' has no label",
    "missing_list_name": "'{type}' needs a choice list name, e.g. '{type} yes_no'",
    "missing_choices_list": "choice list '{value}' is not on the choices sheet",
    "missing_calculation": "calculate '{name}' has no calculation",
    "missing_repeat_count": "repeat '{name}' needs a repeat_count, e.g. count-selected(${{x}})",
    "invalid_flag": "'{value}' is not yes or no",
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
    "missing_choice_label": "choice '{value}' in list '{list_name}' has no label",
    # settings
    "invalid_setting": "setting '{name}' has invalid value '{value}': {detail}",
}

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
}


def message(code: str, **fields: object) -> str:
    """Format the catalogue template for ``code``."""
    return MESSAGES[code].format(**fields)


@dataclass(frozen=True)
class Problem:
    """One problem found in a workbook: where it is, a stable code, and a message."""

    code: str
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def format(self, filename: str) -> str:
        row = "" if self.row is None else str(self.row)
        return f"{filename}:{self.sheet}:{row}:{self.column}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def problem(code: str, sheet: str = "", row: int | None = None, column: str = "",
            **fields: object) -> Problem:
    return Problem(code=code, message=message(code, **fields), sheet=sheet, row=row,
                   column=column)


class WorkbookError(Exception):
    """A workbook could not be loaded; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], filename: str = "") -> None:
        self.problems = list(problems)
        self.filename = filename
        super().__init__(f"{len(self.problems)} problem(s) in {filename or 'workbook'}")

    def lines(self) -> list[str]:
        return [p.format(self.filename) for p in self.problems]


class ExpressionError(Exception):
    """An expression cannot be parsed or evaluated (or exceeds a safety limit)."""

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


class EngineError(Exception):
    """A request to the routing engine that cannot be honoured (unknown path, bad answer)."""

    def __init__(self, errors: list[AnswerError], path: str = "") -> None:
        self.errors = errors
        self.path = path
        super().__init__("; ".join(e.message for e in errors))
