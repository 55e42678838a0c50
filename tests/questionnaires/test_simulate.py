"""Simulated interviews find what a questionnaire's author wants to know before fieldwork."""

import random

import pandas as pd
from django.core.management import call_command

from questionnaires.engine import load_workbook
from questionnaires.engine.simulate import simulate

from .helpers import YES_NO, build_xlsx

HEAD = ["type", "name", "label", "relevant", "constraint", "calculation", "dont_know",
        "refused", "required"]
SURVEY = [HEAD,
          ["select_one yn", "owner", "Are you the owner?", "", "", "", "-8", "-9", "yes"],
          ["integer", "staff", "How many staff?", "${owner} = 1", ". >= 0", "", "-8", "", ""],
          ["integer", "never", "Never asked", "false()", "", "", "", "", ""],
          ["integer", "impossible", "No value will do", "", ". > 5 and . < 3", "", "", "",
           "yes"],
          ["calculate", "bad", "", "", "", "indexed-repeat(${staff}, ${r}, 1)", "", "", ""],
          ["begin repeat", "r", "R", "", "", "", "", "", ""],
          ["text", "who", "Who?", "", "", "", "", "", ""],
          ["end repeat", "", "", "", "", "", "", "", ""]]


def test_the_report_finds_unreached_questions_impossible_constraints_and_failing_calculates():
    definition = load_workbook(build_xlsx(SURVEY, YES_NO), "s.xlsx")
    report = simulate(definition, 40, random.Random(1), dont_know_rate=0.1, refused_rate=0.1)
    assert report.never_reached == ["never", "who"]  # who: after the impossible question
    assert report.always_rejected == ["impossible"]
    assert report.failed_calculates == {"bad": 40}
    assert report.completed == 0  # every interview sticks at the impossible question
    assert len(report.route_lengths) == 40
    summary = report.length_summary(seconds_per_question=30)
    assert summary["min"] <= summary["median"] <= summary["max"]
    assert summary["expected_minutes"] == round(summary["mean"] * 30 / 60, 1)
    assert sum(n for _, _, n in report.histogram()) == 40


def test_the_same_seed_gives_the_same_interviews():
    definition = load_workbook(build_xlsx(SURVEY, YES_NO), "s.xlsx")
    one = simulate(definition, 10, random.Random(7))
    two = simulate(definition, 10, random.Random(7))
    assert one.answers == two.answers


def test_command_reports_and_writes_the_respondent_table(tmp_path, capsys):
    path = tmp_path / "s.xlsx"
    survey = [row[:-1] if row[1] == "impossible" else row for row in SURVEY
              if row[1] != "impossible"]
    path.write_bytes(build_xlsx(survey, YES_NO))
    out = tmp_path / "sim.csv"
    call_command("simulate_questionnaire", str(path), "--interviews", "30", "--seed", "1",
                 "--seconds-per-question", "15", "--out", str(out))
    text = capsys.readouterr().out
    assert "30 simulated interviews" in text
    assert "questions never reached: never" in text
    assert "calculates that failed (interviews): bad (30)" in text
    assert "expected interview length at 15 s a question" in text
    table = pd.read_csv(out)
    assert len(table) == 30 and "staff" in table.columns
