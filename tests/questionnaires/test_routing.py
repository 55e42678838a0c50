import datetime as dt

import pytest

from questionnaires.engine import (
    EngineError,
    Session,
    apply_answer,
    next_question,
    route,
    validate_answer,
)

from .helpers import form

CRIMES = [["list_name", "name", "label", "cat"], ["yn", "1", "Yes", ""], ["yn", "2", "No", ""],
          ["crime", "burglary", "Burglary", "physical"], ["crime", "hacking", "Hacking", "online"],
          ["crime", "robbery", "Robbery", "physical"], ["crime", "none", "None", ""]]


@pytest.fixture
def simple():
    return form(
        ["note", "hello", "Welcome"],
        ["select_one yn", "trading", "Trading?", "", "", "", "yes"],
        ["integer", "staff", "Staff?", "${trading} = 1", ". >= 1 and . <= 999", "", "yes",
         "yes", "yes"],
        ["begin group", "g", "Group", "${staff} > 5"],
        ["text", "detail", "You have ${staff} staff; trading ${trading}. Why?"],
        ["end group"],
        ["calculate", "big", "", "", "", "if(${staff} > 5, 1, 0)"],
        ["text", "last", "Last?"],
    )


def test_next_question_routes_and_pipes(simple):
    first = next_question(simple, {})
    assert (first.path, first.notes, first.required) == ("trading", ("Welcome",), True)
    assert [o.label for o in first.choices] == ["Yes", "No"]
    assert next_question(simple, {"trading": "2"}).path == "last"
    assert next_question(simple, {"trading": "1"}).path == "staff"
    assert next_question(simple, {"trading": "1", "staff": 3}).path == "last"
    prompt = next_question(simple, {"trading": "1", "staff": 9})
    assert prompt.path == "detail"
    assert prompt.label == "You have 9 staff; trading Yes. Why?"


def test_route_reports_path_progress_values_and_drops(simple):
    answers = {"trading": "1", "staff": 9, "detail": "x"}
    r = route(simple, answers)
    assert r.path == ["trading", "staff", "detail"]
    assert r.next.path == "last"
    assert r.values == {"big": 1}
    assert r.progress == pytest.approx(3 / 4)
    r = route(simple, {**answers, "trading": "2"})
    assert r.dropped == {"staff": 9, "detail": "x"}
    assert r.answers == {"trading": "2"}
    assert r.values == {"big": 0}


def test_changing_an_earlier_answer_reroutes_and_keeps_the_audit(simple):
    answers = {"trading": "1", "staff": 9, "detail": "x", "last": "y"}
    applied = apply_answer(simple, answers, "staff", "2")
    assert applied.answers == {"trading": "1", "staff": 2, "last": "y"}
    assert [(a.event, a.path, a.old, a.new) for a in applied.audit] == [
        ("changed", "staff", 9, 2), ("dropped", "detail", "x", None)]
    assert applied.route.complete


def test_answers_can_only_go_to_the_route(simple):
    with pytest.raises(EngineError) as info:
        apply_answer(simple, {}, "last", "x")
    assert info.value.errors[0].code == "not_reachable"
    with pytest.raises(EngineError) as info:
        apply_answer(simple, {}, "nowhere", "x")
    assert info.value.errors[0].code == "unknown_path"


@pytest.mark.parametrize(("path", "value", "ok", "stored", "code"), [
    ("trading", "", False, None, "required"),
    ("trading", "3", False, None, "not_a_choice"),
    ("trading", " 1 ", True, "1", None),
    ("staff", "12", True, 12, None),
    ("staff", 12, True, 12, None),
    ("staff", "1.5", False, None, "not_integer"),
    ("staff", "0", False, None, "constraint"),
    ("staff", "1000", False, None, "constraint"),
    ("staff", "-8", True, -8, None),
    ("staff", -9, True, -9, None),
    ("staff", "-7", False, None, "constraint"),
    ("last", "", True, None, None),
    ("last", "x" * 3000, False, None, "text_too_long"),
    ("big", "1", False, None, "not_answerable"),
])
def test_validate_answer(simple, path, value, ok, stored, code):
    result = validate_answer(simple, {"trading": "1", "staff": 9}, path, value)
    assert result.ok is ok
    assert result.value == stored
    assert [e.code for e in result.errors] == ([code] if code else [])


def test_validate_types_and_custom_constraint_message():
    d = form(["decimal", "d", "D?"], ["date", "when", "When?"],
             ["select_multiple crime", "m", "M?", "", "not(selected(., 'none') and "
              "count-selected(.) > 1)"],
             header=["type", "name", "label", "relevant", "constraint"], choices=CRIMES)
    assert validate_answer(d, {}, "d", "2.5").value == 2.5
    assert validate_answer(d, {}, "d", "abc").errors[0].code == "not_decimal"
    assert validate_answer(d, {}, "d", "nan").errors[0].code == "not_decimal"
    assert validate_answer(d, {}, "when", "2025-02-30").errors[0].code == "not_date"
    assert validate_answer(d, {}, "when", dt.date(2025, 1, 2)).value == "2025-01-02"
    assert validate_answer(d, {}, "m", "robbery burglary").value == ["burglary", "robbery"]
    assert validate_answer(d, {}, "m", ["burglary", "burglary"]).errors[0].code == \
        "duplicate_choice"
    assert validate_answer(d, {}, "m", ["none", "burglary"]).errors[0].code == "constraint"
    assert validate_answer(d, {}, "m", ["arson"]).errors[0].code == "not_a_choice"


