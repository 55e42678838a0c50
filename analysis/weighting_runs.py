"""Weighting a closed wave with the analyst's options, and a run's life after it: population
totals uploaded with their source and date, the options checked (every problem in the
analyst's words), the run weighed, its diagnostics read, and the run accepted. Only an
accepted run is used for estimates and publication."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from analysis import services
from analysis.margins_file import MarginsFileError, read_margins_csv
from analysis.models import PopulationMargins, WeightingRun
from analysis.weighting import (
    CLASS_CHOICES,
    DEFAULT_RAKE_VARIABLES,
    RAKE_CHOICES,
    OptionProblem,
    WeightingOptionsError,
    WeightingSpec,
    check_spec,
)
from bas.errors import ConflictError
from survey.models import Wave

DEFAULT_MEDIAN_CAP = 6.0
POPULATION_CHOICES = {"frame": "the frame's business counts",
                      "file": "an uploaded margins file"}


class WeightingStateError(ConflictError):
    """A wave or run not in the state the step needs (e.g. a wave still in field)."""

    default_code = "weighting_state"


def weighting_options_parse(data: Mapping) -> tuple[WeightingSpec, str, int | None]:
    """(spec, population, margins id) from a form or JSON body: classes, rake_variables
    (list or several values), median_cap, trim_lower ('' or missing: none), population
    ('frame' or 'file') and margins (an uploaded file's id). Every problem at once."""
    problems: list[OptionProblem] = []
    classes = _text(data, "classes") or "stratum"
    rake = _list(data, "rake_variables")
    if rake is None:
        rake = list(DEFAULT_RAKE_VARIABLES)
    upper = _number(data, "median_cap", "upper trimming bound", problems,
                    default=DEFAULT_MEDIAN_CAP)
    lower = _number(data, "trim_lower", "lower trimming bound", problems, default=None)
    population = _text(data, "population") or "frame"
    if population not in POPULATION_CHOICES:
        problems.append(OptionProblem("population", "Population totals come from the frame "
                                      "or from an uploaded margins file."))
    margins = None
    raw_margins = _text(data, "margins")
    if population == "file":
        if not raw_margins:
            problems.append(OptionProblem("margins", "Choose an uploaded margins file, or "
                                          "upload one, to rake to its totals."))
        elif not raw_margins.isdigit():
            problems.append(OptionProblem("margins", f"'{raw_margins}' is not an uploaded "
                                          "margins file."))
        else:
            margins = int(raw_margins)
    if problems:
        raise WeightingOptionsError(problems)
    fallback = "borough" if classes != "borough" else "sector_group"
    spec = WeightingSpec(classes=classes, fallback_classes=fallback,
                         rake_variables=tuple(rake), median_cap=upper, trim_lower=lower)
    return spec, population, margins


def weighting_with_options(*, wave: Wave, user=None, spec: WeightingSpec,
                           margins_id: int | None = None) -> WeightingRun:
    """Weight a closed wave as the analyst chose; the run is a draft until accepted."""
    if wave.status != Wave.Status.CLOSED:
        raise WeightingStateError(f"{wave.name} is {wave.get_status_display().lower()}: close "
                                  "it before weighting, so that every case has its final "
                                  "outcome.")
    margins = None
    if margins_id is not None:
        margins = PopulationMargins.objects.filter(pk=margins_id).first()
        if margins is None:
            raise WeightingOptionsError([OptionProblem(
                "margins", f"There is no uploaded margins file {margins_id}.")])
    if margins is not None:
        check_spec(spec, margins.totals, f"The margins file from {margins.source}")
    else:
        check_spec(spec, services.frame_population(wave), "The frame")
    return services.weighting_run(wave=wave, user=user, spec=spec, margins=margins)


def weighting_request(*, wave: Wave, data: Mapping, upload: tuple[str, bytes] | None = None,
                      user=None) -> WeightingRun:
    """The weighting form or API body in one step: options read and checked; a margins file
    sent with it (population 'file') stored with its source and date, then raked to."""
    if not isinstance(data, Mapping):
        raise WeightingOptionsError([OptionProblem(
            "options", "Send the options as named values (population, rake_variables, "
            "classes, median_cap, trim_lower), not a list.")])
    spec, population, margins_id = weighting_options_parse(
        _with_margins_placeholder(data) if upload else data)
    if population == "file" and upload is not None:
        name, content = upload
        margins_id = population_margins_upload(
            content=content, name=name, source=_text(data, "source"),
            as_of=_text(data, "as_of"), user=user).pk
    return weighting_with_options(wave=wave, user=user, spec=spec,
                                  margins_id=margins_id if population == "file" else None)


def _with_margins_placeholder(data: Mapping) -> dict:
    """The options with a stand-in margins id, so a file sent along counts as the choice."""
    plain = {key: (data.getlist(key) if hasattr(data, "getlist") and key == "rake_variables"
                   else data.get(key)) for key in data}
    plain["margins"] = "0"
    return plain


def population_margins_upload(*, content: bytes, name: str, source: str,
                              as_of: dt.date | str | None, user=None) -> PopulationMargins:
    """Store an uploaded margins file with where its totals come from and their date."""
    problems = []
    source = (source or "").strip()
    if not source:
        problems.append(OptionProblem("source", "Say where the totals come from (e.g. 'ONS "
                                      "UK Business Counts 2025'), so the publication can "
                                      "cite it."))
    elif len(source) > 300:
        problems.append(OptionProblem("source", "The source is longer than 300 characters."))
    date = _date(as_of, problems)
    try:
        totals = read_margins_csv(content, name or "margins file")
    except MarginsFileError as error:
        problems.append(OptionProblem("file", error.message))
        totals = None
    if problems:
        raise WeightingOptionsError(problems)
    return PopulationMargins.objects.create(name=(name or "margins.csv")[:200], source=source,
                                            as_of=date, totals=totals, created_by=user)


def weighting_accept(*, run: WeightingRun, user=None) -> WeightingRun:
    """Accept a done run after its diagnostics were seen: from now on the wave's estimates
    and publication use it (the latest accepted run of the wave)."""
    with transaction.atomic():
        current = WeightingRun.objects.select_for_update().get(pk=run.pk)
        if current.status != WeightingRun.Status.DONE:
            raise WeightingStateError(f"Weighting run {current.pk} "
                                      f"{_failed_or_running(current)}; only a finished run "
                                      "can be accepted.")
        if current.accepted_at is not None:
            raise WeightingStateError(
                f"Weighting run {current.pk} was already accepted on "
                f"{timezone.localtime(current.accepted_at):%d %B %Y at %H:%M}.")
        current.accepted_at, current.accepted_by = timezone.now(), user
        current.save(update_fields=["accepted_at", "accepted_by"])
    run.accepted_at, run.accepted_by = current.accepted_at, user  # the caller's copy too
    return current


def accepted_run(wave: Wave) -> WeightingRun | None:
    """The wave's latest accepted run: the one estimates and publication use."""
    return (wave.weightings.filter(status=WeightingRun.Status.DONE, accepted_at__isnull=False)
            .order_by("-accepted_at", "-pk").first())


def _failed_or_running(run: WeightingRun) -> str:
    return (f"failed ({run.message})" if run.status == WeightingRun.Status.FAILED
            else "is still running")


def _text(data: Mapping, key: str) -> str:
    value = data.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return "" if value is None else str(value).strip()


def _list(data: Mapping, key: str) -> list[str] | None:
    if hasattr(data, "getlist"):
        if key not in data:
            return None
        values = data.getlist(key)
    else:
        if key not in data:
            return None
        values = data[key]
        values = values if isinstance(values, list | tuple) else [values]
    return [str(v).strip() for v in values if str(v).strip()]


def _number(data: Mapping, key: str, words: str, problems: list[OptionProblem],
            default: float | None) -> float | None:
    if key not in data:
        return default
    raw = _text(data, key)
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append(OptionProblem(key, f"The {words} must be a number of times the median "
                                      f"weight (e.g. 3.5); '{raw}' is not a number."))
        return None
    return value


def _date(value: dt.date | str | None, problems: list[OptionProblem]) -> dt.date | None:
    if isinstance(value, dt.date):
        date = value
    else:
        raw = (value or "").strip()
        if not raw:
            problems.append(OptionProblem("as_of", "Give the date the totals describe (e.g. "
                                          "2025-03-31)."))
            return None
        try:
            date = dt.date.fromisoformat(raw)
        except ValueError:
            problems.append(OptionProblem("as_of", f"'{raw}' is not a date: write it as "
                                          "year-month-day, e.g. 2025-03-31."))
            return None
    if date > timezone.localdate():
        problems.append(OptionProblem("as_of", f"The totals' date {date:%d %B %Y} is in the "
                                      "future; give the date they describe."))
        return None
    return date


__all__ = ["CLASS_CHOICES", "RAKE_CHOICES", "POPULATION_CHOICES", "accepted_run",
           "population_margins_upload", "weighting_accept", "weighting_options_parse",
           "weighting_with_options"]
