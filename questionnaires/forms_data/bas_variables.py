"""The BAS questionnaire's variables that analysis and publication rely on, defined once
(pure: no Django). The workbook builder writes the crime types and the flags the
questionnaire calculates from them; analysis adds the flags derived from the answers to the
respondent table (analysis.respondents); publication reads the names and labels.

- ``victim_<type>``: 1 if the type was experienced in the last 12 months, 0 if not, empty
  if the crime question was answered don't know / refused (calculated in the questionnaire);
- ``victim_online`` = any online type; ``victim_fraud`` = any fraud type or online fraud;
  ``victim_any`` = any crime type (calculated in the questionnaire);
- ``confident_police``: very or fairly confident (``confidence_police`` 1 or 2) = 1, less
  confident (3-5) = 0, don't know / refused missing (derived here);
- ``reported_any`` / ``reported_police`` / ``reported_action_fraud``: among victims who
  answered for at least one crime type, 1 if any type was reported that way, else 0;
  missing for everyone else (derived here, from the ``reported__<type>`` columns).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class CrimeType:
    name: str
    wording: str  # as the questionnaire asks it
    label: str  # as publications show it
    category: str  # physical, fraud or online


CRIME_TYPES: tuple[CrimeType, ...] = (
    CrimeType("burglary", "burglary or attempted burglary of the premises", "Burglary",
              "physical"),
    CrimeType("theft_customer", "theft by customers or other people, such as shoplifting",
              "Theft by customers", "physical"),
    CrimeType("theft_staff", "theft by staff", "Theft by staff", "physical"),
    CrimeType("criminal_damage", "vandalism or criminal damage to the premises or property",
              "Criminal damage", "physical"),
    CrimeType("robbery", "robbery or attempted robbery", "Robbery", "physical"),
    CrimeType("violence_staff", "violence, threats or abuse against staff",
              "Violence, threats or abuse against staff", "physical"),
    CrimeType("fraud_customer", "fraud by customers", "Fraud by customers", "fraud"),
    CrimeType("fraud_supplier", "fraud by suppliers", "Fraud by suppliers", "fraud"),
    CrimeType("fraud_other", "fraud by anyone else, such as someone posing as a supplier",
              "Fraud by others", "fraud"),
    CrimeType("hacking", "hacking of the business's computers, accounts or website",
              "Hacking", "online"),
    CrimeType("phishing", "phishing: fake emails or messages trying to get passwords or "
              "money", "Phishing", "online"),
    CrimeType("malware", "viruses, malware or ransomware", "Viruses, malware or ransomware",
              "online"),
    CrimeType("online_fraud", "fraud carried out online, such as fake invoices paid online",
              "Online fraud", "online"),
    CrimeType("denial_of_service", "denial of service attacks that took a website or system "
              "down", "Denial of service attacks", "online"),
)
CRIME_LABELS: dict[str, str] = {c.name: c.label for c in CRIME_TYPES}
ONLINE: tuple[str, ...] = tuple(c.name for c in CRIME_TYPES if c.category == "online")
FRAUD: tuple[str, ...] = (*(c.name for c in CRIME_TYPES if c.category == "fraud"),
                          "online_fraud")

# confidence_police: 1 very, 2 fairly confident, 3 neither, 4 not very, 5 not at all.
CONFIDENT = (1, 2)
# reported__<type>: 1 police, 2 Action Fraud, 3 both, 4 not reported; -8/-9 don't know/refused.
REPORTED_POLICE = (1, 3)
REPORTED_ACTION_FRAUD = (2, 3)
REPORTED_ANY = (1, 2, 3)
NOT_REPORTED = 4


@dataclass(frozen=True)
class DerivedVariable:
    """A 0/1 flag computed from the respondent table's answers."""

    name: str
    label: str
    derive: Callable[[pd.DataFrame], pd.Series | None]  # None: its answers are absent


def _confident(table: pd.DataFrame) -> pd.Series | None:
    if "confidence_police" not in table.columns:
        return None
    score = pd.to_numeric(table["confidence_police"], errors="coerce")
    return score.isin(CONFIDENT).astype(float).where(score > 0)


def _reported(wanted: tuple[int, ...]) -> Callable[[pd.DataFrame], pd.Series | None]:
    def derive(table: pd.DataFrame) -> pd.Series | None:
        columns = [f"reported__{c.name}" for c in CRIME_TYPES
                   if f"reported__{c.name}" in table.columns]
        if not columns:
            return None
        codes = table[columns].apply(pd.to_numeric, errors="coerce")
        answered = codes.isin([*REPORTED_ANY, NOT_REPORTED]).any(axis=1)
        return codes.isin(wanted).any(axis=1).astype(float).where(answered, np.nan)

    return derive


DERIVED: tuple[DerivedVariable, ...] = (
    DerivedVariable("confident_police", "Confidence in the police", _confident),
    DerivedVariable("reported_any", "Reported to the police or Action Fraud",
                    _reported(REPORTED_ANY)),
    DerivedVariable("reported_police", "Reported to the police", _reported(REPORTED_POLICE)),
    DerivedVariable("reported_action_fraud", "Reported to Action Fraud",
                    _reported(REPORTED_ACTION_FRAUD)),
)
DERIVED_NAMES: tuple[str, ...] = tuple(d.name for d in DERIVED)
DERIVED_LABELS: dict[str, str] = {d.name: d.label for d in DERIVED}


def add_derived(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every derived flag whose answers it holds (a copy)."""
    table = table.copy()
    for variable in DERIVED:
        values = variable.derive(table)
        if values is not None:
            table[variable.name] = values
    return table