def test_choice_filter_and_constraint_message():
    d = form(["select_one crime", "kind", "Kind?", "cat = 'online'", ". != 'none'", "Not none"],
             header=["type", "name", "label", "choice_filter", "constraint",
                     "constraint_message"], choices=CRIMES)
    prompt = next_question(d, {})
    assert [o.name for o in prompt.choices] == ["hacking"]
    assert validate_answer(d, {}, "kind", "burglary").errors[0].code == "not_a_choice"
    assert validate_answer(d, {}, "kind", "hacking").ok


def test_repeat_over_selected_choices():
    d = form(
        ["select_multiple crime", "crimes", "Which crimes?"],
        ["begin repeat", "detail", "Detail", "not(selected(${crimes}, 'none'))", "", "", "",
         "", "", "count-selected(${crimes})"],
        ["calculate", "which", "", "", "", "${detail}"],
        ["integer", "incidents", "How many ${detail} incidents (item ${which}, number "
         "${pos})?", "", ". >= 1"],
        ["calculate", "pos", "", "", "", "position(..)"],
        ["integer", "cost", "Cost?", "${incidents} > 1"],
        ["end repeat"],
        ["calculate", "total", "", "", "", "sum(${incidents})"],
        ["calculate", "instances", "", "", "", "count(${incidents})"],
        choices=CRIMES)
    s = Session(d)
    s.answer(["robbery", "burglary"])
    prompt = s.current()
    assert prompt.path == "detail[burglary]/incidents"
    assert prompt.label == "How many Burglary incidents (item burglary, number 1)?"
    assert (prompt.repeat, prompt.instance, prompt.position) == ("detail", "burglary", 1)
    s.answer("1")
    assert s.current().path == "detail[robbery]/incidents"
    s.answer("4")
    assert s.current().path == "detail[robbery]/cost"
    s.answer("100")
    assert s.complete
    data = s.data
    assert data["detail[robbery]/incidents"] == 4
    assert data["total"] == 5 and data["instances"] == 2
    assert data["detail[robbery]/pos"] == 2
    # dropping robbery removes its instance's answers into the audit
    s.back()
    s.back()
    s.back()
    assert s.back().path == "crimes"
    s.answer(["burglary"])
    assert "detail[robbery]/incidents" not in s.answers
    dropped = {a.path for a in s.audit if a.event == "dropped"}
    assert dropped == {"detail[robbery]/incidents", "detail[robbery]/cost"}


def test_counted_repeat_and_nested_groups():
    d = form(
        ["integer", "n", "How many sites?"],
        ["begin repeat", "site", "Site", "", "", "", "", "", "", "${n}"],
        ["begin group", "g", "G", "position(..) != 2"],
        ["text", "street", "Street of site ${site}?"],
        ["end group"],
        ["end repeat"],
    )
    s = Session(d)
    s.answer(3)
    assert s.current().label == "Street of site 1?"
    s.answer("a")
    assert s.current().path == "site[3]/street"  # site 2 skipped by the group's relevance
    s.answer("c")
    assert s.complete and s.route().path == ["n", "site[1]/street", "site[3]/street"]


def test_session_dont_know_refuse_and_back(simple):
    s = Session(simple)
    s.answer("1")
    s.dont_know()
    assert s.answers["staff"] == -8
    assert s.current().path == "last"
    p = s.back()
    assert (p.path, p.answer) == ("staff", -8)
    s.refuse()
    assert s.answers["staff"] == -9
    with pytest.raises(EngineError) as info:
        Session(simple).dont_know()  # trading offers no don't know
    assert info.value.errors[0].code == "code_not_allowed"
    assert [a.event for a in s.audit] == ["answered", "answered", "changed"]


def test_back_then_forward_through_answered_questions(simple):
    s = Session(simple, {"trading": "1", "staff": 3})
    assert s.current().path == "last"
    assert s.back().path == "staff"
    assert s.back().path == "trading"
    assert s.back().path == "trading"  # nothing before the first question
    assert s.answer("1").path == "staff"  # unchanged: walk forward to the next answered one
    assert s.answer("3").path == "last"


def test_today_and_language():
    d = form(["date", "when", "When?", "", ". <= today()"],
             header=["type", "name", "label::English (en)", "label::Cymraeg (cy)",
                     "constraint"][:3] + ["relevant", "constraint"])
    assert validate_answer(d, {}, "when", "2030-01-01", today=dt.date(2025, 1, 1)).errors
    assert validate_answer(d, {}, "when", "2020-01-01", today=dt.date(2025, 1, 1)).ok
    d = form(["integer", "n", "Number?", "Rhif?"],
             header=["type", "name", "label::English (en)", "label::Cymraeg (cy)"])
    assert next_question(d, {}, language="Cymraeg (cy)").label == "Rhif?"
    assert next_question(d, {}).label == "Number?"
