"""Borough figures as published: the small-area run's choice per borough and measure
(direct, pooled, model-based or suppressed) combined with disclosure control (pure, no
Django).

Per borough x measure that the small-area run covers:

- the rule chose the direct (or pooled) estimate and the cell rule lets it out: published
  as it is, with its logit interval and unweighted base;
- the rule chose the model-based estimate, or the direct one is withheld by the cell rule
  (primary or secondary suppression) and the model-based one meets the rule's relative root
  MSE threshold: the EBLUP is published with EBLUP +/- z root MSE clipped to [0, 1]; its
  unweighted base only where the direct cell is not withheld;
- else suppressed: 'precision' where the rule says so, the cell rule's reason otherwise.

Model-based estimates are not subject to the cell rule: an EBLUP is a model prediction
that combines the borough's direct estimate, shrunk by a weight that is not published, with
a regression prediction from every borough's auxiliaries, so it does not reveal what the
borough's few respondents answered. A withheld direct estimate is never shown: nor its note's
CV, nor its change from the previous wave (``tables.change_rows`` hides the change of every
row whose published figure is not the wave's own direct estimate).

Every published row gets ``source`` ("direct", "model-based", "pooled"; "" when suppressed)
and ``note`` (the rule's words for a borough; "" elsewhere).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analysis.core.small_area import PublicationRule, model_interval

from .disclosure import DisclosureRules
from .measures import domain_label
from .tables import measure_label

DIRECT, POOLED, MODEL_BASED = "direct", "pooled", "model-based"
SOURCES = (DIRECT, MODEL_BASED, POOLED)
MODEL_CI_METHOD = "fay_herriot_mse"
PRECISION = "precision"  # suppression reason: neither estimate meets the rule


@dataclass(frozen=True)
class BoroughEstimates:
    """A small-area run as publication reads it: its id, notes (from the run's record), the
    rule's options (PublicationRule.as_dict) and one row per borough x measure
    (analysis.selectors.small_area_rows)."""

    run_id: int
    notes: tuple[str, ...]
    rule: Mapping[str, object]
    rows: tuple[Mapping[str, object], ...]


def with_sources(rows: list[dict], small_area: BoroughEstimates | None,
                 rules: DisclosureRules) -> list[dict]:
    """The published rows with every borough x measure of the small-area run replaced by
    what the rule and the cell rule let out (see the module's docstring), and ``source``
    and ``note`` on every row. Without a run the rows only gain those two columns."""
    if small_area is None:
        return [_plain(row) for row in rows]
    rule = PublicationRule.from_dict(dict(small_area.rule))
    chosen = {(str(r["measure"]), str(r["borough"])): r for r in small_area.rows}
    out, seen = [], set()
    for row in rows:
        key = (row["measure"], row["domain"])
        if row["breakdown"] == "borough" and key in chosen:
            seen.add(key)
            out.append(_borough(row, chosen[key], rule, rules))
        else:
            out.append(_plain(row))
    measures = {row["measure"] for row in rows if row["breakdown"] == "borough"}
    unsampled = [key for key in chosen if key not in seen and key[0] in measures]
    return _insert(out, [_borough(_empty(measure, code), chosen[(measure, code)], rule, rules)
                         for measure, code in unsampled])


def disclosure_statement(rules: DisclosureRules, rule: Mapping[str, object]) -> str:
    """What the notes say about disclosure control and model-based estimates."""
    threshold = PublicationRule.from_dict(dict(rule)).model_threshold
    return (
        f"The cell rule (fewer than {rules.threshold} respondents, and secondary "
        "suppression) applies to direct estimates: a direct borough estimate it withholds is "
        "never shown, nor its change from the previous wave. Model-based (Fay-Herriot) "
        "estimates are not subject to the cell rule: each is a model prediction that "
        "combines the borough's direct estimate, shrunk by a weight that is not published, "
        "with a regression prediction from every borough's auxiliaries, so it does not "
        "reveal what the borough's respondents answered. Where a direct estimate is "
        "withheld, the borough's model-based estimate is shown instead if its relative root "
        f"MSE is at most {threshold:.0%}, without its unweighted base.")


def _plain(row: dict) -> dict:
    return {**row, "source": "" if row["suppressed"] else DIRECT, "note": ""}


def _borough(row: dict, chosen: Mapping[str, object], rule: PublicationRule,
             rules: DisclosureRules) -> dict:
    source = str(chosen["source"])
    n = int(chosen.get("n") or 0)
    unsampled = chosen.get("direct") is None  # no respondents: nothing of theirs to withhold
    withheld = (not unsampled and bool(row["suppressed"]) if source != POOLED
                else n < rules.threshold)
    if source in (DIRECT, POOLED) and not withheld:
        return _shown(row, source, chosen["estimate"], chosen["ci_low"], chosen["ci_high"],
                      rules.round_base(n), str(chosen.get("note") or ""), rules,
                      ci_method=row.get("ci_method", ""))
    if source == MODEL_BASED and not withheld:
        return _shown(row, MODEL_BASED, chosen["estimate"], chosen["ci_low"],
                      chosen["ci_high"], rules.round_base(n), str(chosen.get("note") or ""),
                      rules)
    if withheld and _model_passes(chosen, rule):
        low, high = model_interval(float(chosen["eblup"]), float(chosen["mse"]), rule.z)
        label = POOLED if source == POOLED else DIRECT
        note = (f"Model-based estimate (Fay-Herriot EBLUP): the {label} estimate is withheld "
                "by disclosure control; relative root MSE "
                f"{float(chosen['rrmse']):.1%} (at most {rule.model_threshold:.0%}); interval "
                f"EBLUP +/- {rule.z:g} root MSE.")
        return _shown(row, MODEL_BASED, chosen["eblup"], float(low), float(high), None, note,
                      rules)
    reason = (row.get("suppression") or "primary") if withheld else PRECISION
    note = ("Suppressed: the direct estimate is withheld by disclosure control and no "
            "model-based estimate meets the rule." if withheld
            else str(chosen.get("note") or ""))
    return {**row, "estimate": None, "ci_low": None, "ci_high": None,
            "unweighted_base": None, "suppressed": True, "suppression": reason,
            "ci_method": "", "source": "", "note": note}


def _model_passes(chosen: Mapping[str, object], rule: PublicationRule) -> bool:
    values = [chosen.get(k) for k in ("eblup", "mse", "rrmse")]
    if any(v is None or not math.isfinite(float(v)) for v in values):
        return False
    return float(chosen["eblup"]) > 0 and float(chosen["rrmse"]) <= rule.model_threshold


def _shown(row: dict, source: str, estimate, low, high, base: int | None, note: str,
           rules: DisclosureRules, ci_method: str = MODEL_CI_METHOD) -> dict:
    return {**row, "estimate": rules.round_estimate(_float(estimate)),
            "ci_low": rules.round_estimate(_float(low)),
            "ci_high": rules.round_estimate(_float(high)), "unweighted_base": base,
            "suppressed": False, "suppression": "",
            "ci_method": ci_method if source != MODEL_BASED else MODEL_CI_METHOD,
            "source": source, "note": note}


def _float(value) -> float | None:
    return None if value is None else float(value)


def _empty(measure: str, code: str) -> dict:
    """The row of a borough with no respondents (no direct estimate): withheld as direct."""
    return {"measure": measure, "measure_label": measure_label(measure),
            "breakdown": "borough", "domain": code,
            "domain_label": domain_label("borough", code), "estimate": None, "ci_low": None,
            "ci_high": None, "unweighted_base": None, "suppressed": True,
            "suppression": "primary", "ci_method": ""}


def _insert(rows: list[dict], extra: Iterable[dict]) -> list[dict]:
    """Rows of unsampled boroughs placed among their measure's borough rows, by code."""
    extra = list(extra)
    if not extra:
        return rows
    rows = rows + extra
    order = {}
    for i, row in enumerate(rows):
        order.setdefault((row["measure"], row["breakdown"]), i)
    return sorted(rows, key=lambda r: (order[(r["measure"], r["breakdown"])],
                                       r["domain"] if r["breakdown"] == "borough" else ""))
