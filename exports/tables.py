"""From estimate rows to the published table: disclosure control, rounding, labels, and
wave-on-wave change (pure, no Django).

Estimate rows are the analysis module's: variable, by, domain, estimate, se, ci_low,
ci_high, n (unweighted base), deff; by '' is the whole population.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.core import proportion_change

from .disclosure import DisclosureRules, suppress_partition
from .measures import MEASURE_BY_NAME, breakdown_of, domain_label

PUBLISHED_COLUMNS = ["measure", "measure_label", "breakdown", "domain", "domain_label",
                     "estimate", "ci_low", "ci_high", "unweighted_base", "suppressed",
                     "suppression"]
CHANGE_COLUMNS = ["measure", "measure_label", "breakdown", "domain", "domain_label",
                  "previous_estimate", "estimate", "change", "change_ci_low", "change_ci_high",
                  "p_value", "significant", "suppressed"]
BREAKDOWN_ORDER = {"all": 0, "borough": 1, "sector_group": 2}
Z95 = 1.959963984540054


def published_rows(rows: Iterable[dict], rules: DisclosureRules) -> list[dict]:
    """One published row per (measure, breakdown, domain): estimates and bases rounded,
    hidden (None) where suppressed, with the reason."""
    table = _frame(rows)
    if table.empty:
        return []
    reasons = suppression_reasons(table, rules.threshold)
    out = []
    for index, row in table.iterrows():
        reason = reasons.get(index, "")
        hidden = bool(reason)
        out.append({
            "measure": row["variable"],
            "measure_label": measure_label(row["variable"]),
            "breakdown": row["breakdown"],
            "domain": row["domain"],
            "domain_label": domain_label(row["breakdown"], row["domain"]),
            "estimate": None if hidden else rules.round_estimate(row["estimate"]),
            "ci_low": None if hidden else rules.round_estimate(row["ci_low"]),
            "ci_high": None if hidden else rules.round_estimate(row["ci_high"]),
            "unweighted_base": None if hidden else rules.round_base(int(row["n"])),
            "suppressed": hidden,
            "suppression": reason,
            "ci_method": "" if hidden else _text(row.get("ci_method")),
        })
    return out


def suppression_reasons(table: pd.DataFrame, threshold: int) -> dict[int, str]:
    """Row index -> 'primary' or 'secondary' for every suppressed row of the table (as
    from `_frame`). Each breakdown of a measure partitions the whole population, whose
    total is published, so the domains of a breakdown are protected together."""
    reasons: dict[int, str] = {}
    for _, block in table.groupby("variable", sort=False):
        overall = block[block["breakdown"] == "all"]
        for breakdown, part in block.groupby("breakdown", sort=False):
            if breakdown == "all":
                continue
            result = suppress_partition(part["n"].to_numpy(dtype=float), threshold)
            for index, primary, secondary in zip(part.index, result.primary[0, :-1],
                                                 result.secondary[0, :-1], strict=True):
                if primary or secondary:
                    reasons[index] = "primary" if primary else "secondary"
            if result.row_totals[0]:
                for index in overall.index:
                    reasons.setdefault(index, "primary" if result.primary[0, -1]
                                       else "secondary")
        for index, n in overall["n"].items():
            if n < threshold:
                reasons[index] = "primary"
    return reasons


def change_rows(current: Iterable[dict], previous: Iterable[dict],
                current_published: list[dict], previous_published: list[dict],
                rules: DisclosureRules, alpha: float = 0.05) -> list[dict]:
    """Change from the previous wave for every (measure, breakdown, domain) in both, with
    a two-sided z test; hidden where either wave's cell is suppressed or its published figure
    is not the wave's own direct estimate (a model-based or pooled borough figure: the
    direct estimates' change would show what the rule or the cell rule withheld)."""
    now, before = _frame(current), _frame(previous)
    if now.empty or before.empty:
        return []
    keys = ["variable", "breakdown", "domain"]
    both = now.merge(before, on=keys, suffixes=("", "_previous"))
    hidden = _suppressed_keys(current_published) | _suppressed_keys(previous_published)
    change = proportion_change(both["estimate_previous"], both["se_previous"],
                               both["estimate"], both["se"], alpha=alpha)
    out = []
    for i, row in enumerate(both.itertuples(index=False)):
        suppressed = (row.variable, row.breakdown, row.domain) in hidden
        diff, se = float(change.difference[i]), float(change.se[i])
        shown = _hidden if suppressed else rules.round_estimate
        out.append({
            "measure": row.variable, "measure_label": measure_label(row.variable),
            "breakdown": row.breakdown, "domain": row.domain,
            "domain_label": domain_label(row.breakdown, row.domain),
            "previous_estimate": shown(row.estimate_previous),
            "estimate": shown(row.estimate), "change": shown(diff),
            "change_ci_low": shown(diff - Z95 * se), "change_ci_high": shown(diff + Z95 * se),
            "p_value": None if suppressed or not np.isfinite(change.p_value[i])
            else round(float(change.p_value[i]), 4),
            "significant": None if suppressed else bool(change.significant[i]),
            "suppressed": suppressed,
        })
    return out


def measure_label(name: str) -> str:
    measure = MEASURE_BY_NAME.get(name)
    return measure.label if measure else name.replace("_", " ").capitalize()


def _frame(rows: Iterable[dict]) -> pd.DataFrame:
    table = pd.DataFrame(list(rows))
    if table.empty:
        return table
    table["breakdown"] = [breakdown_of(b or "") for b in table["by"]]
    table["domain"] = table["domain"].fillna("").astype(str)
    table["n"] = pd.to_numeric(table["n"]).fillna(0)
    order = {name: i for i, name in enumerate(MEASURE_BY_NAME)}
    table["_measure"] = table["variable"].map(lambda v: order.get(v, len(order)))
    table["_breakdown"] = table["breakdown"].map(lambda b: BREAKDOWN_ORDER.get(b, 9))
    table = table.sort_values(["_measure", "variable", "_breakdown", "domain"], kind="stable")
    return table.drop(columns=["_measure", "_breakdown"]).reset_index(drop=True)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _hidden(value: float) -> None:
    return None


def _suppressed_keys(rows: list[dict]) -> set[tuple[str, str, str]]:
    """Cells whose direct estimate is not published (rows before sources count as direct)."""
    return {(r["measure"], r["breakdown"], r["domain"]) for r in rows
            if r["suppressed"] or r.get("source", "direct") != "direct"}
