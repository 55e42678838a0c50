"""Read queries for the analyst's pages and API: a weighting run's options and diagnostics in
words (borough and sector names, not codes), and the uploaded margins files."""

from __future__ import annotations

from analysis.models import PopulationMargins, WeightingRun
from analysis.weighting import CLASS_CHOICES, RAKE_CHOICES
from sampling.data.boroughs import BOROUGHS
from sampling.data.sectors import SECTOR_GROUP_LABELS

DOMAIN_VARIABLES = {"": "All businesses", "borough": "Borough", "sector_group": "Sector group",
                    "size_band": "Size band"}


def category_label(variable: str, category: str) -> str:
    """A domain's or margin category's name: borough names, sector group names."""
    if variable == "borough":
        return BOROUGHS.get(category, category)
    if variable == "sector_group":
        return SECTOR_GROUP_LABELS.get(category, category)
    if variable == "":
        return "All businesses"
    return category


def weighting_summary(run: WeightingRun) -> dict:
    """What the analyst checks before accepting a run: the options, where the population
    totals came from, and the diagnostics (design effect from weighting, effective sample
    size, weight range, each margin's target and achieved total)."""
    spec = run.spec or {}
    weights = (run.diagnostics or {}).get("weights") or {}
    margins = [{**m, "variable_label": RAKE_CHOICES.get(m["variable"], m["variable"]),
                "category_label": category_label(m["variable"], m["category"]),
                "difference_pct": 100 * m["difference"]}
               for m in (run.diagnostics or {}).get("margins", [])]
    population = ({"kind": "file", "source": run.margins.source, "as_of": run.margins.as_of,
                   "name": run.margins.name, "id": run.margins.pk}
                  if run.margins_id else {"kind": "frame", "source": "the sampling frame's "
                                          "business counts"})
    minimum, maximum = weights.get("min"), weights.get("max")
    return {
        "classes": CLASS_CHOICES.get(spec.get("classes", ""), spec.get("classes", "")),
        "rake_variables": [RAKE_CHOICES.get(v, v) for v in spec.get("rake_variables", [])],
        "raked": [RAKE_CHOICES.get(v, v)
                  for v in (run.diagnostics or {}).get("raked_variables", [])],
        "median_cap": spec.get("median_cap"), "trim_lower": spec.get("trim_lower"),
        "population": population,
        "deff": weights.get("deff_weighting"), "effective_n": weights.get("effective_n"),
        "n": weights.get("n"), "total": weights.get("total"), "cv": weights.get("cv"),
        "min": minimum, "max": maximum,
        "ratio": maximum / minimum if minimum and maximum else None,
        "margins": margins,
        "margins_missed": sum(1 for m in margins if not m["hit"]),
    }


def margins_files():
    return PopulationMargins.objects.select_related("created_by")
