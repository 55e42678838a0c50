"""What a publication reports: the measures, the breakdowns and their labels, and the
reporting flags derived from the crime-detail answers (pure, no Django)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sampling.data.boroughs import BOROUGHS


@dataclass(frozen=True)
class Measure:
    name: str
    label: str
    group: str
    description: str
    headline: bool = False


# Crime types of the BAS questionnaire (questionnaires/forms_data/build_bas_workbook.py).
CRIME_TYPES: dict[str, str] = {
    "burglary": "Burglary", "theft_customer": "Theft by customers",
    "theft_staff": "Theft by staff", "criminal_damage": "Criminal damage",
    "robbery": "Robbery", "violence_staff": "Violence, threats or abuse against staff",
    "fraud_customer": "Fraud by customers", "fraud_supplier": "Fraud by suppliers",
    "fraud_other": "Fraud by others", "hacking": "Hacking", "phishing": "Phishing",
    "malware": "Viruses, malware or ransomware", "online_fraud": "Online fraud",
    "denial_of_service": "Denial of service attacks",
}
# Reported codes: 1 police, 2 Action Fraud, 3 both, 4 not reported; -8/-9 don't know/refused.
REPORTED_POLICE = (1, 3)
REPORTED_ACTION_FRAUD = (2, 3)
REPORTED_ANY = (1, 2, 3)

MEASURES: tuple[Measure, ...] = (
    Measure("confident_police", "Confidence in the police", "Confidence in the police",
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
    Measure("reported_any", "Reported to the police or Action Fraud", "Reporting",
            "Of victims: reported at least one crime type to the police or Action Fraud"),
    Measure("reported_police", "Reported to the police", "Reporting",
            "Of victims: reported at least one crime type to the police"),
    Measure("reported_action_fraud", "Reported to Action Fraud", "Reporting",
            "Of victims: reported at least one fraud or online crime to Action Fraud"),
)
MEASURE_BY_NAME = {m.name: m for m in MEASURES}
HEADLINE = tuple(m.name for m in MEASURES if m.headline)

SECTOR_GROUPS: dict[str, str] = {
    "production_construction": "Production and construction",
    "trade_transport": "Wholesale, retail and transport",
    "hospitality_leisure": "Hospitality, leisure and other services",
    "information_finance_property": "Information, finance and property",
    "professional_business": "Professional and business services",
    "public_education_health": "Public sector, education and health",
}
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


def add_reporting_flags(table: pd.DataFrame) -> pd.DataFrame:
    """reported_any / reported_police / reported_action_fraud per respondent, from the
    ``reported__<crime type>`` columns: among victims who answered for at least one crime
    type, 1 if any type was reported that way, else 0; missing for everyone else."""
    columns = [c for c in table.columns if c.startswith("reported__")
               and c.removeprefix("reported__") in CRIME_TYPES]
    table = table.copy()
    if not columns:
        return table
    codes = table[columns].apply(pd.to_numeric, errors="coerce")
    answered = codes.isin([*REPORTED_ANY, 4]).any(axis=1)
    for name, wanted in (("reported_any", REPORTED_ANY), ("reported_police", REPORTED_POLICE),
                         ("reported_action_fraud", REPORTED_ACTION_FRAUD)):
        flag = codes.isin(wanted).any(axis=1).astype(float)
        table[name] = flag.where(answered, np.nan)
    return table
