"""Borough figures as published (pure): the small-area run's choice combined with disclosure
control, the model-based interval, the notes, and change hidden where the published figure is
not the wave's own direct estimate."""

import math

import pytest

from analysis.core.small_area import PublicationRule
from exports.borough_sources import (
    MODEL_CI_METHOD,
    BoroughEstimates,
    disclosure_statement,
    with_sources,
)
from exports.disclosure import DisclosureRules
from exports.tables import change_rows, published_rows
from tests.exports.helpers import estimate_rows

BOROUGHS = ("E09000001", "E09000002", "E09000003", "E09000004")
RULES = DisclosureRules(threshold=30)


def chosen(borough: str, source: str, *, n: int = 50, direct: float = 0.27, eblup: float = 0.3,
           mse: float = 0.0016, measure: str = "victim_online") -> dict:
    rrmse = math.sqrt(mse) / eblup
    shown = {"direct": (direct, direct - 0.05, direct + 0.05), "pooled": (direct, 0.2, 0.34),
             "model-based": (eblup, eblup - 1.96 * math.sqrt(mse),
                             eblup + 1.96 * math.sqrt(mse))}.get(source, (None, None, None))
    return {"measure": measure, "borough": borough, "n": n, "direct": direct, "eblup": eblup,
            "mse": mse, "rrmse": rrmse, "source": source, "estimate": shown[0],
            "ci_low": shown[1], "ci_high": shown[2],
            "note": f"rule's note for {borough}: direct CV 12.0%"}


def small_area(*rows, rule=None) -> BoroughEstimates:
    return BoroughEstimates(run_id=7, notes=("Fay-Herriot by REML.", "The rule."),
                            rule=(rule or PublicationRule()).as_dict(), rows=tuple(rows))


def borough(rows: list[dict], code: str) -> dict:
    return next(r for r in rows if r["breakdown"] == "borough" and r["domain"] == code)


@pytest.fixture
def published():
    # bases 50, 20, 45, 35: E09000002 is under 30 (primary), and one more is withheld with it
    return published_rows(estimate_rows(bases=(50, 20, 45, 35)), RULES)


def test_without_borough_estimates_every_row_says_it_is_direct(published):
    rows = with_sources(published, None, RULES)
    assert [r["source"] for r in rows] == ["" if r["suppressed"] else "direct" for r in rows]
    assert {r["note"] for r in rows} == {""}
    assert [{k: v for k, v in r.items() if k not in ("source", "note")} for r in rows] == published


def test_a_direct_estimate_the_cell_rule_lets_out_is_published_as_it_is(published):
    rows = with_sources(published, small_area(chosen("E09000001", "direct")), RULES)
    row = borough(rows, "E09000001")
    assert row["source"] == "direct" and not row["suppressed"]
    assert row["estimate"] == 0.27 and row["ci_low"] == 0.22 and row["unweighted_base"] == 50
    assert row["note"].startswith("rule's note")
    assert borough(rows, "E09000001")["ci_method"] != MODEL_CI_METHOD


def test_a_model_based_estimate_has_the_eblup_interval_clipped_and_its_base(published):
    low_eblup = chosen("E09000001", "model-based", eblup=0.03, mse=0.0004)
    rows = with_sources(published, small_area(low_eblup), RULES)
    row = borough(rows, "E09000001")
    assert row["source"] == "model-based" and not row["suppressed"]
    assert row["estimate"] == 0.03 and row["ci_method"] == MODEL_CI_METHOD
    # the stored interval (the rule's) is published: here it goes below 0 before clipping
    assert row["ci_low"] == round(0.03 - 1.96 * 0.02, 3)
    assert row["unweighted_base"] == 50


def test_a_withheld_direct_estimate_is_replaced_by_a_model_based_one_that_passes(published):
    withheld = [r["domain"] for r in published if r["breakdown"] == "borough"
                and r["suppressed"]]
    assert "E09000002" in withheld and len(withheld) == 2  # primary and secondary
    rule = PublicationRule(model_threshold=0.8)  # lets an interval reach below 0
    rows = with_sources(published, small_area(
        *(chosen(code, "direct", n=20 if code == "E09000002" else 35, eblup=0.02,
                 mse=0.012 ** 2) for code in withheld), rule=rule), RULES)
    for code in withheld:
        row = borough(rows, code)
        assert row["source"] == "model-based" and row["estimate"] == 0.02
        # EBLUP +/- 1.96 root MSE clipped to [0, 1]
        assert row["ci_low"] == 0.0 and row["ci_high"] == round(0.02 + 1.96 * 0.012, 3)
        assert row["unweighted_base"] is None  # the small count is not shown
        assert "withheld by disclosure control" in row["note"] and "CV" not in row["note"]


def test_withheld_and_no_model_that_passes_is_suppressed_with_the_cell_reason(published):
    rows = with_sources(published, small_area(chosen("E09000002", "model-based", n=20,
                                                     eblup=0.1, mse=0.01)), RULES)
    row = borough(rows, "E09000002")
    assert row["suppressed"] and row["source"] == "" and row["suppression"] == "primary"
    assert row["estimate"] is row["ci_low"] is row["unweighted_base"] is None


def test_the_rule_suppresses_a_figure_the_cell_rule_would_let_out(published):
    rows = with_sources(published, small_area(chosen("E09000001", "suppressed")), RULES)
    row = borough(rows, "E09000001")
    assert row["suppressed"] and row["suppression"] == "precision" and row["source"] == ""
    assert row["estimate"] is None and row["note"].startswith("rule's note")


def test_pooled_estimates_follow_the_cell_rule_on_the_pooled_base(published):
    rule = PublicationRule(direct_label="pooled")
    rows = with_sources(published, small_area(chosen("E09000002", "pooled", n=60),
                                              rule=rule), RULES)
    row = borough(rows, "E09000002")
    assert row["source"] == "pooled" and row["unweighted_base"] == 60
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == (0.27, 0.2, 0.34)


def test_a_borough_with_no_sample_gets_its_synthetic_estimate_in_code_order(published):
    synthetic = {**chosen("E09000005", "model-based", n=0), "direct": None,
                 "note": "Model-based estimate (Fay-Herriot EBLUP): no sample, so no direct "
                         "estimate"}
    rows = with_sources(published, small_area(synthetic), RULES)
    codes = [r["domain"] for r in rows if r["breakdown"] == "borough"]
    assert codes == [*BOROUGHS, "E09000005"]
    row = borough(rows, "E09000005")
    assert row["source"] == "model-based" and row["domain_label"] == "Brent"
    assert row["unweighted_base"] == 0 and "no sample" in row["note"]


def test_change_is_hidden_where_the_published_figure_is_not_the_direct_one(published):
    current = estimate_rows(bases=(50, 40, 45, 35))
    now = with_sources(published_rows(current, RULES), small_area(
        chosen("E09000001", "model-based")), RULES)
    before = with_sources(published_rows(current, RULES), None, RULES)
    changes = change_rows(current, current, now, before, RULES)
    hidden = {r["domain"] for r in changes if r["suppressed"]}
    assert hidden == {"E09000001"}


def test_the_disclosure_statement_says_what_the_rules_are():
    text = disclosure_statement(DisclosureRules(threshold=25),
                                PublicationRule(model_threshold=0.3).as_dict())
    assert "fewer than 25 respondents" in text and "at most 30%" in text
    assert "not subject to the cell rule" in text
