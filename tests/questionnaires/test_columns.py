"""Every column and setting is understood or reported (issue 15: silent loss), read as people
write them (aliases, bind::/jr: names, any case)."""

import pytest

from questionnaires.engine import EngineError, Session, WorkbookError, check_workbook, load_workbook
from questionnaires.engine.errors import errors_in, message

from .helpers import YES_NO, build_xlsx


def check(survey, choices=YES_NO, settings=None, extra=None):
    return check_workbook(build_xlsx(survey, choices, settings, extra), "t.xlsx")


def codes(problems):
    return [p.code for p in problems]


def load(survey, choices=YES_NO, settings=None):
    return load_workbook(build_xlsx(survey, choices, settings), "t.xlsx")


@pytest.mark.parametrize("header", ["relevant", "relevance", "Relevance", "bind:relevant",
                                    "bind::relevant", "BIND::Relevant"])
def test_relevance_in_every_spelling_routes_the_interview(header):
    d = load([["type", "name", "label", header],
              ["select_one yn", "has", "Any?"],
              ["integer", "many", "How many?", "${has} = 1"],
              ["text", "last", "Anything else?"]])
    session = Session(d)
    assert session.answer("2").path == "last"  # "No": the follow-up is skipped


@pytest.mark.parametrize(("constraint", "message_header"), [
    ("constraint", "constraint_message"), ("bind:constraint", "jr:constraintMsg"),
    ("bind::constraint", "bind::jr:constraintMsg"), ("Constraint", "Constraint Message"),
    ("constraint", "constraint message::English (en)"),
])
def test_constraint_and_its_message_in_every_spelling(constraint, message_header):
    d = load([["type", "name", "label", constraint, message_header],
              ["integer", "n", "How many?", ". < 10", "Fewer than ten, please"]])
    checked = Session(d)
    with pytest.raises(EngineError) as info:
        checked.answer(12)
    assert "Fewer than ten, please" in str(info.value)


def test_required_message_is_the_refusal_of_a_blank():
    d = load([["type", "name", "label", "required", "required_message"],
              ["text", "t", "Name?", "yes", "We need a name"]])
    with pytest.raises(EngineError) as info:
        Session(d).answer("")
    assert "We need a name" in str(info.value)


def test_guidance_hint_reaches_the_interviewer():
    d = load([["type", "name", "label", "guidance_hint", "interviewer_instruction"],
              ["text", "t", "Name?", "Spell it back", "Probe"]])
    assert Session(d).current().interviewer_instruction == "Probe\nSpell it back"


def test_default_is_prefilled_and_worked_out_when_an_expression():
    d = load([["type", "name", "label", "default"],
              ["integer", "n", "How many?", "3"],
              ["integer", "m", "And now?", "${n} * 2"]])
    session = Session(d)
    assert session.current().default == "3"
    assert session.answer(4).default == "8"


@pytest.mark.parametrize("header", ["read_only", "readonly", "bind::readonly"])
def test_read_only_questions_are_not_asked(header):
    d = load([["type", "name", "label", header], ["integer", "a", "A?", "yes"],
              ["integer", "b", "B?", ""]])
    assert Session(d).current().path == "b"


def test_read_only_and_required_as_expressions():
    d = load([["type", "name", "label", "read_only", "required"],
              ["select_one yn", "s", "S?", "", ""],
              ["integer", "a", "A?", "${s} = 2", "${s} = 1"],
              ["integer", "b", "B?", "", ""]])
    session = Session(d)
    prompt = session.answer("1")
    assert (prompt.path, prompt.required) == ("a", True)
    session = Session(d)
    assert session.answer("2").path == "b"  # read only when s = 2


@pytest.mark.parametrize(("header", "code"), [
    ("appearance", "no_effect_column"), ("image", "no_effect_column"),
    ("media::audio", "no_effect_column"), ("body::accuracyThreshold", "no_effect_column"),
    ("my_notes", "unknown_column"),
])
def test_columns_without_effect_are_warned_not_refused(header, code):
    definition, problems = check([["type", "name", "label", header],
                                  ["integer", "n", "How many?", "x"]])
    assert definition is not None and not errors_in(problems)
    (p,) = problems
    assert (p.code, p.level, p.sheet, p.row, p.column) == (code, "warning", "survey", 1, header)
    assert p.hint


def test_an_empty_unknown_column_is_not_reported():
    _, problems = check([["type", "name", "label", "my_notes"], ["integer", "n", "N?"]])
    assert problems == []


