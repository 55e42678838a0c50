"""Issue 15: `trigger` and `once()` as pyxform means them. A calculate with a trigger is
worked out only when one of its trigger questions' answer changes and keeps its stored value
otherwise; once(expr) keeps the first non-empty value the field had in this interview. The
values to store are the route's `values` (the Session keeps them from one answer to the
next)."""

import datetime as dt

import pytest

from questionnaires.engine import Session, case_data, route
from questionnaires.engine.errors import errors_in
from questionnaires.engine.loader import check_workbook
from tests.questionnaires.helpers import build_xlsx, form

HEADER = ["type", "name", "label", "relevant", "calculation", "trigger"]


def session_of(*rows):
    return Session(form(*rows, header=HEADER))


def test_a_triggered_calculate_is_worked_out_only_when_its_trigger_changes():
    s = session_of(["text", "a", "A?", "", "", ""],
                   ["text", "b", "B?", "", "", ""],
                   ["calculate", "both", "", "", "concat(${a}, '-', ${b})", "${a}"],
                   ["text", "c", "C?", "", "", ""])
    assert s.route().values["both"] is None  # not yet triggered: empty
    s.answer("x")
    assert s.values["both"] == "x-"
    s.answer("y")  # b changes: the calculate keeps its value
    assert s.values["both"] == "x-"
    assert s.data["both"] == "x-"
    s.back()
    s.back()
    s.answer("z", "a")  # the trigger changes: worked out again, with b as it is now
    assert s.values["both"] == "z-y"
    s.answer("z", "a")  # the same answer again is no change: nothing fires
    assert s.values["both"] == "z-y"


def test_several_triggers_separated_by_commas():
    s = session_of(["integer", "a", "A?", "", "", ""],
                   ["integer", "b", "B?", "", "", ""],
                   ["calculate", "total", "", "", "${a} + ${b}", "${a}, ${b}"])
    s.answer(1)
    s.answer(2)
    assert s.values["total"] == 3


def test_routing_follows_the_stored_value_of_a_triggered_calculate():
    s = session_of(["integer", "staff", "Staff?", "", "", ""],
                   ["calculate", "first_staff", "", "", "${staff}", "${staff}"],
                   ["integer", "later", "Later?", "", "", ""],
                   ["text", "big", "Why big?", "${first_staff} > 10", "", ""],
                   ["text", "end", "End?", "", "", ""])
    s.answer(20)
    s.answer(1)
    assert s.current().name == "big"  # first_staff = 20 (stored), so 'big' is asked
    # a new Session from the stored answers and values routes the same way
    again = Session(s.definition, s.answers, on_route=True, values=s.values)
    assert again.current().name == "big"
    assert again.route().values["first_staff"] == 20


def test_once_keeps_the_first_non_empty_value():
    s = session_of(["text", "a", "A?", "", "", ""],
                   ["calculate", "first_a", "", "", "once(${a})", ""],
                   ["text", "b", "B?", "", "", ""])
    assert s.route().values["first_a"] is None  # empty until there is a value
    s.answer("first")
    assert s.values["first_a"] == "first"
    s.back()
    s.answer("second", "a")
    assert s.values["first_a"] == "first"
    assert case_data(s.definition, s.answers, stored=s.values)["first_a"] == "first"
    # without the stored value, once() works its value out as it is now
    assert case_data(s.definition, s.answers)["first_a"] == "second"


def test_once_now_is_the_moment_it_was_first_worked_out():
    s = session_of(["text", "a", "A?", "", "", ""],
                   ["calculate", "began", "", "", "once(now())", ""],
                   ["text", "b", "B?", "", "", ""])
    s.set_clock(dt.datetime(2025, 6, 11, 10, 0))
    s.answer("x")
    began = s.values["began"]
    assert began.startswith("2025-06-11T10:00")
    s.set_clock(dt.datetime(2025, 6, 12, 9, 0))
    s.answer("y")
    assert s.values["began"] == began


