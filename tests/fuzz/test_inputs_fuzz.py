"""Hostile input to the questionnaire loader, the frame importer and the answer engine: every
bad input gets a clear error of the module's own kind, never a crash."""

import contextlib
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires.engine import check_workbook
from questionnaires.engine.errors import EngineError, ExpressionError
from questionnaires.engine.routing import apply_answer, validate_answer
from sampling.core import FrameError, validate_frame
from tests.questionnaires.helpers import YES_NO, build_xlsx, form

# Text an .xlsx can hold (control characters cannot be written to a cell).
XLSX_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
CELL = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                 XLSX_TEXT,
                 st.sampled_from(["integer", "select_one yn", "begin group", "end group",
                                  "begin repeat", "end repeat", "calculate", "${x}", "${",
                                  ". > 1", "selected(${a}, '1')", "((((", "if(1,2)", "note",
                                  "x", "a b", "-8", "yes"]))
HEADER = ["type", "name", "label", "relevant", "constraint", "calculation", "required",
          "dont_know", "refused", "repeat_count", "choice_filter"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_are_reported_as_problems(data):
    definition, problems = check_workbook(data, "random.xlsx")
    assert definition is None and problems
    assert all(p.message for p in problems)


@FUZZ
@given(st.lists(st.lists(CELL, min_size=len(HEADER), max_size=len(HEADER)), max_size=8))
def test_random_survey_rows_never_crash_the_checker(rows):
    workbook = build_xlsx([HEADER, *rows], YES_NO)
    definition, problems = check_workbook(workbook, "fuzz.xlsx")
    for problem in problems:
        assert problem.sheet and problem.message
        assert problem.row is None or problem.row >= 1


ANSWER = st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=20),
                   st.lists(st.text(max_size=5), max_size=3), st.booleans())


@FUZZ
@given(ANSWER, st.sampled_from(["n", "c", "m", "nowhere", ""]))
def test_random_answers_are_refused_cleanly(value, path):
    definition = form(["integer", "n", "How many?", "", ". >= 0 and . < 100"],
                      ["select_one yn", "c", "Yes or no?"],
                      ["select_multiple yn", "m", "Which?"], choices=YES_NO)
    checked = validate_answer(definition, {}, path, value)
    assert checked.ok or checked.errors
    with contextlib.suppress(EngineError, ExpressionError):
        apply_answer(definition, {}, path, value)


FRAME_CELL = st.one_of(st.text(max_size=30), st.sampled_from(
    ["E09000033", "Westminster", "Narnia", "62012", "62.01/2", "xx", "SW1A 1AA", "nope",
     "020 7946 0001", "-3", "12", "", "=1+1", "1e9"]))


@FUZZ
@given(st.lists(st.lists(FRAME_CELL, min_size=8, max_size=8), min_size=1, max_size=6))
def test_random_frame_rows_import_or_fail_with_every_problem_placed(rows):
    columns = ["reference", "name", "address", "postcode", "phone", "borough", "sic2007",
               "employees"]
    raw = pd.read_csv(io.StringIO(pd.DataFrame(rows, columns=columns).to_csv(index=False)),
                      dtype=str, keep_default_na=False)
    raw["_row"] = range(2, len(raw) + 2)
    try:
        clean = validate_frame(raw, file="fuzz.csv")
    except FrameError as error:
        assert error.issues
        assert all(issue.file == "fuzz.csv" and issue.row >= 1 for issue in error.issues)
    else:
        assert len(clean) == len(rows)
