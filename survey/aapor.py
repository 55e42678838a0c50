"""AAPOR Standard Definitions for a telephone survey of businesses (pure, no Django).

Call outcomes are what an interviewer records on a dial; each carries its AAPOR disposition
code. A case's final disposition follows from its attempts by AAPOR's rules; the outcome
rates use the Standard Definitions' formulas. A business number is eligible here, so the
residential codes of the telephone tables are adapted: 4.51 means "not trading".
"""

from collections.abc import Iterable, Mapping
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


def outcome_rates(counts: Mapping[Group, float], e: float | None = None) -> dict[str, float | None]:
    """RR1-RR6, COOP1-4, REF1-3 and CON1-3 by the Standard Definitions' formulas.

    A rate whose denominator is zero is None.
    """
    c = {g: float(counts.get(g, 0)) for g in Group}
    e = eligibility_rate(c) if e is None else e
    i, p, r, nc, o = c[Group.I], c[Group.P], c[Group.R], c[Group.NC], c[Group.O]
    unknown = c[Group.UH] + c[Group.UO]
    known_eligible = (i + p) + (r + nc + o)
    all_cases = known_eligible + unknown
    e_cases = known_eligible + e * unknown
    contacted = (i + p) + r + o

    def ratio(top: float, bottom: float) -> float | None:
        return top / bottom if bottom else None

    return {
        "RR1": ratio(i, all_cases),
        "RR2": ratio(i + p, all_cases),
        "RR3": ratio(i, e_cases),
        "RR4": ratio(i + p, e_cases),
        "RR5": ratio(i, known_eligible),
        "RR6": ratio(i + p, known_eligible),
        "COOP1": ratio(i, (i + p) + r + o),
        "COOP2": ratio(i + p, (i + p) + r + o),
        "COOP3": ratio(i, (i + p) + r),
        "COOP4": ratio(i + p, (i + p) + r),
        "REF1": ratio(r, all_cases),
        "REF2": ratio(r, e_cases),
        "REF3": ratio(r, known_eligible),
        "CON1": ratio(contacted, all_cases),
        "CON2": ratio(contacted, e_cases),
        "CON3": ratio(contacted, known_eligible),
        "e": e,
    }
