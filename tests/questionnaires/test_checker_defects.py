"""Type aliases pyxform accepts and the checker defects of issue 15."""

import pytest
from openpyxl import Workbook

from questionnaires.engine import Session, check_workbook, load_workbook, workbook
from questionnaires.engine.errors import message

from .helpers import YES_NO, build_xlsx


def load(survey, choices=YES_NO):
    return load_workbook(build_xlsx(survey, choices), "t.xlsx")


@pytest.mark.parametrize(("written", "kind"), [
    ("select one from yn", "select_one"), ("select all that apply from yn", "select_multiple"),
    ("select one yn", "select_one"), ("select all that apply yn", "select_multiple"),
    ("Select_One yn", "select_one"), ("select1 yn", "select_one"),
    ("select multiple yn", "select_multiple"), ("rank yn", "rank"),
])
def test_select_aliases(written, kind):
    d = load([["type", "name", "label"], [written, "q", "Q?"]])
    assert (d.by_name["q"].type, d.by_name["q"].list_name) == (kind, "yn")


@pytest.mark.parametrize(("written", "kind"), [
    ("int", "integer"), ("string", "text"), ("date time", "datetime"), ("dateTime", "datetime"),
    ("begin_group", "group"), ("Begin Repeat", "repeat"), ("trigger", "acknowledge"),
])
def test_type_aliases(written, kind):
    rows = [["type", "name", "label", "repeat_count"], [written, "q", "Q?", "2"]]
    if kind in ("group", "repeat"):
        rows += [["integer", "n", "N?"], [f"end {kind}", ""]]
    d = load(rows)
    assert d.by_name["q"].type == kind


def test_or_other_adds_the_other_choice_and_asks_what():
    survey = [["type", "name", "label"], ["select_one yn or_other", "q", "Q?"],
              ["text", "last", "Last?"]]
    definition, problems = check_workbook(build_xlsx(survey, YES_NO), "t.xlsx")
    assert problems == []  # 'or_other' is not a choice list
    session = Session(definition)
    assert [o.name for o in session.current().choices] == ["1", "2", "other"]
    assert session.answer("other").path == "q_other"
    assert session.answer("Maybe").path == "last"
    session = Session(definition)
    assert session.answer("1").path == "last"
    assert definition.by_name["q_other"].relevant == "selected(${q}, 'other')"


def test_or_other_on_select_multiple_and_name_clash():
    survey = [["type", "name", "label"], ["select_multiple yn or_other", "q", "Q?"],
              ["text", "q_other", "Clash"]]
    _, problems = check_workbook(build_xlsx(survey, YES_NO), "t.xlsx")
    assert [p.code for p in problems] == ["duplicate_name"]


def test_label_languages_with_one_or_two_colons():
    d = load([["type", "name", "label:English", "label::Cymraeg (cy)"],
              ["integer", "n", "Number?", "Rhif?"]],
             [["list_name", "name", "Label:English"], ["yn", "1", "Yes"]])
    assert d.by_name["n"].label == {"English": "Number?", "Cymraeg (cy)": "Rhif?"}
    assert d.languages == ["English", "Cymraeg (cy)"]


def test_blank_formatted_rows_do_not_count_towards_the_limit(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["integer", "n", "N?"])
    for row in range(3, 40):  # formatted, no value
        ws.cell(row=row, column=1).number_format = "0.00"
        ws.cell(row=row, column=2).value = ""
    choices = wb.create_sheet("choices")
    for r in YES_NO:
        choices.append(r)
    import io

    buffer = io.BytesIO()
    wb.save(buffer)
    definition, problems = check_workbook(buffer.getvalue(), "t.xlsx")
    assert problems == [] and definition is not None
    many = [["type", "name", "label"], *[["integer", f"n{i}", "N?"] for i in range(6)]]
    _, problems = check_workbook(build_xlsx(many, YES_NO), "t.xlsx")
    assert [p.code for p in problems] == ["too_many_rows"]


def test_group_and_question_of_the_same_name_is_one_duplicate_not_a_cycle():
    survey = [["type", "name", "label", "relevant"], ["begin group", "g", "G", ""],
              ["integer", "g", "Q?", ""], ["end group", "", "", ""]]
    _, problems = check_workbook(build_xlsx(survey, YES_NO), "t.xlsx")
    assert [(p.code, p.row) for p in problems] == [("duplicate_name", 3)]
    assert problems[0].message == message("duplicate_name", value="g", first_row=2)


def test_a_thousand_nested_groups_is_a_clear_error_not_a_crash():
    depth = 1000
    survey = [["type", "name", "label"]]
    survey += [["begin group", f"g{i}", "G"] for i in range(depth)]
    survey += [["integer", "q", "Q?"]] + [["end group", "", ""]] * depth
    definition, problems = check_workbook(build_xlsx(survey, YES_NO), "t.xlsx")
    assert definition is None
    (p,) = problems
    assert (p.code, p.row) == ("too_deep", 102)
    assert p.message == message("too_deep", limit=100)


@pytest.mark.parametrize("written", ["geopoint", "image", "audio", "video", "barcode",
                                     "geotrace", "geoshape", "file", "start-geopoint"])
def test_device_only_types_are_a_clear_error(written):
    survey = [["type", "name", "label"], ["integer", "a", "A?"], ["integer", "b", "B?"],
              ["integer", "c", "C?"], ["integer", "d", "D?"], ["integer", "e", "E?"],
              [written, "where", "Where?"]]
    _, problems = check_workbook(build_xlsx(survey, YES_NO), "t.xlsx")
    (p,) = problems
    assert (p.code, p.level, p.row, p.column) == ("device_only_type", "error", 7, "type")
    assert p.message == f"a telephone interview cannot ask '{written}' (row 7)"


def test_a_reference_to_a_refused_row_is_not_reported_again():
    survey = [["type", "name", "label", "relevant"], ["audio", "rec", "Record", ""],
              ["text", "why", "Why no recording?", "${rec} = ''"]]
    _, problems = check_workbook(build_xlsx(survey, YES_NO), "t.xlsx")
    assert [p.code for p in problems] == ["device_only_type"]


def test_last_saved_and_null_as_odk_forms_write_them():
    survey = [["type", "name", "label", "default", "calculation"],
              ["text", "village", "Village?", "${last-saved#village}", ""],
              ["calculate", "empty", "", "", "if(${village} = 'x', null, ${village})"]]
    definition, problems = check_workbook(build_xlsx(survey, YES_NO), "t.xlsx")
    assert problems == []
    session = Session(definition)
    assert session.current().default == ""  # no earlier form on a telephone interview
    session.answer("x")
    assert session.data["empty"] is None
