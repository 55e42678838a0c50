"""Read queries for the analyst's pages and API: a weighting run's options and diagnostics in
words (borough and sector names, not codes), and the uploaded margins files."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from analysis.models import EstimateSet, PopulationMargins, SmallAreaRun, WeightingRun
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


def measure_label(variable: str) -> str:
    """A measure's name in words, from the questionnaire's one definition of the variables."""
    from questionnaires.forms_data.bas_variables import CRIME_LABELS, DERIVED_LABELS

    if variable in DERIVED_LABELS:
        return DERIVED_LABELS[variable]
    if variable.startswith("victim_") and variable[7:] in CRIME_LABELS:
        return f"Victim of {CRIME_LABELS[variable[7:]][0].lower()}{CRIME_LABELS[variable[7:]][1:]}"
    return variable.replace("_", " ").capitalize()


@dataclass(frozen=True)
class EstimateFilter:
    measure: str = ""
    by: str = ""  # "" all breakdowns, "all" whole population, "borough", "sector_group"
    domain: str = ""


ESTIMATE_COLUMNS = [("measure", "Measure"), ("measure_label", "Measure, in words"),
                    ("breakdown", "Breakdown"), ("domain", "Domain code"),
                    ("domain_label", "Domain"), ("estimate", "Estimate"), ("se", "SE"),
                    ("ci_low", "95% CI lower"), ("ci_high", "95% CI upper"),
                    ("ci_method", "Interval"), ("n", "Unweighted base"), ("deff", "Deff")]


def estimate_table(estimates: EstimateSet, chosen: EstimateFilter) -> list[dict]:
    """The set's rows matching the filter, with measure and domain names (boroughs by name,
    not GSS code)."""
    out = []
    for row in estimates.rows:
        breakdown = row.get("by") or "all"
        domain = "" if row.get("domain") is None else str(row["domain"])
        if chosen.measure and row["variable"] != chosen.measure:
            continue
        if chosen.by and breakdown != chosen.by:
            continue
        if chosen.domain and domain != chosen.domain:
            continue
        out.append({"measure": row["variable"], "measure_label": measure_label(row["variable"]),
                    "breakdown": breakdown, "breakdown_label": DOMAIN_VARIABLES.get(
                        row.get("by") or "", breakdown),
                    "domain": domain, "domain_label": category_label(row.get("by") or "",
                                                                     domain),
                    "estimate": row.get("estimate"), "se": row.get("se"),
                    "ci_low": row.get("ci_low"), "ci_high": row.get("ci_high"),
                    "ci_method": row.get("ci_method") or estimates.spec.get("ci", ""),
                    "n": row.get("n"), "deff": row.get("deff")})
    return out


def estimate_choices(estimates: EstimateSet) -> dict:
    """The filter's choices: measures, breakdowns and domains (by name) in the set."""
    measures, domains = {}, {}
    for row in estimates.rows:
        measures.setdefault(row["variable"], measure_label(row["variable"]))
        by = row.get("by") or ""
        if by:
            domain = str(row.get("domain"))
            domains.setdefault((by, domain), f"{DOMAIN_VARIABLES.get(by, by)}: "
                               f"{category_label(by, domain)}")
    ordered = sorted(domains.items(), key=lambda item: (item[0][0], item[1]))
    return {"measures": list(measures.items()),
            "breakdowns": [("all", "All businesses"), ("borough", "By borough"),
                           ("sector_group", "By sector group")],
            "domains": [(domain, label) for (_, domain), label in ordered]}


SMALL_AREA_FIELDS = ("measure", "borough", "n", "direct", "direct_se", "direct_cv", "direct_low",
                     "direct_high", "model_variance_input", "synthetic", "eblup", "mse", "rrmse",
                     "gamma", "source", "estimate", "ci_low", "ci_high", "note")


def small_area_rows(small_area: SmallAreaRun, measure: str = "") -> list[dict]:
    """A small-area run's borough x measure rows (optionally one measure's), with the measure
    and borough in words: what pages, the API and exports show."""
    rows = small_area.rows.all()
    if measure:
        rows = rows.filter(measure=measure)
    return [{**row, "measure_label": measure_label(row["measure"]),
             "borough_name": BOROUGHS.get(row["borough"], row["borough"])}
            for row in rows.values(*SMALL_AREA_FIELDS)]


def latest_small_area(wave) -> SmallAreaRun | None:
    """The borough estimates publication uses: of those made from the wave's latest accepted
    weighting run (the run estimates and publication use), the one an analyst chose last for
    publication, else the latest; or None."""
    run = (WeightingRun.objects.filter(wave=wave, status=WeightingRun.Status.DONE,
                                       accepted_at__isnull=False)
           .order_by("-accepted_at", "-pk").first())
    if run is None:
        return None
    return run.small_areas.order_by(F("chosen_at").desc(nulls_last=True), "-created_at",
                                    "-pk").first()
