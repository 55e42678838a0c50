"""Publishing a wave: every output written to a folder, the wave marked published and what
went public recorded, so the public API and dashboard serve exactly the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from questionnaires.selectors import version_codebook, version_codebook_xlsx
from survey.models import Wave

from .datastore import DATASTORE_NAME, datastore_json
from .disclosure import DisclosureRules
from .errors import PublicationError
from .estimates import publication_estimates, respondents_for_publication
from .microdata import anonymise, write_microdata
from .models import Publication
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


def wave_publish(*, wave: Wave, out: Path, user=None, rules: DisclosureRules | None = None,
                 min_combination: int = 10) -> Published:
    """Raises exports.errors.PublicationError (nothing written) when the wave has no done
    weighting run or no estimates."""
    rules = rules or DisclosureRules()
    if wave.status != Wave.Status.CLOSED:  # its figures would change after publication
        raise PublicationError(
            f"{wave.name} is {wave.get_status_display().lower()}: close the wave before "
            "publishing it.", code="wave_not_closed", fields={"wave": wave.pk})
    estimates = publication_estimates(wave=wave, user=user)
    now = timezone.now()
    facts = wave_facts(wave, estimates.run, timezone.localdate(now))
    rows = published_rows(estimates.rows, rules)
    previous = previous_publication(wave)
    changes = ([{"previous_wave": previous.wave_id, **row} for row in change_rows(
        estimates.rows, previous.estimate_set.rows, rows, previous.rows, rules)]
               if previous else [])
    data = PublicationData(facts, rules, rows, changes,
                           previous.wave.name if previous else None)
    codebook = version_codebook(wave.questionnaire_version)
    microdata = anonymise(respondents_for_publication(estimates.run), codebook,
                          min_combination=min_combination, seed=wave.pk,
                          design=estimates.run.design)
    files = _write(Path(out), data, microdata, wave)
    with transaction.atomic():
        wave.published_at = now
        wave.save(update_fields=["published_at"])
        publication = Publication.objects.create(
            wave=wave, estimate_set=estimates, rules=rules.as_dict(), facts=facts_dict(facts),
            rows=rows, changes=changes, folder=str(Path(out).resolve()), created_by=user)
    return Published(publication, Path(out), files)


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