def test_routing_with_once_and_trigger_together():
    s = session_of(["select_one yn", "member", "Member?", "", "", ""],
                   ["calculate", "was_member", "", "", "once(${member})", ""],
                   ["calculate", "asked_member", "", "", "${member}", "${member}"],
                   ["text", "why", "Why?", "${was_member} = 1 and ${asked_member} = 2", "",
                    ""],
                   ["text", "end", "End?", "", "", ""])
    s.answer("1")
    assert s.current().name == "end"
    s.back()
    s.answer("2", "member")  # once keeps 1, the trigger gives 2: 'why' is asked
    assert (s.values["was_member"], s.values["asked_member"]) == ("1", "2")
    assert s.current().name == "why"


def test_a_calculate_without_trigger_follows_its_answers():
    s = session_of(["text", "a", "A?", "", "", ""],
                   ["calculate", "echo", "", "", "${a}", ""])
    s.answer("x")
    assert route(s.definition, s.answers).values["echo"] == "x"


def check(*rows):
    return check_workbook(build_xlsx([HEADER, *[list(r) for r in rows]]), "t.xlsx")


def test_trigger_is_read_without_a_warning():
    definition, problems = check(["text", "a", "A?", "", "", ""],
                                 ["calculate", "c", "", "", "${a}", "${a}"])
    assert problems == []
    assert definition.by_name["c"].triggers == ("a",)


@pytest.mark.parametrize(("trigger", "code", "level"), [
    ("${nope}", "undefined_reference", "error"),
    ("a", "invalid_trigger", "error"),
    ("${c2}", "invalid_trigger", "error"),  # a calculate is not asked: it never fires
])
def test_a_wrong_trigger_is_reported_at_its_cell(trigger, code, level):
    _, problems = check(["text", "a", "A?", "", "", ""],
                        ["calculate", "c2", "", "", "1", ""],
                        ["calculate", "c", "", "", "${a}", trigger])
    found = [p for p in problems if p.column == "trigger"]
    assert [(p.code, p.level, p.row) for p in found] == [(code, level, 4)]


def test_a_trigger_on_a_row_without_calculation_is_only_warned():
    definition, problems = check(["text", "a", "A?", "", "", ""],
                                 ["text", "b", "B?", "", "", "${a}"])
    assert definition is not None and not errors_in(problems)
    assert [(p.code, p.column) for p in problems] == [("no_effect_cell", "trigger")]


def test_a_question_with_a_calculation_and_a_trigger_is_worked_out_and_warned():
    definition, problems = check(["integer", "a", "A?", "", "", ""],
                                 ["integer", "b", "B?", "", "${a} * 2", "${a}"])
    assert definition is not None and not errors_in(problems)
    assert [(p.code, p.level, p.row, p.column) for p in problems] == [
        ("trigger_question_not_asked", "warning", 3, "trigger")]
    assert "calculate row" in problems[0].hint
    assert not definition.by_name["b"].asked


def test_simulated_interviews_route_and_tabulate_with_stored_values():
    import random

    from questionnaires.engine import respondent_table, simulate

    definition = form(["integer", "a", "A?", "", "", ""],
                      ["calculate", "double", "", "", "${a} * 2", "${a}"],
                      ["text", "t", "T?", "${double} > 10", "", ""], header=HEADER)
    report = simulate(definition, 30, random.Random(1), dont_know_rate=0, refused_rate=0)
    for answers, values, length in zip(report.answers, report.values, report.route_lengths,
                                       strict=True):
        assert values["double"] == answers["a"] * 2
        assert length == (2 if values["double"] > 10 else 1)
    assert "t" not in report.never_reached or all(v["double"] <= 10 for v in report.values)
    table = respondent_table(definition, report.answers, stored=report.values)
    assert list(table["double"]) == [v["double"] for v in report.values]
