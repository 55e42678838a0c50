"""Publishing a wave: every output written to a folder, the wave marked published and what
went public recorded, so the public API and dashboard serve exactly the same figures."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bas.errors import ConflictError
from questionnaires.selectors import version_codebook, version_codebook_xlsx
from survey.models import Wave

from .borough_sources import BoroughEstimates, disclosure_statement, with_sources
from .datastore import DATASTORE_NAME, datastore_json
from .disclosure import DisclosureRules
from .errors import PublicationError
from .estimates import (
    latest_done_run,
    preview_estimate_rows,
    publication_estimates,
    publication_small_area,
    respondents_for_publication,
)
from .microdata import anonymise, write_microdata
from .models import Publication, PublicationFile
from .opendata import CSV_NAME, opendata_csv, opendata_metadata_json
from .publication import Publication as PublicationData
from .publication import facts_dict
from .selectors import previous_publication, wave_facts
from .tables import change_rows, published_rows
from .workbook import publication_workbook

WORKBOOK_NAME = "bas_results.xlsx"
METADATA_NAME = "bas_results_metadata.json"
CODEBOOK_NAME = "bas_questionnaire_codebook.xlsx"


@dataclass(frozen=True)
class Published:
    publication: Publication
    folder: Path
    files: list[Path]


PUBLIC_FILES = {WORKBOOK_NAME: "application/vnd.openxmlformats-officedocument."
                               "spreadsheetml.sheet",
                CSV_NAME: "text/csv; charset=utf-8",
                METADATA_NAME: "application/json"}
MIN_REASON = 10


def wave_publish(*, wave: Wave, out: Path, user=None, rules: DisclosureRules | None = None,
                 min_combination: int = 10) -> Published:
    """Raises exports.errors.PublicationError (nothing written) when the wave has no accepted
    weighting run or no estimates."""
    rules = rules or DisclosureRules()
    if wave.status != Wave.Status.CLOSED:  # its figures would change after publication
        raise PublicationError(
            f"{wave.name} is {wave.get_status_display().lower()}: close the wave before "
            "publishing it.", code="wave_not_closed", fields={"wave": wave.pk})
    estimates = publication_estimates(wave=wave, user=user)
    small_area, boroughs = publication_small_area(estimates.run)
    now = timezone.now()
    data = _publication_data(wave, estimates.run, estimates.rows, rules, now, boroughs)
    codebook = version_codebook(wave.questionnaire_version)
    microdata = anonymise(respondents_for_publication(estimates.run), codebook,
                          min_combination=min_combination, seed=wave.pk,
                          design=estimates.run.design)
    files = _write(Path(out), data, microdata, wave)
    with transaction.atomic():
        wave.published_at = now
        wave.save(update_fields=["published_at"])
        publication = Publication.objects.create(
            wave=wave, estimate_set=estimates, rules=rules.as_dict(),
            facts=facts_dict(data.facts), rows=data.rows, changes=data.changes,
            small_area=small_area, folder=str(Path(out).resolve()), created_by=user)
        PublicationFile.objects.bulk_create(
            PublicationFile(publication=publication, name=path.name,
                            content_type=PUBLIC_FILES[path.name], content=path.read_bytes())
            for path in files if path.name in PUBLIC_FILES)
    return Published(publication, Path(out), files)


def wave_publish_confirmed(*, wave: Wave, confirmed: bool, user=None) -> Published:
    """Publish from the page: only after the analyst confirmed the preview; the outputs go
    to a folder of their own under MEDIA_ROOT/publications."""
    if not confirmed:
        raise PublicationError(f"{wave.name} was not published: tick the box to confirm that "
                               "you checked the preview of what the public will see.",
                               code="not_confirmed", fields={"field": "confirm"})
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    out = Path(settings.MEDIA_ROOT) / "publications" / f"wave-{wave.pk}-{stamp}"
    return wave_publish(wave=wave, out=out, user=user)


def publication_preview(*, wave: Wave, rules: DisclosureRules | None = None
                        ) -> PublicationData:
    """What the public will see if the wave is published now, stored nowhere: the accepted
    run's estimates under disclosure control, the facts and the change from the previous
    published wave."""
    rules = rules or DisclosureRules()
    run, rows = preview_estimate_rows(wave)
    return _publication_data(wave, run, rows, rules, timezone.now(),
                             publication_small_area(run)[1])


def publication_readiness(wave: Wave) -> tuple[PublicationData | None, str]:
    """(preview, '') when the wave can be published now, else (None, what to do first):
    the publish page shows one or the other."""
    run = latest_done_run(wave)
    if run is None:
        return None, (f"{wave.name} has no accepted weighting run: weight the wave, check the "
                      "diagnostics and accept the run first.")
    if not run.estimates.exists():
        return None, (f"Weighting run {run.pk} of {wave.name} has no estimates yet: make an "
                      "estimate set from it first.")
    return publication_preview(wave=wave), ""


def publication_withdraw(*, publication: Publication, reason: str, user=None) -> Publication:
    """Withdraw a publication with the reason the public dashboard and API then state; its
    figures are no longer served. The wave can be published again."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise PublicationError("Say why the publication is withdrawn (at least "
                               f"{MIN_REASON} characters): the public page shows it.",
                               code="reason_required", fields={"field": "reason"})
    with transaction.atomic():
        current = Publication.objects.select_for_update().select_related("wave").get(
            pk=publication.pk)
        if current.withdrawn_at is not None:
            when = timezone.localtime(current.withdrawn_at)
            raise ConflictError(f"Publication {current.pk} of {current.wave.name} was already "
                                f"withdrawn on {when:%d %B %Y}.", code="already_withdrawn")
        current.withdrawn_at, current.withdrawn_by = timezone.now(), user
        current.withdrawn_reason = reason[:2000]
        current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        live = current.wave.publications.filter(withdrawn_at__isnull=True).exists()
        if not live:
            current.wave.published_at = None
            current.wave.save(update_fields=["published_at"])
    return current


def _publication_data(wave: Wave, run, estimate_rows: list[dict], rules: DisclosureRules,
                      now, boroughs: BoroughEstimates | None = None) -> PublicationData:
    """The published tables: disclosure control, then the borough estimates' sources (the
    small-area run's choice, where the analyst made one), with its notes in the facts."""
    facts = wave_facts(wave, run, timezone.localdate(now))
    rows = with_sources(published_rows(estimate_rows, rules), boroughs, rules)
    if boroughs is not None:
        facts = replace(facts, small_area_run=boroughs.run_id, small_area_notes=(
            *boroughs.notes, disclosure_statement(rules, boroughs.rule)))
    previous = previous_publication(wave)
    changes = ([{"previous_wave": previous.wave_id, **row} for row in change_rows(
        estimate_rows, previous.estimate_set.rows, rows, previous.rows, rules)]
               if previous else [])
    return PublicationData(facts, rules, rows, changes,
                           previous.wave.name if previous else None)


def _write(folder: Path, data: PublicationData, microdata, wave: Wave) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    outputs = {WORKBOOK_NAME: publication_workbook(data), CSV_NAME: opendata_csv(data),
               METADATA_NAME: opendata_metadata_json(data),
               DATASTORE_NAME: datastore_json(data, workbook=WORKBOOK_NAME,
                                              metadata=METADATA_NAME),
               CODEBOOK_NAME: version_codebook_xlsx(wave.questionnaire_version)}
    files = []
    for name, content in outputs.items():
        path = folder / name
        path.write_bytes(content)
        files.append(path)
    return files + write_microdata(microdata, folder)
