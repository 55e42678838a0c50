"""AAPOR dispositions and rates, on a worked example computed by hand."""

import pytest

from survey.aapor import (
    DISPOSITIONS,
    OUTCOMES,
    Group,
    final_disposition,
    group_counts,
    outcome_rates,
)

# A worked example: 1,000 cases.
# I=400 P=20 R=150 NC=100 O=30 UH=200 UO=20 NE=80.
EXAMPLE = {Group.I: 400, Group.P: 20, Group.R: 150, Group.NC: 100, Group.O: 30,
           Group.UH: 200, Group.UO: 20, Group.NE: 80}


def test_rates_on_the_worked_example():
    rates = outcome_rates(EXAMPLE)
    # e = (400+20+150+100+30) / (700+80) = 700/780
    e = 700 / 780
    assert rates["e"] == pytest.approx(e)
    assert rates["RR1"] == pytest.approx(400 / 920)          # 0.43478
    assert rates["RR2"] == pytest.approx(420 / 920)
    assert rates["RR3"] == pytest.approx(400 / (700 + e * 220))
    assert rates["RR3"] == pytest.approx(0.445714, abs=5e-7)
    assert rates["RR5"] == pytest.approx(400 / 700)
    assert rates["COOP1"] == pytest.approx(400 / 600)        # I/((I+P)+R+O)
    assert rates["COOP3"] == pytest.approx(400 / 570)
    assert rates["REF1"] == pytest.approx(150 / 920)
    assert rates["CON1"] == pytest.approx(600 / 920)
    assert rates["CON3"] == pytest.approx(600 / 700)


def test_rates_with_a_given_e_and_an_empty_denominator():
    assert outcome_rates(EXAMPLE, e=1.0)["RR3"] == pytest.approx(outcome_rates(EXAMPLE)["RR1"])
    empty = outcome_rates(dict.fromkeys(Group, 0))
    assert empty["RR1"] is None and empty["COOP1"] is None


def test_every_outcome_has_a_known_disposition():
    for outcome in OUTCOMES.values():
        assert outcome.code in DISPOSITIONS
    assert DISPOSITIONS["4.51"].group is Group.NE


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], "3.11"),
        (["3.13", "3.12", "3.13"], "3.13"),
        (["3.12", "3.14"], "3.14"),
        (["3.13", "2.21", "3.13"], "2.21"),
        (["2.22", "3.13"], "2.22"),
        (["3.13", "2.21", "1.1"], "1.1"),
        (["2.21", "2.11"], "2.11"),
        (["3.13", "4.30"], "4.30"),
        (["1.2", "3.13"], "1.2"),
    ],
)
def test_final_disposition_follows_aapor_rules(codes, expected):
    assert final_disposition(codes) == expected


def test_group_counts():
    counts = group_counts(["1.1", "1.1", "2.11", "3.13", "4.20"])
    assert counts[Group.I] == 2 and counts[Group.R] == 1
    assert counts[Group.UH] == 1 and counts[Group.NE] == 1 and counts[Group.P] == 0


def test_the_formula_text_and_the_arithmetic_come_from_one_table():
    from survey.aapor import RATES, SUPERVISION_RATES, rate_formula

    assert rate_formula("RR1") == "I / ((I+P) + (R+NC+O) + (UH+UO))"
    assert rate_formula("RR3") == "I / ((I+P) + (R+NC+O) + e(UH+UO))"
    assert rate_formula("COOP1") == "I / ((I+P) + R + O)"
    assert rate_formula("CON1") == "((I+P) + R + O) / ((I+P) + (R+NC+O) + (UH+UO))"
    assert set(SUPERVISION_RATES) <= set(RATES) and len(RATES) == 16
