"""A wave's publication as plain data: the facts about the wave and its published tables
(pure; built by exports.selectors, written by the workbook and open-data writers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from analysis.core.boundary import BOUNDARY_METHOD, BOUNDARY_NOTE

from .borough_sources import MODEL_BASED
from .disclosure import DisclosureRules

SURVEY_TITLE = "London Business Attitudes Survey (BAS)"
PUBLISHER = "Mayor's Office for Policing And Crime (MOPAC)"
LICENCE = {"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
           "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}
METHOD_NOTE = (
    "Telephone (CATI) survey of businesses trading in London, sampled from a business frame "
    "stratified by borough, sector and size band, with a compromise allocation so that every "
    "borough has a usable number of interviews. Confidence intervals are 95% logit intervals "
    "with calibration-aware (Taylor linearised) standard errors.")
WEIGHTING_NOTE = (
    "Design weights (inverse inclusion probabilities) were adjusted for unknown eligibility "
    "and non-response within strata, raked to the frame's business counts by borough, sector "
    "group and size band, and trimmed; estimates describe London's businesses, not the "
    "sample.")


@dataclass(frozen=True)
class WaveFacts:
    wave_id: int
    wave: str
    fieldwork_start: dt.date | None
    fieldwork_end: dt.date | None
    achieved_n: int
    rr3: float | None
    release_date: dt.date
    weighting_steps: tuple[str, ...] = ()
    survey: str = SURVEY_TITLE
    method: str = METHOD_NOTE
    weighting: str = WEIGHTING_NOTE
    # Borough estimates: the small-area run's notes (method, auxiliaries, smoothing,
    # benchmarking, rule), then what disclosure control does with them; empty without a run.
    small_area_run: int | None = None
    small_area_notes: tuple[str, ...] = ()

    def fieldwork_text(self) -> str:
        if not self.fieldwork_start:
            return "not recorded"
        end = self.fieldwork_end or self.fieldwork_start
        return f"{self.fieldwork_start:%d %B %Y} to {end:%d %B %Y}"


@dataclass(frozen=True)
class Publication:
    facts: WaveFacts
    rules: DisclosureRules
    rows: list[dict]  # exports.tables.published_rows
    changes: list[dict] = field(default_factory=list)  # exports.tables.change_rows
    previous_wave: str | None = None

    def rows_for(self, breakdown: str) -> list[dict]:
        return [r for r in self.rows if r["breakdown"] == breakdown]

    def interval_note(self) -> str:
        """How the intervals were made, with the note on 0% and 100% where any row has one."""
        note = ("95% intervals on the logit scale (R svyciprop's default) from "
                "calibration-aware standard errors.")
        if any(r.get("ci_method") == BOUNDARY_METHOD for r in self.rows):
            note += " " + BOUNDARY_NOTE
        if any(r.get("source") == MODEL_BASED for r in self.rows):
            note += (" Model-based borough estimates have the interval their notes state "
                     "(the EBLUP plus or minus a multiple of its root MSE, clipped to [0, 1]).")
        return note

    def sources(self) -> dict[str, int]:
        """How many published borough figures are of each kind."""
        counts: dict[str, int] = {}
        for row in self.rows_for("borough"):
            key = row.get("source") or "suppressed"
            counts[key] = counts.get(key, 0) + 1
        return counts

    def suppression_note(self) -> str:
        rules = self.rules
        return (f"Estimates based on fewer than {rules.threshold} respondents (unweighted) are "
                "suppressed and shown as [c]. Further estimates are suppressed where a "
                "suppressed figure could otherwise be worked out from the total and the other "
                "figures of the same breakdown (secondary suppression). Estimates are rounded "
                f"to {rules.estimate_decimals} decimal places of a proportion"
                + (f" and unweighted bases to the nearest {rules.base_rounding}"
                   if rules.base_rounding > 1 else "") + ".")


def facts_dict(facts: WaveFacts) -> dict:
    """JSON-ready copy of the facts (dates as ISO strings)."""
    return {key: value.isoformat() if isinstance(value, dt.date) else
            list(value) if isinstance(value, tuple) else value
            for key, value in facts.__dict__.items()}
