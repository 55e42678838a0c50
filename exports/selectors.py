"""Read queries for publications: the wave's facts, the previous publication, and what the
public may see (published waves only, disclosure-controlled rows), cached."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.db.models import Max, Min

from analysis.core.boundary import BOUNDARY_METHOD, BOUNDARY_NOTE
from analysis.models import WeightingRun
from analysis.respondents import case_frame
from analysis.weighting import CLASS_CHOICES, RAKE_CHOICES
from sampling.core.strata import DIMENSIONS as STRATA_DIMENSIONS
from survey.aapor import group_counts, outcome_rates
from survey.models import CallAttempt, Interview, Wave

from .models import Publication
from .publication import WaveFacts

CACHE_SECONDS = 300


def wave_facts(wave: Wave, run: WeightingRun, release_date: dt.date) -> WaveFacts:
    cases = case_frame(wave)
    rates = outcome_rates(group_counts(cases["disposition"])) if not cases.empty else {}
    start, end = fieldwork_dates(wave)
    return WaveFacts(wave_id=wave.pk, wave=wave.name, fieldwork_start=start,
                     fieldwork_end=end, achieved_n=int(run.diagnostics.get("respondents", 0)),
                     rr3=rates.get("RR3"), release_date=release_date,
                     weighting_steps=tuple(run.progress),
                     method=method_note(wave), weighting=weighting_note(run))


ALLOCATION_WORDS = {
    "compromise": "a compromise allocation so that every borough has a usable number of "
                  "interviews",
    "proportional": "an allocation proportional to the number of businesses",
    "neyman": "a Neyman (optimal) allocation",
}
DIMENSION_WORDS = {"borough": "borough", "sector": "sector", "sector_group": "sector group",
                   "size_band": "size band"}


def _listed(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def method_note(wave: Wave) -> str:
    """How this wave was sampled, from its sample design's record."""
    design = wave.sample.design
    dimensions = [DIMENSION_WORDS.get(d, d.replace("_", " "))
                  for d in (design.strata_dimensions or STRATA_DIMENSIONS)]
    allocation = ALLOCATION_WORDS.get(design.allocation, f"{design.allocation} allocation")
    return ("Telephone (CATI) survey of businesses trading in London, sampled from a business "
            f"frame stratified by {_listed(dimensions)}, with {allocation}. Confidence "
            "intervals are 95% logit intervals with calibration-aware (Taylor linearised) "
            "standard errors.")


def weighting_note(run: WeightingRun) -> str:
    """How this wave was weighted, from its accepted run's record."""
    diagnostics, spec = run.diagnostics, run.spec or {}
    classes = CLASS_CHOICES.get(diagnostics.get("classes") or spec.get("classes", ""),
                                "sampling stratum")
    raked = [RAKE_CHOICES.get(v, v) for v in diagnostics.get("raked_variables", [])]
    raking = (f"raked to the population's business counts by {_listed(raked)}"
              if raked else "not raked")
    trimmed = " and trimmed" if spec.get("median_cap") or spec.get("trim_lower") else ""
    return ("Design weights (inverse inclusion probabilities) were adjusted for unknown "
            f"eligibility and non-response within classes of {classes}, {raking}{trimmed}; "
            "estimates describe London's businesses, not the sample.")


def fieldwork_dates(wave: Wave) -> tuple[dt.date | None, dt.date | None]:
    """The wave's planned dates, else the first and last call or completed interview."""
    if wave.starts_on and wave.ends_on:
        return wave.starts_on, wave.ends_on
    calls = CallAttempt.objects.filter(case__wave=wave).aggregate(
        first=Min("called_at"), last=Max("called_at"))
    done = Interview.objects.filter(case__wave=wave, completed_at__isnull=False).aggregate(
        first=Min("completed_at"), last=Max("completed_at"))
    firsts = [d for d in (calls["first"], done["first"]) if d]
    lasts = [d for d in (calls["last"], done["last"]) if d]
    start = wave.starts_on or (min(firsts).date() if firsts else None)
    end = wave.ends_on or (max(lasts).date() if lasts else None)
    return start, end


def previous_publication(wave: Wave) -> Publication | None:
    """The latest publication of the published wave before this one."""
    return (Publication.objects.filter(wave__published_at__isnull=False,
                                       wave__created_at__lt=wave.created_at,
                                       withdrawn_at__isnull=True)
            .exclude(wave=wave).select_related("wave", "estimate_set")
            .order_by("-wave__created_at", "-created_at").first())


def published_waves():
    """Published waves with a live (not withdrawn) publication, oldest first."""
    return (Wave.objects.filter(published_at__isnull=False,
                                publications__withdrawn_at__isnull=True)
            .distinct().order_by("created_at", "pk"))


