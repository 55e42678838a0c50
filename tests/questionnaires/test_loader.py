import pytest

from questionnaires.engine import Definition, WorkbookError, check_workbook, load_workbook
from questionnaires.engine.errors import MESSAGES, message

from .helpers import YES_NO, build_xlsx, form

HEAD = ["type", "name", "label", "relevant", "constraint", "calculation"]


def problems_of(survey, choices=YES_NO, settings=None):
    _, problems = check_workbook(build_xlsx(survey, choices, settings), "t.xlsx")
    return problems


def one(problems, code):
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, (code, problems)
    return found[0]


def test_a_good_form_loads():
    d = form(["select_one yn", "q1", "Question 1?"],
             ["integer", "q2", "How many?", "${q1} = 1", ". >= 0"],
             ["calculate", "c", "", "", "", "${q2} * 2"])
    assert [i.name for i in d.iter_items()] == ["q1", "q2", "c"]
    assert d.by_name["q2"].relevant == "${q1} = 1"
    assert d.by_name["c"].calculate == "${q2} * 2"


@pytest.mark.parametrize(("rows", "code", "row", "column", "fields"), [
    ([["dropdown", "q", "Q?"]], "unknown_type", 2, "type", {"value": "dropdown"}),
    ([["integer", "q", "Q?"], ["integer", "q", "Q again?"]], "duplicate_name", 3, "name",
     {"value": "q", "first_row": 2}),
    ([["integer", "1q", "Q?"]], "invalid_name", 2, "name", {"value": "1q"}),
    ([["integer", "a b", "Q?"]], "invalid_name", 2, "name", {"value": "a b"}),
    ([["select_one nolist", "q", "Q?"]], "missing_choices_list", 2, "type",
     {"value": "nolist"}),
    ([["select_one", "q", "Q?"]], "missing_list_name", 2, "type", {"type": "select_one"}),
    ([["integer", "q", "Q?", "${ghost} = 1"]], "undefined_reference", 2, "relevant",
     {"value": "ghost"}),
    ([["integer", "q", "You said ${ghost}?"]], "undefined_reference", 2, "label",
     {"value": "ghost"}),
    ([["integer", "q", "Q?", "1 +"]], "invalid_expression", 2, "relevant", None),
    ([["integer", "q", "Q?", "", "foo(.)"]], "invalid_expression", 2, "constraint", None),
    ([["integer", "q", ""]], "missing_label", 2, "label", {"name": "q"}),
    ([["integer", "", "Q?"]], "missing_name", 2, "name", {"type": "integer"}),
    ([["", "q", "Q?"]], "missing_type", 2, "type", {}),
    ([["calculate", "c", ""]], "missing_calculation", 2, "calculation", {"name": "c"}),
    ([["begin group", "g", "G"], ["integer", "q", "Q?"]], "unclosed_block", 2, "type",
     {"kind": "begin group", "name": "g"}),
    ([["integer", "q", "Q?"], ["end group", ""]], "stray_end", 3, "type", {"kind": "group"}),
    ([["begin repeat", "r", "R"], ["integer", "q", "Q?"], ["end group", ""]],
     "mismatched_end", 4, "type", {"kind": "group", "open_kind": "repeat", "name": "r",
                                   "open_row": 2}),
    ([["begin group", "g", "G"], ["end group", ""]], "empty_block", 2, "type",
     {"kind": "group", "name": "g"}),
    ([["integer", "q", "Q?", "q = 1"]], "bare_name", 2, "relevant", {"value": "q"}),
])
def test_each_error_kind_is_reported_with_its_place(rows, code, row, column, fields):
    problem = one(problems_of([HEAD, *rows]), code)
    assert (problem.sheet, problem.row, problem.column) == ("survey", row, column)
    if fields is not None:
        assert problem.message == message(code, **fields)


def test_calculate_cycle():
    problems = problems_of([HEAD, ["calculate", "a", "", "", "", "${b} + 1"],
                            ["calculate", "b", "", "", "", "${c} + 1"],
                            ["calculate", "c", "", "", "", "${a} + 1"]])
    problem = one(problems, "reference_cycle")
    assert (problem.row, problem.column) == (2, "calculation")
    assert problem.message == message("reference_cycle", name="a", cycle="a -> b -> c -> a")


def test_relevance_cycle_through_a_group():
    problems = problems_of([HEAD, ["begin group", "g", "G", "${q} = 1"],
                            ["integer", "q", "Q?"], ["end group"]])
    assert one(problems, "reference_cycle").row == 2


def test_relevance_cycle_through_an_unnamed_group_is_reported_not_a_crash():
    # Found by the fuzz test: an unnamed group (itself a problem) whose relevance reads a
    # question inside it.
    problems = problems_of([HEAD, ["begin group", "", "G", "${q} = 1"],
                            ["integer", "q", "Q?"], ["end group"],
                            ["begin group", "", "H"], ["integer", "r", "R?"], ["end group"]])
    cycle = one(problems, "reference_cycle")
    assert (cycle.row, cycle.column) == (2, "relevant")
    assert "q" in cycle.message
    assert all(p.row != 5 for p in problems if p.code == "reference_cycle")


def test_duplicate_choice_and_choice_problems():
    choices = [["list_name", "name", "label"], ["yn", "1", "Yes"], ["yn", "1", "Again"],
               ["yn", "a b", "Spaced"], ["yn", "", "No name"], ["", "x", "No list"],
               ["yn", "3", ""]]
    problems = problems_of([HEAD, ["select_one yn", "q", "Q?"]], choices)
    dup = one(problems, "duplicate_choice")
    assert (dup.sheet, dup.row, dup.column) == ("choices", 3, "name")
    assert dup.message == message("duplicate_choice", value="1", list_name="yn", first_row=2)
    assert one(problems, "invalid_choice_name").row == 4
    assert one(problems, "missing_choice_name").row == 5
    assert one(problems, "choice_without_list").row == 6
    assert one(problems, "missing_choice_label").row == 7


