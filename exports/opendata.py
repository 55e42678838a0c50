"""Open data: the tidy CSV (one row per wave x measure x domain) and its metadata JSON, a
Frictionless Data Package (schema with the primary key and missing values, licence,
methodology, release date) (pure).

Suppressed figures: empty, with status "[c]" (the workbook's marker) in the same row."""

from __future__ import annotations

import csv
import io
import json

from bas.cells import safe_row

from .disclosure import SUPPRESSED_SYMBOL
from .publication import LICENCE, PUBLISHER, Publication

CSV_NAME = "bas_results.csv"
COLUMNS: list[tuple[str, str, str]] = [
    ("wave", "string", "Survey wave"),
    ("measure", "string", "Measure identifier (snake_case)"),
    ("measure_label", "string", "Measure, in words"),
    ("breakdown", "string", "all, borough or sector_group"),
    ("domain", "string", "Domain code: GSS code for a borough, sector group identifier, "
     "empty for all businesses"),
    ("domain_label", "string", "Domain, in words"),
    ("estimate", "number", "Weighted proportion (0 to 1); empty if suppressed"),
    ("ci_low", "number", "Lower limit of the 95% confidence interval; empty if suppressed"),
    ("ci_high", "number", "Upper limit of the 95% confidence interval; empty if suppressed"),
    ("unweighted_base", "integer", "Businesses interviewed who answered, in the domain; empty "
     "if suppressed"),
    ("suppressed", "boolean", "true if the figures are withheld by disclosure control"),
    ("status", "string", f"{SUPPRESSED_SYMBOL} where the figures are confidential (withheld "
     "by disclosure control, the figures then empty), else empty"),
    ("source", "string", "Which estimate is published: direct (the wave's survey estimate), "
     "pooled (the survey estimate of several waves together) or model-based (a Fay-Herriot "
     "small-area estimate, with the interval EBLUP +/- z root MSE clipped to [0, 1]); empty "
     "if suppressed. Borough figures follow the publication rule in the methodology's "
     "borough_estimates notes"),
    ("note", "string", "Why this borough figure is the one published (the rule's words); "
     "empty for the other breakdowns"),
]
SOURCES = ["direct", "model-based", "pooled"]
PRIMARY_KEY = ["wave", "measure", "breakdown", "domain"]
MISSING_VALUES = [""]  # an empty cell is a missing (suppressed) figure
SUPPRESSION_MARKER = (
    f"Suppressed figures are shown as {SUPPRESSED_SYMBOL} in the workbook; in the CSV they are "
    f"empty, with suppressed = true and status = {SUPPRESSED_SYMBOL} in the same row.")


def opendata_csv(publication: Publication) -> bytes:
    """UTF-8 CSV, no byte-order mark (what data stores expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _, _ in COLUMNS])
    for row in publication.rows:
        record = {"source": "" if row["suppressed"] else "direct", "note": "", **row,
                  "wave": publication.facts.wave,
                  "status": SUPPRESSED_SYMBOL if row["suppressed"] else ""}
        values = [_value(record[name]) for name, _, _ in COLUMNS]
        writer.writerow(safe_row(values))
    return buffer.getvalue().encode("utf-8")


def _value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def opendata_metadata(publication: Publication) -> dict:
    """Frictionless-style data package description of the CSV."""
    facts = publication.facts
    return {
        "name": f"bas-results-{facts.wave_id}",
        "title": f"{facts.survey}: results, {facts.wave}",
        "description": "Weighted estimates of businesses' confidence in the police and their "
                       "experience of crime, online crime and fraud, for London, by borough and "
                       "by sector.",
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "licenses": [LICENCE],
        "release_date": facts.release_date.isoformat(),
        "wave": facts.wave,
        "fieldwork": {"start": _iso(facts.fieldwork_start), "end": _iso(facts.fieldwork_end)},
        "achieved_interviews": facts.achieved_n,
        "response_rate_rr3": facts.rr3,
        "methodology": {"method": facts.method, "weighting": facts.weighting,
                        "weighting_steps": list(facts.weighting_steps),
                        "confidence_intervals": publication.interval_note(),
                        "disclosure_control": publication.suppression_note(),
                        "suppression_marker": SUPPRESSION_MARKER,
                        "disclosure_rules": publication.rules.as_dict(),
                        "borough_estimates": list(publication.facts.small_area_notes)},
        "resources": [{
            "name": "bas-results", "path": CSV_NAME, "format": "csv", "encoding": "utf-8",
            "mediatype": "text/csv",
            "schema": {"fields": [_field(name, kind, text) for name, kind, text in COLUMNS],
                       "primaryKey": PRIMARY_KEY, "missingValues": MISSING_VALUES},
        }],
    }


def opendata_metadata_json(publication: Publication) -> bytes:
    return json.dumps(opendata_metadata(publication), indent=2, ensure_ascii=False).encode()


def _field(name: str, kind: str, text: str) -> dict:
    field: dict = {"name": name, "type": kind, "description": text}
    if name in PRIMARY_KEY:
        field["constraints"] = {"required": name != "domain"}
        if name == "domain":
            field["missingValues"] = []  # empty is a value here: all businesses
    if name in ("estimate", "ci_low", "ci_high"):
        field["constraints"] = {"minimum": 0, "maximum": 1}
    elif name == "unweighted_base":
        field["constraints"] = {"minimum": 0}
    elif name == "status":
        field["constraints"] = {"enum": ["", SUPPRESSED_SYMBOL]}
    elif name == "source":
        field["constraints"] = {"enum": SOURCES}
    return field


def _iso(value) -> str | None:
    return value.isoformat() if value else None
