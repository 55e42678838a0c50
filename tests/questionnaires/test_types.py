"""The XLSForm types of issue 15, each routed and validated in an interview."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from questionnaires.engine import (
    EngineError,
    Session,
    check_workbook,
    codebook,
    load_workbook,
    respondent_table,
)
from questionnaires.engine.routing import validate_answer
from questionnaires.engine.walker import MAX_ASKED

from .helpers import YES_NO, build_xlsx

HEAD = ["type", "name", "label", "parameters", "default", "calculation", "repeat_count"]


def load(*rows, choices=YES_NO, extra=None, files=None):
    return load_workbook(build_xlsx([HEAD, *rows], choices, None, extra), "t.xlsx",
                         files=files)


def refused(session, value):
    with pytest.raises(EngineError) as info:
        session.answer(value)
    return info.value.errors[0].code


def test_time_and_datetime():
    d = load(["time", "t", "When?"], ["datetime", "dt", "And when exactly?"])
    s = Session(d)
    assert refused(s, "25:00") == "not_time"
    s.answer("09:30")
    assert refused(s, "yesterday") == "not_datetime"
    s.answer("2025-03-01T09:30")
    assert s.answers == {"t": "09:30", "dt": "2025-03-01T09:30:00"}


def test_acknowledge_and_trigger():
    d = load(["acknowledge", "consent", "I have read the statement"], ["trigger", "ok2", "OK?"])
    s = Session(d)
    assert [o.name for o in s.current().choices] == ["OK"]
    assert refused(s, "no") == "not_acknowledged"
    assert s.answer("ok").type == "acknowledge"
    assert s.answers == {"consent": "OK"}


def test_range_with_its_parameters():
    d = load(["range", "score", "Score?", "start=0 end=10 step=2"], ["range", "plain", "P?"])
    s = Session(d)
    assert s.current().parameters == {"start": "0", "end": "10", "step": "2"}
    assert refused(s, 5) == "out_of_range"
    assert refused(s, 12) == "out_of_range"
    s.answer("4")
    assert refused(s, 0) == "out_of_range"  # default 1..10
    s.answer(10)
    assert s.answers == {"score": 4, "plain": 10}


def test_range_parameters_are_checked():
    _, problems = check_workbook(build_xlsx([HEAD, ["range", "r", "R?", "start=0 colour=red"]],
                                            YES_NO), "t.xlsx")
    assert [(p.code, p.level) for p in problems] == [("unused_parameter", "warning")]
    _, problems = check_workbook(build_xlsx([HEAD, ["range", "r", "R?", "start 0"]], YES_NO),
                                 "t.xlsx")
    assert [p.code for p in problems] == ["invalid_parameters"]


def test_rank_orders_every_choice_and_fills_one_column_per_choice():
    choices = [["list_name", "name", "label"], ["p", "a", "A"], ["p", "b", "B"], ["p", "c", "C"]]
    d = load(["rank p", "pref", "Rank them"], choices=choices)
    s = Session(d)
    assert refused(s, "a b") == "not_ranked"
    s.answer("c a b")
    assert s.answers == {"pref": ["c", "a", "b"]}
    table = respondent_table(d, [s.answers])
    assert table.loc[0, ["pref__a", "pref__b", "pref__c"]].tolist() == [2, 3, 1]


CSV = b"name,label,region\nnorth,North of the river,n\nsouth,South of the river,s\n"


def test_select_one_from_file_as_a_sheet():
    sheet = [["name", "label", "region"], ["north", "North"], ["south", "South"]]
    d = load(["select_one_from_file areas.csv", "area", "Where?"],
             extra={"areas.csv": sheet})
    assert [o.name for o in Session(d).current().choices] == ["north", "south"]


def test_select_multiple_from_file_beside_the_workbook(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(build_xlsx([HEAD, ["select_multiple_from_file areas.csv", "areas",
                                        "Where?"]], YES_NO))
    (tmp_path / "areas.csv").write_bytes(CSV)
    d = load_workbook(path)
    s = Session(d)
    assert [o.label for o in s.current().choices] == ["North of the river",
                                                      "South of the river"]
    s.answer("south north")
    assert s.answers == {"areas": ["north", "south"]}


def test_from_file_given_with_the_upload_and_a_missing_file():
    d = load(["select_one_from_file areas.csv", "area", "Where?"], files={"areas.csv": CSV})
    assert len(d.choices["areas.csv"]) == 2
    _, problems = check_workbook(build_xlsx([HEAD, ["select_one_from_file none.csv", "a", "A?"]],
                                            YES_NO), "t.xlsx")
    assert [(p.code, p.row) for p in problems] == [("missing_file", 2)]


def test_hidden_and_metadata_values():
    d = load(["start", "started", ""], ["end", "ended", ""], ["today", "day", ""],
             ["username", "who", ""], ["phonenumber", "phone", ""], ["deviceid", "dev", ""],
             ["email", "mail", ""], ["hidden", "wave", "", "", "7"],
             ["integer", "n", "N?"])
    start = dt.datetime(2025, 3, 1, 9, 0)
    s = Session(d, today=dt.date(2025, 3, 1),
                meta={"start": start.isoformat(), "end": "2025-03-01T09:30:00",
                      "username": "interviewer7"})
    assert s.current().path == "n"  # none of them is asked
    s.answer(3)
    assert s.data == {"n": 3, "started": "2025-03-01T09:00:00", "ended": "2025-03-01T09:30:00",
                      "day": "2025-03-01", "who": "interviewer7", "phone": None, "dev": None,
                      "mail": None, "wave": "7"}
    assert {v["name"] for v in codebook(d)["variables"]} >= {"started", "who", "wave"}


def test_device_metadata_is_warned():
    definition, problems = check_workbook(build_xlsx([HEAD, ["audit", "audit", ""],
                                                      ["integer", "n", "N?"]], YES_NO), "t.xlsx")
    assert [(p.code, p.level) for p in problems] == [("no_effect_type", "warning")]
    assert [i.name for i in definition.iter_items()] == ["n"]


def test_a_question_with_a_calculation_is_not_asked():
    d = load(["integer", "n", "N?"], ["integer", "double", "Double", "", "", "${n} * 2"],
             ["integer", "m", "M?"])
    s = Session(d)
    assert s.answer(4).path == "m"
    assert s.data["double"] == 8


REPEAT = [["begin repeat", "person", "Person"], ["text", "pname", "Name?"],
          ["integer", "age", "Age?"], ["end repeat", ""], ["integer", "after", "After?"]]


def test_a_repeat_without_count_asks_add_another():
    d = load(*REPEAT)
    s = Session(d)
    first = s.current()
    assert (first.path, first.type) == ("person[1]/person@another", "another")
    assert first.label == "Add a new 'Person'?"
    assert [o.name for o in first.choices] == ["yes", "no"]
    assert s.answer("yes").path == "person[1]/pname"
    s.answer("Ann")
    assert s.answer(40).path == "person[2]/person@another"
    s.answer("yes")
    s.answer("Bob")
    s.answer(7)
    assert s.answer("no").path == "after"
    s.answer(1)
    assert s.complete
    assert s.data["person[2]/pname"] == "Bob"
    # going back and saying no earlier drops the later instances
    s.answer("no", "person[2]/person@another")
    assert "person[2]/pname" not in s.answers


def test_a_repeat_without_count_stops_at_the_limit():
    d = load(*REPEAT)
    s = Session(d)
    for _ in range(MAX_ASKED):
        s.answer("yes")
        s.answer("X")
        s.answer(1)
    assert s.current().path == "after"


def test_codebook_and_respondent_table_take_a_variable_count():
    d = load(*REPEAT)
    cases = []
    for n in (1, 3, 0):
        s = Session(d)
        for i in range(n):
            s.answer("yes")
            s.answer(f"P{i}")
            s.answer(20 + i)
        s.answer("no")
        s.answer(0)
        cases.append(s.answers)
    table = respondent_table(d, cases)
    assert [c for c in table.columns if c.startswith("age")] == ["age__1", "age__2", "age__3"]
    assert table["age__3"].isna().tolist() == [True, False, True]
    entry = next(v for v in codebook(d)["variables"] if v["name"] == "age")
    assert entry["columns"] == ["age__<instance>"]
    assert "as many as the interviewer adds" in entry["instances"]


def test_a_read_only_question_with_a_default_holds_the_default():
    d = load_workbook(build_xlsx([["type", "name", "label", "read_only", "default"],
                                  ["text", "region", "Region", "yes", "London"],
                                  ["integer", "n", "N?"]], YES_NO), "t.xlsx")
    s = Session(d)
    assert s.current().path == "n"
    assert s.data["region"] == "London"


ANY_ANSWER = st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=25),
                       st.lists(st.text(max_size=5), max_size=4), st.booleans(),
                       st.sampled_from(["OK", "yes", "no", "12:30", "2025-01-01T10:00",
                                        "a b c", "c a b", "4"]))
TYPED = load(["time", "t", "T?"], ["datetime", "dt", "DT?"],
             ["range", "r", "R?", "start=0 end=10 step=2"], ["rank p", "k", "K?"],
             ["acknowledge", "ok", "OK?"], *REPEAT,
             choices=[["list_name", "name", "label"], ["p", "a", "A"], ["p", "b", "B"],
                      ["p", "c", "C"]])


@settings(max_examples=150, deadline=None)
@given(ANY_ANSWER, st.sampled_from(["t", "dt", "r", "k", "ok", "person[1]/person@another"]))
def test_any_answer_to_the_new_types_is_stored_normalised_or_refused(value, path):
    checked = validate_answer(TYPED, {}, path, value)
    assert checked.ok or checked.errors
    if checked.ok and checked.value is not None:
        again = validate_answer(TYPED, {}, path, checked.value)
        assert again.ok and again.value == checked.value  # normalised values are stable


def test_metadata_rows_in_the_respondent_table_come_from_the_interview():
    from questionnaires.engine.respondents import CaseClock, respondent_table

    d = load(["start", "started", ""], ["end", "ended", ""], ["today", "day", ""],
             ["username", "who", ""], ["integer", "n", "N?"])
    clock = CaseClock(today=dt.date(2025, 3, 1), now=dt.datetime(2025, 3, 1, 9, 30),
                      start=dt.datetime(2025, 3, 1, 9, 0), end=dt.datetime(2025, 3, 1, 9, 30),
                      username="interviewer7")
    table = respondent_table(d, [{"n": 3}], clocks=[clock])
    row = table.iloc[0]
    assert (row["started"], row["ended"], row["who"]) == (
        "2025-03-01T09:00:00", "2025-03-01T09:30:00", "interviewer7")
