"""The shipped BAS questionnaire: loads clean, is reproducible, and routes real interviews."""

from pathlib import Path

import pytest

from questionnaires.engine import (
    Definition,
    Session,
    check_workbook,
    load_workbook,
    prompt_for,
)
from questionnaires.forms_data import build_bas_workbook

BAS = Path(build_bas_workbook.__file__).with_name("bas_questionnaire.xlsx")


@pytest.fixture(scope="module")
def bas() -> Definition:
    return load_workbook(BAS)


def test_the_shipped_workbook_checks_clean(bas):
    assert check_workbook(BAS)[1] == []
    summary = bas.summary()
    assert summary["form_id"] == "bas"
    assert summary["questions"] >= 30 and summary["repeats"] == 1


def test_the_workbook_is_built_by_the_script(tmp_path, bas):
    rebuilt = load_workbook(build_bas_workbook.build(tmp_path / "bas.xlsx"))
    assert rebuilt.to_dict() == bas.to_dict()


def test_analysis_variables_and_codes(bas):
    names = set(bas.by_name)
    assert {"borough", "sector", "employees", "size_band", "confidence_police",
            "victim_online", "victim_fraud", "victim_any", "victim_burglary",
            "crime_detail", "incidents", "cost", "reported", "report_satisfaction",
            "not_reported_reasons", "cyber_essentials", "action_fraud_aware"} <= names
    boroughs = bas.choices["borough"]
    assert len(boroughs) == 33
    assert (boroughs[0].name, boroughs[-1].name) == ("E09000001", "E09000033")
    assert [c.name for c in bas.choices["sector"]] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert [c.name for c in bas.choices["confidence5"]][:2] == ["1", "2"]
    assert bas.choice_label("confidence5", "1") == "Very confident"
    assert bas.by_name["confidence_police"].dont_know == -8
    assert bas.by_name["confidence_police"].refused == -9


SCREENER = {"right_person": "1", "respondent_role": "1", "london_address": "1",
            "borough": "E09000028", "sector": "I", "employees": "12"}


def interview(bas, script: dict, default=None) -> Session:
    """Answer every question from ``script`` (by name), else the first choice / a number."""
    s = Session(bas)
    for _ in range(300):
        prompt = s.current()
        if prompt is None:
            return s
        value = script.get(prompt.name, default)
        if callable(value):
            value = value(prompt)
        if value is None:
            value = prompt.choices[0].name if prompt.choices else (
                "2" if prompt.type in ("integer", "decimal") else "nothing to add")
        if value == "DK":
            s.dont_know()
        else:
            s.answer(value)
    raise AssertionError("interview did not finish")


def test_a_non_victim_interview(bas):
    s = interview(bas, {**SCREENER, "crime_types": ["none"], "prevention_measures": ["cctv"]})
    data = s.data
    assert data["victim_any"] == 0 and data["victim_online"] == 0
    assert data["size_band"] == 2
    assert not any(path.startswith("crime_detail[") for path in data)
    assert s.route().progress == 1.0


def test_a_victim_of_burglary_and_phishing(bas):
    s = interview(bas, {**SCREENER, "crime_types": ["burglary", "phishing"],
                        "reported": lambda p: "2" if "phishing" in p.path else "4",
                        "prevention_measures": ["alarm", "firewall"]})
    data = s.data
    assert (data["victim_burglary"], data["victim_phishing"], data["victim_online"],
            data["victim_fraud"], data["victim_any"]) == (1, 1, 1, 0, 1)
    assert data["crime_detail[burglary]/crime_channel"] == "police"
    assert data["crime_detail[phishing]/crime_channel"] == "action_fraud"
    assert data["crime_detail[phishing]/reported"] == "2"
    assert "crime_detail[phishing]/report_satisfaction" in data
    assert data["crime_detail[burglary]/reported"] == "4"
    assert data["crime_detail[burglary]/not_reported_reasons"] == ["too_trivial"]
    # Action Fraud is only offered for fraud and online crime
    burglary = prompt_for(bas, s.answers, "crime_detail[burglary]/reported")
    phishing = prompt_for(bas, s.answers, "crime_detail[phishing]/reported")
    assert [o.name for o in burglary.choices] == ["1", "4"]
    assert [o.name for o in phishing.choices] == ["1", "2", "3", "4"]


def test_the_wrong_person_and_a_business_outside_london_are_screened_out(bas):
    s = interview(bas, {"right_person": "3"})
    assert s.data["eligible"] == 0 and "borough" not in s.data
    s = interview(bas, {"right_person": "1", "london_address": "2"})
    assert list(s.answers) == ["right_person", "respondent_role", "london_address"]
    assert s.route().closing_notes[0].startswith("Thank you for your time")


def test_dont_know_employees_asks_the_band_and_dk_crimes_leave_flags_missing(bas):
    s = interview(bas, {**SCREENER, "employees": "DK", "employees_band": "3",
                        "crime_types": "DK", "prevention_measures": ["cctv"]})
    data = s.data
    assert data["employees"] == -8 and data["size_band"] == 3
    assert data["crime_types"] == -8
    assert data["victim_any"] is None and data["victim_burglary"] is None


def test_incidents_are_bounded_and_labels_are_piped(bas):
    s = Session(bas)
    for value in [*SCREENER.values()]:
        s.answer(value)
    while s.current().name != "crime_types":
        s.answer(s.current().choices[0].name)
    s.answer(["robbery"])
    prompt = s.current()
    assert prompt.path == "crime_detail[robbery]/incidents"
    assert "robbery or attempted robbery" in prompt.label.lower()
    from questionnaires.engine import EngineError

    with pytest.raises(EngineError, match="1 to 999"):
        s.answer("1000")
    s.answer("999")
