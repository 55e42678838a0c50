"""AAPOR Standard Definitions for a telephone survey of businesses (pure, no Django).

Call outcomes are what an interviewer records on a dial; each carries its AAPOR disposition
code. A case's final disposition follows from its attempts by AAPOR's rules; the outcome
rates use the Standard Definitions' formulas. A business number is eligible here, so the
residential codes of the telephone tables are adapted: 4.51 means "not trading".
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class Group(StrEnum):
    """The disposition groups of the rate formulas."""

    I = "I"  # noqa: E741 - AAPOR's own letter: complete interviews
    P = "P"
    R = "R"
    NC = "NC"
    O = "O"  # noqa: E741 - AAPOR's own letter: other eligible non-interviews
    UH = "UH"
    UO = "UO"
    NE = "NE"


@dataclass(frozen=True)
class Disposition:
    code: str
    label: str
    group: Group


DISPOSITIONS: dict[str, Disposition] = {
    d.code: d
    for d in [
        Disposition("1.1", "Complete", Group.I),
        Disposition("1.2", "Partial", Group.P),
        Disposition("2.11", "Refusal", Group.R),
        Disposition("2.12", "Break-off", Group.R),
        Disposition("2.21", "Respondent never available", Group.NC),
        Disposition("2.22", "Business confirmed, message left", Group.NC),
        Disposition("2.32", "Respondent unable to take part", Group.O),
        Disposition("2.33", "Language problem", Group.O),
        Disposition("2.35", "Other eligible non-interview", Group.O),
        Disposition("3.11", "Not attempted", Group.UH),
        Disposition("3.12", "Always busy", Group.UH),
        Disposition("3.13", "No answer", Group.UH),
        Disposition("3.14", "Answering machine, business not confirmed", Group.UH),
        Disposition("3.16", "Technical phone problem", Group.UH),
        Disposition("3.21", "No screener completed", Group.UO),
        Disposition("4.10", "Out of sample: not in London", Group.NE),
        Disposition("4.20", "Fax or data line", Group.NE),
        Disposition("4.30", "Non-working or disconnected number", Group.NE),
        Disposition("4.51", "Business not trading", Group.NE),
    ]
}


@dataclass(frozen=True)
class Outcome:
    """A call outcome an interviewer can record."""

    key: str
    label: str
    code: str
    final: bool
    retry_after: timedelta | None = None  # minimum gap before the next attempt
    next_business_day: bool = False


OUTCOMES: dict[str, Outcome] = {
    o.key: o
    for o in [
        Outcome("complete", "Interview completed", "1.1", final=True),
        Outcome("partial", "Partial interview (stopped)", "1.2", final=False,
                retry_after=timedelta(hours=2)),
        Outcome("refusal", "Refused", "2.11", final=True),
        Outcome("break_off", "Broke off the interview", "2.12", final=True),
        Outcome("appointment", "Appointment made", "2.21", final=False),
        Outcome("callback", "Call back later (respondent not available)", "2.21", final=False,
                retry_after=timedelta(hours=1)),
        Outcome("message_left", "Message left for the respondent", "2.22", final=False,
                next_business_day=True),
        Outcome("unable", "Respondent unable to take part", "2.32", final=True),
        Outcome("language", "Language problem", "2.33", final=True),
        Outcome("busy", "Busy", "3.12", final=False, retry_after=timedelta(minutes=15)),
        Outcome("no_answer", "No answer", "3.13", final=False, retry_after=timedelta(hours=2)),
        Outcome("answering_machine", "Answering machine", "3.14", final=False,
                next_business_day=True),
        Outcome("technical", "Technical problem on the line", "3.16", final=False,
                retry_after=timedelta(hours=1)),
        Outcome("not_london", "Not in London", "4.10", final=True),
        Outcome("fax_data_line", "Fax or data line", "4.20", final=True),
        Outcome("disconnected", "Number disconnected or not working", "4.30", final=True),
        Outcome("not_trading", "Business not trading", "4.51", final=True),
    ]
}

# Without a final outcome, a case ends as the most informative of its interim codes:
# contact with an eligible business beats unknown eligibility; a machine beats no answer,
# which beats busy; a case never dialled is 3.11.
_INTERIM_PRIORITY = ["1.2", "2.21", "2.22", "3.14", "3.16", "3.13", "3.12"]


def final_disposition(codes: Iterable[str]) -> str:
    """The final AAPOR code of a case from its attempts' codes, in call order."""
    codes = list(codes)
    finals = [c for c in codes if _is_final_code(c)]
    if finals:
        return finals[-1]
    for code in _INTERIM_PRIORITY:
        if code in codes:
            return code
    return "3.11"


