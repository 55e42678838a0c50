"""What a publication reports: the measures, the breakdowns and their labels (pure, no
Django). The crime types and the derived flags the measures are made from are defined once,
in questionnaires/forms_data/bas_variables.py."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires.forms_data.bas_variables import CRIME_LABELS, DERIVED_LABELS
from sampling.data.boroughs import BOROUGHS
from sampling.data.sectors import SECTOR_GROUP_LABELS


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    group: str
    description: str
    headline: bool = False


# Crime types of the BAS questionnaire, from its one definition.
CRIME_TYPES: dict[str, str] = CRIME_LABELS

MEASURES: tuple[Measure, ...] = (
    Measure("confident_police", DERIVED_LABELS["confident_police"], "Confidence in the police",
            "Businesses very or fairly confident that the police would respond effectively "
            "to a crime they reported", headline=True),
    Measure("victim_any", "Victim of any crime", "Victimisation",
            "Businesses that experienced any of the crime types in the last 12 months",
            headline=True),
    Measure("victim_online", "Online victimisation", "Victimisation",
            "Hacking, phishing, malware, online fraud or denial of service in the last 12 "
            "months", headline=True),
    Measure("victim_fraud", "Fraud victimisation", "Victimisation",
            "Fraud by customers, suppliers or others, offline or online, in the last 12 "
            "months", headline=True),
    *(Measure(f"victim_{name}", label, "Victimisation by crime type",
              f"{label} in the last 12 months") for name, label in CRIME_TYPES.items()),
    Measure("reported_any", DERIVED_LABELS["reported_any"], "Reporting",
            "Of victims: reported at least one crime type to the police or Action Fraud"),
    Measure("reported_police", DERIVED_LABELS["reported_police"], "Reporting",
            "Of victims: reported at least one crime type to the police"),
    Measure("reported_action_fraud", DERIVED_LABELS["reported_action_fraud"], "Reporting",
            "Of victims: reported at least one fraud or online crime to Action Fraud"),
)
MEASURE_BY_NAME = {m.name: m for m in MEASURES}
HEADLINE = tuple(m.name for m in MEASURES if m.headline)

SECTOR_GROUPS: dict[str, str] = SECTOR_GROUP_LABELS  # one definition, in sampling
BREAKDOWNS: dict[str, str] = {"all": "All businesses", "borough": "Borough",
                              "sector_group": "Sector"}


def breakdown_of(by: str) -> str:
    """An estimate row's `by` ('' for the whole population) as a breakdown name."""
    return by or "all"


def domain_label(breakdown: str, domain: str) -> str:
    if breakdown == "borough":
        return BOROUGHS.get(domain, domain)
    if breakdown == "sector_group":
        return SECTOR_GROUPS.get(domain, domain)
    return "All businesses"
