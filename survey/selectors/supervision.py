"""Read side of supervision: a wave's progress against targets, AAPOR rates and interviewer
productivity, computed from the cases, call attempts and interviews.

A case's current disposition is its final code, or else the final disposition its attempts
give by AAPOR's rules (survey.aapor.final_disposition); a case never dialled is 3.11.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from accounts.models import AuditEvent, User
from accounts.roles import Role
from sampling.data.boroughs import BOROUGHS
from survey.aapor import DISPOSITIONS, Group, final_disposition, group_counts, outcome_rates
from survey.models import CallAttempt, Case, Interview, Wave
from survey.selectors.fieldwork import wave_list

RATES = ("RR1", "RR3", "COOP1", "REF1", "CON1")
CONTACT_GROUPS = (Group.I, Group.P, Group.R, Group.O)  # contacted, as CON1 counts it


@dataclass(frozen=True)
class Tally:
    """Cases of one domain (the wave, a stratum or a borough) by disposition group."""

    key: str
    label: str
    issued: int
    attempted: int
    contacted: int
    completed: int
    partial: int
    refused: int
    non_contact: int
    other: int
    unknown: int
    ineligible: int
    target: float | None
    rates: dict[str, float | None] = field(default_factory=dict)

    @property
    def achieved(self) -> float | None:
        """Completes as a share of the target (None without a target)."""
        return self.completed / self.target if self.target else None

    @property
    def to_go(self) -> float | None:
        return max(self.target - self.completed, 0) if self.target is not None else None

    @property
    def percent(self) -> dict[str, float | None]:
        """The rates and the share of target achieved, in per cent (for display)."""
        shares = {**self.rates, "achieved": self.achieved}
        return {name: None if value is None else 100 * value for name, value in shares.items()}


@dataclass(frozen=True)
class CaseRow:
    stratum: str
    borough: str
    disposition: str
    attempted: bool


def tally(key: str, label: str, rows: Iterable[CaseRow], target: float | None) -> Tally:
    rows = list(rows)
    counts = group_counts(row.disposition for row in rows)
    rates = outcome_rates(counts)
    return Tally(
        key=key, label=label, issued=len(rows), attempted=sum(row.attempted for row in rows),
        contacted=sum(counts[g] for g in CONTACT_GROUPS), completed=counts[Group.I],
        partial=counts[Group.P], refused=counts[Group.R], non_contact=counts[Group.NC],
        other=counts[Group.O], unknown=counts[Group.UH] + counts[Group.UO],
        ineligible=counts[Group.NE], target=target,
        rates={name: rates[name] for name in (*RATES, "e")},
    )


@dataclass(frozen=True)
class Productivity:
    """One interviewer's work in a wave.

    Calls per hour are over active hours: the clock hours (in the wave's time zone) in which
    they made at least one call, so breaks and nights do not count. The refusal rate is
    refusals (2.11, 2.12) over completes plus refusals.
    """

    user_id: int
    username: str
    calls: int
    active_hours: int
    completes: int
    refusals: int
    interviews_timed: int
    average_minutes: float | None

    @property
    def calls_per_hour(self) -> float | None:
        return self.calls / self.active_hours if self.active_hours else None

    @property
    def refusal_rate(self) -> float | None:
        decided = self.completes + self.refusals
        return self.refusals / decided if decided else None

    @property
    def refusal_percent(self) -> float | None:
        rate = self.refusal_rate
        return None if rate is None else 100 * rate


@dataclass(frozen=True)
class SupervisionReport:
    wave: Wave
    overall: Tally
    by_stratum: list[Tally]
    by_borough: list[Tally]
    dispositions: list[dict]
    interviewers: list[Productivity]
    replicates_drawn: list[int]
    replicates_released: list[int]

    @property
    def rates(self) -> dict[str, float | None]:
        return self.overall.rates

    @property
    def replicates_waiting(self) -> list[int]:
        return [r for r in self.replicates_drawn if r not in self.replicates_released]


def case_rows(wave: Wave) -> list[CaseRow]:
    """Every case of the wave with its stratum, borough and current disposition."""
    cases = list(Case.objects.filter(wave=wave).values_list(
        "pk", "stratum", "final_code", "attempt_count", "sampled_business__business__borough"))
    codes: dict[int, list[str]] = defaultdict(list)
    pending = (CallAttempt.objects.filter(case__wave=wave, case__final_code="")
               .order_by("case_id", "called_at", "pk").values_list("case_id", "code"))
    for case_id, code in pending:
        codes[case_id].append(code)
    return [CaseRow(stratum=stratum, borough=borough,
                    disposition=final_code or final_disposition(codes.get(pk, [])),
                    attempted=attempts > 0)
            for pk, stratum, final_code, attempts, borough in cases]


def borough_targets(rows: list[CaseRow], stratum_targets: Mapping[str, float]
                    ) -> dict[str, float]:
    """Each stratum's target split across boroughs in proportion to its issued cases
    (exact when strata lie within boroughs, as borough x sector strata do)."""
    issued = Counter(row.stratum for row in rows)
    pairs = Counter((row.stratum, row.borough) for row in rows)
    targets: dict[str, float] = defaultdict(float)
    for (stratum, borough), n in pairs.items():
        if stratum in stratum_targets:
            targets[borough] += stratum_targets[stratum] * n / issued[stratum]
    return dict(targets)


def wave_report(*, wave: Wave) -> SupervisionReport:
    rows = case_rows(wave)
    strata = sorted({row.stratum for row in rows} | set(wave.stratum_targets))
    by_stratum = [tally(s, s, (r for r in rows if r.stratum == s), wave.stratum_targets.get(s))
                  for s in strata]
    targets = borough_targets(rows, wave.stratum_targets) if wave.stratum_targets else {}
    by_borough = [tally(b, BOROUGHS.get(b, b), (r for r in rows if r.borough == b),
                        targets.get(b))
                  for b in sorted({row.borough for row in rows})]
    counts = Counter(row.disposition for row in rows)
    dispositions = [{"code": code, "label": d.label, "group": d.group.value, "cases": counts[code]}
                    for code, d in DISPOSITIONS.items() if counts[code]]
    drawn = sorted(set(wave.sample.businesses.values_list("replicate", flat=True).distinct()))
    return SupervisionReport(
        wave=wave, overall=tally("all", "All cases", rows, wave.target_interviews),
        by_stratum=by_stratum, by_borough=by_borough, dispositions=dispositions,
        interviewers=interviewer_productivity(wave=wave), replicates_drawn=drawn,
        replicates_released=sorted(wave.sample.released_replicates),
    )


def interviewer_productivity(*, wave: Wave) -> list[Productivity]:
    zone = ZoneInfo(wave.timezone)
    calls = CallAttempt.objects.filter(case__wave=wave).values_list(
        "interviewer_id", "interviewer__username", "called_at", "code")
    names: dict[int, str] = {}
    counts: dict[int, Counter] = defaultdict(Counter)
    hours: dict[int, set] = defaultdict(set)
    for user_id, username, called_at, code in calls:
        names[user_id] = username
        counts[user_id]["calls"] += 1
        counts[user_id][DISPOSITIONS[code].group] += 1
        local = called_at.astimezone(zone)
        hours[user_id].add((local.date(), local.hour))
    lengths = _interview_minutes(wave)
    return [
        Productivity(
            user_id=user_id, username=names[user_id], calls=counts[user_id]["calls"],
            active_hours=len(hours[user_id]), completes=counts[user_id][Group.I],
            refusals=counts[user_id][Group.R], interviews_timed=len(lengths.get(user_id, [])),
            average_minutes=_mean(lengths.get(user_id, [])))
        for user_id in sorted(names, key=names.get)
    ]


def _interview_minutes(wave: Wave) -> dict[int, list[float]]:
    done = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE,
                                    completed_at__isnull=False)
    minutes: dict[int, list[float]] = defaultdict(list)
    for user_id, started, completed in done.values_list("interviewer_id", "started_at",
                                                        "completed_at"):
        minutes[user_id].append((completed - started).total_seconds() / 60)
    return minutes


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def supervised_waves(*, user) -> QuerySet[Wave]:
    """The waves the user may supervise, with cases issued and completes."""
    return wave_list(user=user).annotate(
        issued=Count("cases"), completes=Count("cases", filter=Q(cases__final_code="1.1")))


def agency_interviewers(*, wave: Wave) -> QuerySet[User]:
    """The active interviewers of the wave's agency (whom a case may be reassigned to)."""
    return (User.objects.filter(agency=wave.agency, is_active=True,
                                groups__name=Role.INTERVIEWER.value)
            .order_by("username").distinct())


def supervision_actions(*, wave: Wave, limit: int = 20) -> QuerySet[AuditEvent]:
    """The latest supervision actions on the wave, from the audit log."""
    return (AuditEvent.objects.filter(detail__wave=wave.pk, detail__has_key="supervision")
            .order_by("-at", "-pk")[:limit])


def wave_cases(*, wave: Wave, status: str = "", stratum: str = "") -> QuerySet[Case]:
    cases = (Case.objects.filter(wave=wave)
             .select_related("sampled_business__business", "assigned_to", "reserved_for")
             .order_by("pk"))
    if status:
        cases = cases.filter(status=status)
    if stratum:
        cases = cases.filter(stratum=stratum)
    return cases
