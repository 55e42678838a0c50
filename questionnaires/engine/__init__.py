"""The questionnaire engine: pure Python (no Django).

Load and check an XLSForm workbook as people write it (every column and setting read or
reported, as errors and warnings), evaluate its expressions safely, route an interview,
validate answers, describe the data (codebook, respondent table, diff) and simulate
interviews before fieldwork.
"""

from .codebook import codebook, routing_condition, variable_columns, write_codebook_xlsx
from .definition import Choice, Definition, Item, Settings
from .diff import diff_definitions
from .errors import (
    AnswerError,
    EngineError,
    ExpressionError,
    Problem,
    WorkbookError,
    errors_in,
)
from .evaluator import MappingEnv, evaluate
from .loader import check_workbook, load_workbook
from .parser import parse
from .printer import to_text
from .routing import (
    Applied,
    AuditEntry,
    Option,
    Prompt,
    Route,
    apply_answer,
    case_data,
    next_question,
    prompt_for,
    route,
    validate_answer,
)
from .session import Session
from .simulate import SimulationReport, simulate
from .validation import Validation


def __getattr__(name: str):
    # pandas is imported only when the respondent table is wanted
    if name in ("respondent_table", "respondent_long_table"):
        from . import respondents

        return getattr(respondents, name)
    raise AttributeError(name)


__all__ = [
    "AnswerError", "Applied", "AuditEntry", "Choice", "Definition", "EngineError",
    "ExpressionError", "Item", "MappingEnv", "Option", "Problem", "Prompt", "Route", "Session",
    "Settings", "Validation", "WorkbookError", "apply_answer", "case_data", "check_workbook",
    "SimulationReport", "codebook", "diff_definitions", "errors_in", "evaluate",
    "load_workbook", "next_question", "parse", "prompt_for", "respondent_long_table",
    "respondent_table", "route", "routing_condition", "simulate", "to_text", "validate_answer",
    "variable_columns", "write_codebook_xlsx",
]