def live_publication(wave: Wave) -> Publication | None:
    return (wave.publications.filter(withdrawn_at__isnull=True)
            .order_by("-created_at", "-pk").first())


def public_file(publication_id: int, name: str):
    """A live publication's public download, or None."""
    from .models import PublicationFile

    return (PublicationFile.objects.filter(publication_id=publication_id, name=name,
                                           publication__withdrawn_at__isnull=True)
            .select_related("publication__wave").first())


def publications_for_staff():
    from django.db.models import Prefetch

    from .models import PublicationFile

    files = Prefetch("files", queryset=PublicationFile.objects.defer("content").order_by(
        "name"))
    return (Publication.objects.select_related("wave", "created_by", "withdrawn_by")
            .prefetch_related(files).order_by("-created_at", "-pk"))


def public_results() -> dict:
    """Everything the public API and dashboard show, cached until anything is published,
    unpublished or withdrawn: published waves (facts only), their disclosure-controlled
    rows, and the withdrawn publications with their reasons."""
    key = "exports:public:" + _version()
    return cache.get_or_set(key, _public_results, CACHE_SECONDS)


def _version() -> str:
    stamp = list(Wave.objects.filter(published_at__isnull=False)
                 .values_list("pk", "published_at"))
    stamp.append(Publication.objects.aggregate(last=Max("pk"))["last"])
    stamp.append(Publication.objects.aggregate(withdrawn=Max("withdrawn_at"))["withdrawn"])
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]


def _public_results() -> dict:
    waves, rows, changes = [], [], []
    for wave in published_waves():
        publication = live_publication(wave)
        facts = publication.facts
        waves.append({"id": wave.pk, "name": wave.name, "status": "published",
                      "fieldwork_start": facts.get("fieldwork_start"),
                      "fieldwork_end": facts.get("fieldwork_end"),
                      "achieved_n": facts.get("achieved_n"),
                      "response_rate_rr3": facts.get("rr3"),
                      "published_at": wave.published_at.isoformat(),
                      "release_date": facts.get("release_date"),
                      "publication": publication.pk,
                      "files": sorted(publication.files.values_list("name", flat=True)),
                      "methodology": methodology_note(publication),
                      "borough_estimates": list(facts.get("small_area_notes") or []),
                      "threshold": (publication.rules or {}).get("threshold"),
                      "withdrawn_at": None, "withdrawal_reason": ""})
        rows += [{"wave": wave.pk, **_with_source(row)} for row in publication.rows]
        changes += [{"wave": wave.pk, **row} for row in publication.changes]
    # Change from the wave compared with at publication, while that one is published too.
    published = {wave["id"] for wave in waves}
    changes = [row for row in changes if row.get("previous_wave") in published]
    return {"waves": waves, "rows": rows, "changes": changes,
            "withdrawn": _withdrawn(published)}


def _with_source(row: dict) -> dict:
    """A published row with its source and note (rows published before borough estimates
    were carried are direct estimates, or suppressed)."""
    return {"source": "" if row["suppressed"] else "direct", "note": "", **row}


def methodology_note(publication: Publication) -> str:
    """The publication's method and weighting in words, with the note on intervals at 0%
    and 100% when any published row carries one."""
    facts = publication.facts
    parts = [facts.get("method", ""), facts.get("weighting", "")]
    if any(row.get("ci_method") == BOUNDARY_METHOD for row in publication.rows):
        parts.append(BOUNDARY_NOTE)
    return " ".join(part for part in parts if part)


def _withdrawn(published: set[int]) -> list[dict]:
    """Withdrawn publications of waves with no live publication: what the public is told."""
    out, seen = [], set()
    for publication in (Publication.objects.filter(withdrawn_at__isnull=False)
                        .exclude(wave_id__in=published).select_related("wave")
                        .order_by("-withdrawn_at", "-pk")):
        if publication.wave_id in seen:
            continue
        seen.add(publication.wave_id)
        facts = publication.facts
        out.append({"id": publication.wave_id, "name": publication.wave.name,
                    "status": "withdrawn", "fieldwork_start": facts.get("fieldwork_start"),
                    "fieldwork_end": facts.get("fieldwork_end"),
                    "achieved_n": facts.get("achieved_n"),
                    "response_rate_rr3": facts.get("rr3"),
                    "published_at": publication.created_at.isoformat(),
                    "release_date": facts.get("release_date"), "publication": publication.pk,
                    "files": [], "borough_estimates": [],
                    "withdrawn_at": publication.withdrawn_at.isoformat(),
                    "withdrawal_reason": publication.withdrawn_reason})
    return out
