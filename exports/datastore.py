"""The dataset record for the London Datastore (CKAN), written as `datastore.json` beside the
Data Package (pure): CKAN's package fields (name, title, notes, licence id, maintainer and
e-mail, organisation, tags, resources) plus the Datastore's dataset-page fields (update
frequency, smallest geography, spatial and temporal coverage), the latter also as CKAN
`extras` for a plain CKAN. Dates come from the wave's record, never the clock."""

from __future__ import annotations

import json

from sampling.data.boroughs import BOROUGHS

from .opendata import CSV_NAME, SUPPRESSION_MARKER
from .publication import PUBLISHER, Publication

DATASTORE_NAME = "datastore.json"
DATASET_NAME = "london-business-attitudes-survey"
LICENCE_ID = "uk-ogl"  # CKAN's id for the Open Government Licence
CONTACT_EMAIL = "enquiries@mopac.london.gov.uk"
ORGANISATION = {"name": "mayors-office-for-policing-and-crime", "title": PUBLISHER}
UPDATE_FREQUENCY = "Annually"  # one wave a year
SMALLEST_GEOGRAPHY = "Borough"
LONDON = {"name": "London", "code": "E12000007"}  # GSS code of the London region
TAGS = ("business", "business-crime", "confidence-in-police", "crime", "cyber-crime",
        "fraud", "policing", "survey")
DESCRIPTION = (
    "Weighted estimates from MOPAC's London Business Attitudes Survey: businesses' confidence "
    "in the police and their experience of crime, fraud and online crime, for London, by "
    "borough and by sector.")


def datastore_record(publication: Publication, *, workbook: str, metadata: str) -> dict:
    """The CKAN package (package_create / package_update body) for this wave's files."""
    facts = publication.facts
    start = facts.fieldwork_start.isoformat() if facts.fieldwork_start else None
    end = (facts.fieldwork_end or facts.fieldwork_start)
    end = end.isoformat() if end else None
    boroughs = [{"code": code, "name": name} for code, name in BOROUGHS.items()]
    spatial = {**LONDON, "boroughs": boroughs}
    temporal = {"from": start, "to": end}
    extras = {
        "publisher": PUBLISHER, "contact_email": CONTACT_EMAIL,
        "update_frequency": UPDATE_FREQUENCY, "london_smallest_geography": SMALLEST_GEOGRAPHY,
        "spatial_coverage": f"{LONDON['name']} ({LONDON['code']}): boroughs "
                            f"{min(BOROUGHS)} to {max(BOROUGHS)}",
        "temporal_coverage_from": start or "", "temporal_coverage_to": end or "",
        "release_date": facts.release_date.isoformat(), "wave": facts.wave,
        "suppression_marker": SUPPRESSION_MARKER,
    }
    return {
        "name": DATASET_NAME,
        "title": facts.survey,
        "notes": DESCRIPTION,
        "license_id": LICENCE_ID,
        "author": PUBLISHER, "author_email": CONTACT_EMAIL,
        "maintainer": PUBLISHER, "maintainer_email": CONTACT_EMAIL,
        "owner_org": ORGANISATION["name"], "organization": ORGANISATION,
        "publisher": PUBLISHER, "contact_email": CONTACT_EMAIL,
        "version": facts.wave,
        "tags": [{"name": tag} for tag in TAGS],
        "update_frequency": UPDATE_FREQUENCY,
        "london_smallest_geography": SMALLEST_GEOGRAPHY,
        "spatial_coverage": spatial,
        "temporal_coverage": temporal,
        "extras": [{"key": key, "value": value} for key, value in extras.items()],
        "resources": [
            {"name": f"Results, {facts.wave} (CSV)", "url": CSV_NAME, "format": "CSV",
             "mimetype": "text/csv",
             "description": "One row per measure and domain; " + SUPPRESSION_MARKER
                            + " The source column says which estimate a figure is (direct, "
                            "pooled or model-based), the note column why a borough figure is "
                            "the one published."},
            {"name": f"Results, {facts.wave} (workbook)", "url": workbook, "format": "XLSX",
             "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "description": "The publication tables with notes, ready to print."},
            {"name": f"Data Package, {facts.wave}", "url": metadata, "format": "JSON",
             "mimetype": "application/json",
             "description": "Frictionless Data Package: the CSV's schema, methodology and "
                            "licence."},
        ],
    }


def datastore_json(publication: Publication, *, workbook: str, metadata: str) -> bytes:
    return json.dumps(datastore_record(publication, workbook=workbook, metadata=metadata),
                      indent=2, ensure_ascii=False).encode()
