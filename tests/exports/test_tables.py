import pytest

from exports.disclosure import DisclosureRules
from exports.tables import change_rows, published_rows
from tests.exports.helpers import estimate_rows

RULES = DisclosureRules()


def by_domain(rows):
    return {(r["measure"], r["breakdown"], r["domain"]): r for r in rows}


def test_published_rows_suppress_round_and_label():
    rows = by_domain(published_rows(estimate_rows(), RULES))
    overall = rows[("victim_online", "all", "")]
    assert overall["estimate"] == 0.25 and overall["unweighted_base"] == 150
    assert overall["measure_label"] == "Online victimisation"
    small = rows[("victim_online", "borough", "E09000002")]
    assert small["suppressed"] and small["suppression"] == "primary"
    assert small["estimate"] is None and small["unweighted_base"] is None
    partner = rows[("victim_online", "borough", "E09000004")]  # smallest other cell (35)
    assert partner["suppressed"] and partner["suppression"] == "secondary"
    assert partner["domain_label"] == "Bexley"
    assert not rows[("victim_online", "borough", "E09000001")]["suppressed"]


def test_a_small_overall_base_is_suppressed_everywhere_needed():
    small = estimate_rows(bases=(10, 12), domains=("E09000001", "E09000002"))
    rows = by_domain(published_rows(small, RULES))
    assert rows[("victim_online", "all", "")]["suppressed"]
    assert all(r["suppressed"] for r in rows.values())


def test_change_marks_significance_and_hides_suppressed_cells():
    before = estimate_rows(estimate=0.20, bases=(60, 70, 80, 90))
    after = estimate_rows(estimate=0.30, bases=(60, 20, 80, 90))
    changes = by_domain(change_rows(after, before, published_rows(after, RULES),
                                    published_rows(before, RULES), RULES))
    overall = changes[("victim_online", "all", "")]
    assert overall["change"] == pytest.approx(0.10)
    assert overall["significant"] is True and overall["p_value"] < 0.05
    assert changes[("victim_online", "borough", "E09000002")]["suppressed"]
    assert changes[("victim_online", "borough", "E09000002")]["change"] is None
    shown = changes[("victim_online", "borough", "E09000003")]
    assert shown["significant"] is False  # 0.1 with SEs of 0.05 each: z = 1.41