def _is_final_code(code: str) -> bool:
    return any(o.code == code and o.final for o in OUTCOMES.values())


def group_counts(codes: Iterable[str]) -> dict[Group, int]:
    counts = dict.fromkeys(Group, 0)
    for code in codes:
        counts[DISPOSITIONS[code].group] += 1
    return counts


def eligibility_rate(counts: Mapping[Group, float]) -> float:
    """e: the share of known-eligibility cases that are eligible (proportional allocation)."""
    eligible = sum(counts[g] for g in (Group.I, Group.P, Group.R, Group.NC, Group.O))
    known = eligible + counts[Group.NE]
    return eligible / known if known else 1.0


# The rates, each a numerator over a denominator of the disposition groups (AAPOR Standard
# Definitions). The formula text shown on the supervision page and the arithmetic come from
# these same two tables.
_NUMERATORS: dict[str, tuple[str, Callable[[dict, float], float]]] = {
    "I": ("I", lambda c, e: c["I"]),
    "I+P": ("(I+P)", lambda c, e: c["I"] + c["P"]),
    "R": ("R", lambda c, e: c["R"]),
    "contacted": ("((I+P) + R + O)", lambda c, e: c["I"] + c["P"] + c["R"] + c["O"]),
}
_DENOMINATORS: dict[str, tuple[str, Callable[[dict, float], float]]] = {
    "all": ("(I+P) + (R+NC+O) + (UH+UO)",
            lambda c, e: c["I"] + c["P"] + c["R"] + c["NC"] + c["O"] + c["UH"] + c["UO"]),
    "e": ("(I+P) + (R+NC+O) + e(UH+UO)",
          lambda c, e: c["I"] + c["P"] + c["R"] + c["NC"] + c["O"] + e * (c["UH"] + c["UO"])),
    "known": ("(I+P) + (R+NC+O)", lambda c, e: c["I"] + c["P"] + c["R"] + c["NC"] + c["O"]),
    "cooperating": ("(I+P) + R + O", lambda c, e: c["I"] + c["P"] + c["R"] + c["O"]),
    "cooperating_no_other": ("(I+P) + R", lambda c, e: c["I"] + c["P"] + c["R"]),
}
RATES: dict[str, tuple[str, str]] = {
    "RR1": ("I", "all"), "RR2": ("I+P", "all"), "RR3": ("I", "e"), "RR4": ("I+P", "e"),
    "RR5": ("I", "known"), "RR6": ("I+P", "known"),
    "COOP1": ("I", "cooperating"), "COOP2": ("I+P", "cooperating"),
    "COOP3": ("I", "cooperating_no_other"), "COOP4": ("I+P", "cooperating_no_other"),
    "REF1": ("R", "all"), "REF2": ("R", "e"), "REF3": ("R", "known"),
    "CON1": ("contacted", "all"), "CON2": ("contacted", "e"), "CON3": ("contacted", "known"),
}
SUPERVISION_RATES = ("RR1", "RR3", "COOP1", "REF1", "CON1")


def rate_formula(name: str) -> str:
    """The Standard Definitions' formula of a rate, as text: e.g. RR1's
    'I / ((I+P) + (R+NC+O) + (UH+UO))'."""
    numerator, denominator = RATES[name]
    return f"{_NUMERATORS[numerator][0]} / ({_DENOMINATORS[denominator][0]})"


def outcome_rates(counts: Mapping[Group, float], e: float | None = None) -> dict[str, float | None]:
    """RR1-RR6, COOP1-4, REF1-3 and CON1-3 by the Standard Definitions' formulas (RATES),
    and the eligibility rate e used for RR3/RR4, REF2 and CON2.

    A rate whose denominator is zero is None.
    """
    c = {g.name: float(counts.get(g, 0)) for g in Group}
    e = eligibility_rate({g: c[g.name] for g in Group}) if e is None else e
    rates: dict[str, float | None] = {}
    for name, (numerator, denominator) in RATES.items():
        bottom = _DENOMINATORS[denominator][1](c, e)
        rates[name] = _NUMERATORS[numerator][1](c, e) / bottom if bottom else None
    rates["e"] = e
    return rates