def test_missing_sheets_and_columns():
    problems = problems_of(None, None)
    assert one(problems, "missing_sheet").message == message("missing_sheet", name="survey")
    problems = problems_of([["type", "label"], ["select_one yn", "Q?"]], None)
    missing = one(problems, "missing_column")
    assert (missing.sheet, missing.row, missing.column) == ("survey", 1, "name")
    assert any(p.code == "missing_sheet" and "choices" in p.message for p in problems)
    problems = problems_of([["type", "name"], ["integer", "q"]])
    assert any(p.code == "missing_column" and p.column == "label" for p in problems)


def test_flags_codes_and_settings_are_checked():
    head = ["type", "name", "label", "required", "dont_know"]
    settings = [["form_id", "dont_know"], ["f", "minus eight"]]
    problems = problems_of([head, ["integer", "q", "Q?", "perhaps", "sometimes"]],
                           settings=settings)
    assert one(problems, "invalid_flag").column == "required"
    assert one(problems, "invalid_code").column == "dont_know"
    bad = one(problems, "invalid_setting")
    assert (bad.sheet, bad.row, bad.column) == ("settings", 2, "dont_know")


def test_choice_filter_columns_are_checked():
    choices = [["list_name", "name", "label", "cat"], ["yn", "1", "Yes", "a"]]
    head = ["type", "name", "label", "choice_filter"]
    problems = problems_of([head, ["select_one yn", "q", "Q?", "kind = 'a'"]], choices)
    assert one(problems, "unknown_choice_column").column == "choice_filter"
    assert not problems_of([head, ["select_one yn", "q", "Q?", "cat = 'a'"]], choices)


def test_every_problem_is_reported_at_once_in_row_order():
    problems = problems_of([HEAD, ["dropdown", "a", "A?"], ["integer", "1b", "B?"],
                            ["integer", "c", "C?", "${zz} ="], ["integer", "c", "C?"],
                            ["end repeat"]])
    assert [p.code for p in problems] == ["unknown_type", "invalid_name",
                                          "invalid_expression", "duplicate_name", "stray_end"]
    assert [p.row for p in problems] == [2, 3, 4, 5, 6]
    with pytest.raises(WorkbookError) as info:
        load_workbook(build_xlsx([HEAD, ["dropdown", "a", "A?"], ["integer", "1b", "B?"]],
                                 YES_NO), "bad.xlsx")
    assert info.value.lines() == [
        "bad.xlsx:survey:2:type: " + message("unknown_type", value="dropdown"),
        "bad.xlsx:survey:3:name: " + message("invalid_name", value="1b"),
    ]


def test_not_an_xlsx_and_missing_file(tmp_path):
    _, problems = check_workbook(b"not a zip", "x.xlsx")
    assert [p.code for p in problems] == ["not_xlsx"]
    _, problems = check_workbook(str(tmp_path / "none.xlsx"))
    assert [p.code for p in problems] == ["file_not_found"]


def test_xlsform_spellings_languages_and_settings():
    head = ["Type", "Name", "Label::English (en)", "label::Cymraeg (cy)", "Hint::English (en)",
            "constraint message::English (en)", "interviewer_instruction", "calculate"]
    survey = [head, ["begin_group", "g", "Group", "Grŵp"],
              ["int", "n", "Number?", "Rhif?", "A hint", "Too big", "Probe"],
              ["calculate", "c", "", "", "", "", "", "${n} + 1"],
              ["end_group"]]
    settings = [["form_title", "form_id", "version", "default_language", "dont_know"],
                ["T", "f", 3, "English (en)", -7]]
    d = load_workbook(build_xlsx(survey, YES_NO, settings))
    n = d.by_name["n"]
    assert n.type == "integer"
    assert n.label == {"English (en)": "Number?", "Cymraeg (cy)": "Rhif?"}
    assert n.hint == {"English (en)": "A hint"}
    assert n.constraint_message == {"English (en)": "Too big"}
    assert n.interviewer_instruction == {"English (en)": "Probe"}
    assert d.by_name["c"].calculate == "${n} + 1"
    assert d.languages == ["English (en)", "Cymraeg (cy)"]
    assert (d.settings.version, d.settings.dont_know) == ("3", -7)


def test_dont_know_refused_columns():
    d = form(["integer", "a", "A?", "", "", "", "", "yes", "-99"],
             ["integer", "b", "B?", "", "", "", "", "", ""],
             settings=[["dont_know", "refused"], [-1, -2]])
    assert (d.by_name["a"].dont_know, d.by_name["a"].refused) == (-1, -99)
    assert (d.by_name["b"].dont_know, d.by_name["b"].refused) == (None, None)


def test_definition_round_trips_through_json():
    import json

    d = form(["begin group", "g", "G", "1 = 1"], ["select_one yn", "q", "Q?"],
             ["end group"], ["calculate", "c", "", "", "", "${q}"])
    restored = Definition.from_dict(json.loads(json.dumps(d.to_dict())))
    assert restored.to_dict() == d.to_dict()
    assert restored.by_name["q"].parent.name == "g"


def test_every_catalogue_message_formats():
    import string

    for code, template in MESSAGES.items():
        slots = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert message(code, **dict.fromkeys(slots, "x")), code


def test_every_catalogue_hint_formats():
    import string

    from questionnaires.engine.errors import HINTS

    for code, template in HINTS.items():
        assert code in MESSAGES, code
        slots = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        assert template.format(**dict.fromkeys(slots, "x")), code
