"""The functions of issue 15: evaluated by our own parser and evaluator (no eval), bounded."""

import contextlib
import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.engine import (
    EngineError,
    ExpressionError,
    MappingEnv,
    Session,
    evaluate,
    load_workbook,
)
from questionnaires.engine.safe_regex import MAX_INPUT

from .helpers import build_xlsx

NOW = dt.datetime(2025, 3, 1, 9, 30, 15)


def ev(text, values=None, current=None, tables=None):
    return evaluate(text, MappingEnv(values or {}, current=current, today=NOW.date(), now=NOW,
                                     tables=tables))


@pytest.mark.parametrize(("text", "expected"), [
    ("regex('SW1A 1AA', '^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$')", True),
    ("regex('hello', '^[0-9]+$')", False),
    ("once(3)", 3.0),
    ("now()", "2025-03-01T09:30:15.000"),
    ("format-date('2025-03-01', '%Y/%m/%d %b %e %a')", "2025/03/01 Mar 1 Sat"),
    ("format-date(now(), '%H:%M')", "09:30"),
    ("date('2025-03-01')", "2025-03-01"),
    ("date(20148)", "2025-03-01"),
    ("date(today() - 1)", "2025-02-28"),
    ("decimal-date-time('1970-01-02T12:00:00')", 1.5),
    ("decimal-date-time('2025-03-01') - decimal-date-time('2025-02-28')", 1.0),
    ("substr('telephone', 0, 4)", "tele"),
    ("substr('telephone', 4)", "phone"),
    ("contains('London SW1', 'SW')", True),
    ("starts-with('E09000001', 'E09')", True),
    ("ends-with('E09000001', '02')", False),
    ("normalize-space('  a   b  ')", "a b"),
    ("concat('a', 1, 'b')", "a1b"),
    ("min(3, 1, 2)", 1.0),
    ("max(3, 1, 2)", 3.0),
    ("round(2.567, 2)", 2.57),
    ("int(-2.7)", -2.0),
    ("number('12')", 12.0),
    ("string(12)", "12"),
    ("boolean('')", False),
    ("boolean('x')", True),
    ("floor(2.5) + ceiling(2.5)", 5.0),
    ("pow(2, 10)", 1024.0),
    ("abs(-3)", 3.0),
    ("substring-before('a-b', '-')", "a"),
    ("substring-after('a-b', '-')", "b"),
    ("count-non-empty(${xs})", 2.0),
    ("sum(${xs})", float("nan")),  # as XPath: an empty answer is NaN
    ("max(${xs})", float("nan")),
    ("join(', ', ${xs})", "1, , 2"),
])
def test_functions(text, expected):
    result = ev(text, {"xs": [[1], [], [2]]})  # a question in three repeat instances
    if expected != expected:  # NaN
        assert result != result
    else:
        assert result == expected


def test_pulldata_against_a_table():
    tables = {"prices": [{"item": "tea", "price": "2"}, {"item": "cake", "price": "3"}]}
    assert ev("pulldata('prices', 'price', 'item', 'cake')", tables=tables) == "3"
    assert ev("pulldata('prices', 'price', 'item', 'pie')", tables=tables) == ""


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)*b", "(x*)*y", r"(\w+\s?)*$", r"(a)\1",
                                     "a" * 300])
def test_regex_refuses_patterns_that_could_run_forever(pattern):
    with pytest.raises(ExpressionError):
        ev(f"regex(., '{pattern}')", current="a" * 40 + "!")


def test_regex_input_is_bounded():
    with pytest.raises(ExpressionError):
        ev("regex(., '^a+$')", current="a" * (MAX_INPUT + 1))


def test_unsafe_regex_in_a_form_is_refused_by_the_checker():
    from questionnaires.engine import check_workbook

    _, problems = check_workbook(build_xlsx(
        [["type", "name", "label", "constraint"], ["text", "t", "T?", "regex(., '(a+)+$')"]]),
        "t.xlsx")
    assert [(p.code, p.column) for p in problems] == [("invalid_expression", "constraint")]


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="ab()|*+?.^$[]{}\\1,0-", max_size=25),
       st.text(alphabet="ab!", max_size=200))
def test_any_regex_is_answered_quickly_or_refused(pattern, text):
    started = time.perf_counter()
    with contextlib.suppress(ExpressionError):
        ev(f"regex(., '{pattern}')", current=text)
    assert time.perf_counter() - started < 0.5


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["substr", "contains", "starts-with", "ends-with", "normalize-space",
                        "min", "max", "round", "int", "number", "string", "boolean",
                        "format-date", "date", "decimal-date-time", "concat", "regex",
                        "substring-before", "translate", "pow"]),
       st.lists(st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                          st.text(max_size=12), st.just("2025-01-31"),
                          st.just("2025-01-31T10:00:00")), min_size=1, max_size=3))
def test_functions_on_any_input_give_a_value_or_an_expression_error(name, args):
    from questionnaires.engine.functions import ARITY

    low, high = ARITY[name]
    args = args[:high] if high is not None else args
    while len(args) < low:
        args.append("x")
    values = {f"a{i}": v for i, v in enumerate(args)}
    text = f"{name}({', '.join('${' + k + '}' for k in values)})"
    with contextlib.suppress(ExpressionError):
        ev(text, values)


FORM_HEAD = ["type", "name", "label", "calculation", "repeat_count", "constraint", "required",
             "read_only"]