@pytest.mark.parametrize(("first", "second"), [
    ("label", "Label"), ("relevant", "relevance"), ("relevant", "bind::relevant"),
    ("constraint_message", "jr:constraintMsg"), ("label::English", "label:English"),
    ("calculation", "calculate"),
])
def test_two_columns_with_the_same_meaning_are_an_error(first, second):
    _, problems = check([["type", "name", first, second], ["integer", "n", "N?", "N?"]])
    (p,) = [p for p in problems if p.code == "duplicate_column"]
    assert (p.level, p.row, p.column) == ("error", 1, second)
    assert p.message == message("duplicate_column", value=second, first=first)


def test_headers_are_read_without_regard_to_case():
    d = load([["TYPE", "Name", "LABEL", "Hint", "Required"], ["Integer", "n", "N?", "h", "Yes"]])
    n = d.by_name["n"]
    assert (n.type, n.label, n.hint, n.required) == ("integer", {"": "N?"}, {"": "h"}, True)


def test_problems_name_the_column_as_written():
    _, problems = check([["type", "name", "label", "Relevance"],
                         ["integer", "n", "N?", "${ghost} = 1"]])
    assert [(p.code, p.column) for p in problems] == [("undefined_reference", "Relevance")]


def test_settings_are_understood_or_warned():
    settings = [["form_title", "form_id", "version", "style", "instance_name", "colour",
                 "allow_choice_duplicates"],
                ["T", "f", "1", "pages", "x", "blue", "yes"],
                ["T2", "", "", "", "", "", ""]]
    definition, problems = check([["type", "name", "label"], ["integer", "n", "N?"]],
                                 settings=settings)
    assert definition.settings.allow_choice_duplicates is True
    assert [(p.code, p.column, p.row) for p in problems] == [
        ("no_effect_setting", "style", 1), ("no_effect_setting", "instance_name", 1),
        ("unknown_setting", "colour", 1), ("extra_settings_row", "", 3)]
    assert all(p.level == "warning" for p in problems)


def test_unread_sheets_are_warned():
    _, problems = check([["type", "name", "label"], ["integer", "n", "N?"]],
                        extra={"notes": [["anything"], ["at all"]]})
    assert [(p.code, p.level, p.sheet) for p in problems] == [("ignored_sheet", "warning",
                                                              "notes")]


def test_warnings_load_errors_refuse():
    d = load([["type", "name", "label", "appearance"], ["integer", "n", "N?", "minimal"]])
    assert [p.code for p in d.warnings] == ["no_effect_column"]
    with pytest.raises(WorkbookError) as info:
        load([["type", "name", "label", "appearance"], ["geopoint", "where", "Where?", "x"]])
    assert [p.code for p in info.value.problems] == ["device_only_type"]


def test_allow_choice_duplicates():
    choices = [["list_name", "name", "label"], ["yn", "1", "Yes"], ["yn", "1", "Oui"]]
    survey = [["type", "name", "label"], ["select_one yn", "q", "Q?"]]
    assert codes(check(survey, choices)[1]) == ["duplicate_choice"]
    _, problems = check(survey, choices, [["allow_choice_duplicates"], ["yes"]])
    assert problems == []


def test_a_value_in_a_column_that_means_nothing_for_the_row_is_warned():
    _, problems = check([["type", "name", "label", "choice_filter", "required", "Hint"],
                         ["integer", "n", "N?", "x = 1", "no", ""],
                         ["note", "m", "Read this", "", "yes", "h"]])
    assert [(p.code, p.level, p.row, p.column) for p in problems] == [
        ("no_effect_cell", "warning", 2, "choice_filter"),
        ("no_effect_cell", "warning", 3, "required")]
    assert problems[0].message == message("no_effect_cell", value="choice_filter",
                                          type="integer")


def test_nothing_beyond_the_column_limit_is_dropped_silently(monkeypatch):
    from questionnaires.engine import workbook

    monkeypatch.setattr(workbook, "MAX_COLUMNS", 4)
    _, problems = check([["type", "name", "label", "hint", "relevant"],
                         ["integer", "n", "N?", "h", "1 = 1"]])
    assert [(p.code, p.level, p.row) for p in problems] == [("too_many_columns", "error", 1)]


def test_a_choice_row_without_a_list_name_is_reported_whatever_it_holds():
    choices = [["list_name", "name", "label", "region"], ["yn", "1", "Yes", ""],
               ["", "", "", "north"]]
    _, problems = check([["type", "name", "label"], ["select_one yn", "q", "Q?"]], choices)
    assert [(p.code, p.row) for p in problems] == [("choice_without_list", 3)]