CHOICES = [["list_name", "name", "label", "label::Cymraeg"], ["yn", "1", "Yes", "Ie"],
           ["yn", "2", "No", "Na"]]


def form(*rows, extra=None):
    return load_workbook(build_xlsx([FORM_HEAD, *rows], CHOICES, None, extra), "t.xlsx")


def test_choice_name_indexed_repeat_position_and_pulldata_in_an_interview():
    d = form(["select_one yn", "q", "Q?"],
             ["calculate", "q_label", "", "jr:choice-name(${q}, '${q}')"],
             ["begin repeat", "r", "R", "", "2"],
             ["integer", "n", "N?"],
             ["calculate", "pos", "", "position(..)"],
             ["end repeat", ""],
             ["calculate", "second", "", "indexed-repeat(${n}, ${r}, 2)"],
             ["calculate", "price", "", "pulldata('prices', 'price', 'item', 'cake')"],
             extra={"prices": [["item", "price"], ["tea", "2"], ["cake", "3"]]})
    s = Session(d)
    s.answer("1")
    s.answer(10)
    s.answer(20)
    assert s.data["q_label"] == "Yes"
    assert (s.data["r[1]/pos"], s.data["r[2]/pos"]) == (1, 2)
    assert s.data["second"] == 20
    assert s.data["price"] == "3"
    s.set_language("Cymraeg")
    assert s.data["q_label"] == "Ie"


def test_required_and_read_only_expressions_use_functions():
    d = form(["text", "pc", "Postcode?", "", "", "regex(., '^[A-Z0-9 ]+$')", "", ""],
             ["text", "why", "Why?", "", "", "", "starts-with(${pc}, 'SW')", ""],
             ["text", "other", "Other?", "", "", "", "", "contains(${pc}, 'X')"],
             ["integer", "last", "Last?"])
    s = Session(d)
    with pytest.raises(EngineError):
        s.answer("sw1")
    assert s.answer("SW1").required is True
    with pytest.raises(EngineError):
        s.answer("")
    s.answer("because")
    assert s.current().path == "other"
    s2 = Session(d)
    s2.answer("X1")
    assert s2.answer("").path == "last"  # 'other' is read only when the postcode has an X


def test_the_interviewer_can_switch_language_mid_interview():
    survey = [["type", "name", "label::English (en)", "label::Cymraeg (cy)"],
              ["integer", "a", "How many?", "Faint?"], ["integer", "b", "And?", "A?"]]
    choices = [["list_name", "name", "label::English (en)", "label::Cymraeg (cy)"],
               ["yn", "1", "Yes", "Ie"]]
    d = load_workbook(build_xlsx(survey, choices, [["default_language"], ["English (en)"]]))
    s = Session(d)
    assert s.current().label == "How many?"
    assert s.set_language("Cymraeg (cy)").label == "Faint?"
    assert s.answer(3).label == "A?"
    assert s.set_language(None).label == "And?"
    with pytest.raises(EngineError):
        s.set_language("Klingon")


def test_the_codebook_carries_every_language(tmp_path):
    import openpyxl

    from questionnaires.engine import codebook, write_codebook_xlsx

    survey = [["type", "name", "label::English (en)", "label::Cymraeg (cy)"],
              ["select_one yn", "a", "Any?", "Unrhyw?"]]
    choices = [["list_name", "name", "label::English (en)", "label::Cymraeg (cy)"],
               ["yn", "1", "Yes", "Ie"]]
    d = load_workbook(build_xlsx(survey, choices, [["default_language", "style"],
                                                   ["English (en)", "pages"]]))
    book = codebook(d)
    (var,) = book["variables"]
    assert var["labels"] == {"English (en)": "Any?", "Cymraeg (cy)": "Unrhyw?"}
    assert var["value_labels_by_language"] == {"English (en)": {"1": "Yes"},
                                               "Cymraeg (cy)": {"1": "Ie"}}
    path = tmp_path / "cb.xlsx"
    write_codebook_xlsx(book, path)
    header = [c.value for c in next(openpyxl.load_workbook(path)["codebook"].iter_rows())]
    assert "label::Cymraeg (cy)" in header and "value_labels::Cymraeg (cy)" in header


def test_the_input_bound_tightens_with_each_unfenced_repetition():
    from questionnaires.engine.safe_regex import input_limit

    assert input_limit("^[0-9]{10}$") == MAX_INPUT
    assert input_limit(r"^[\w-\.]+@([\w-]+\.)+[\w-]{2,4}$") < MAX_INPUT  # runs of \w overlap
    assert input_limit("a+a+a+b") < input_limit("a+a+b") < input_limit("a+b")
    with pytest.raises(ExpressionError):
        ev("regex(., 'a+a+a+b')", current="a" * 200)


def test_pulldata_reads_a_csv_shipped_beside_the_workbook(tmp_path):
    path = tmp_path / "prices.xlsx"
    path.write_bytes(build_xlsx(
        [["type", "name", "label", "calculation"], ["text", "item", "Which item?", ""],
         ["calculate", "price", "", "pulldata('prices', 'price', 'item', ${item})"],
         ["note", "say", "That costs ${price}", ""]]))
    (tmp_path / "prices.csv").write_text("item,price\ntea,2\ncake,3\n")
    d = load_workbook(path)
    assert list(d.tables) == ["prices"]
    session = Session(d)
    session.answer("cake")
    assert session.data["price"] == "3"
    assert session.route().closing_notes == ("That costs 3",)
