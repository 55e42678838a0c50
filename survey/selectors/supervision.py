"""Read side of supervision: a wave's progress against targets, AAPOR rates and interviewer
productivity, computed from the cases, call attempts and interviews.

A case's current disposition is its final code, or else the final disposition its attempts
give by AAPOR's rules (survey.aapor.final_disposition); a case never dialled is 3.11.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from accounts.models import AuditEvent, User
from accounts.permissions import has_role
from accounts.roles import Role
from sampling.data.boroughs import BOROUGHS
from sampling.data.sectors import DEFAULT_SECTOR_GROUPS, SECTOR_GROUP_LABELS
from survey.aapor import (
    DISPOSITIONS,
    SUPERVISION_RATES,
    Group,
    final_disposition,
    group_counts,
    outcome_rates,
)
from survey.models import CallAttempt, Case, Interview, Wave
from survey.selectors.fieldwork import wave_list
from survey.selectors.review import (
    IN_REVIEW,
    ReviewCounts,
    counted_code,
    counted_complete,
    in_review_case_ids,
    review_counts,
)

RATES = SUPERVISION_RATES
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


SECTOR_GROUP_OF_SECTION = {section: group for group, sections in DEFAULT_SECTOR_GROUPS.items()
                           for section in sections}


@dataclass(frozen=True)
class CaseRow:
    stratum: str
    borough: str
    disposition: str
    attempted: bool
    sector: str = ""  # the business's sector group (DEFAULT_SECTOR_GROUPS)


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
    untimed: int = 0  # completes whose timestamps cannot give a length (none is negative)
    approved: int = 0  # their completed interviews that count (approved, or no review)

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
    by_sector: list[Tally]
    dispositions: list[dict]
    interviewers: list[Productivity]
    replicates_drawn: list[int]
    replicates_released: list[int]
    review: ReviewCounts | None = None  # completed interviews and those approved (counted)

    @property
    def rates(self) -> dict[str, float | None]:
        return self.overall.rates

    @property
    def replicates_waiting(self) -> list[int]:
        return [r for r in self.replicates_drawn if r not in self.replicates_released]


def case_rows(wave: Wave) -> list[CaseRow]:
    """Every case of the wave with its stratum, borough and current disposition (a complete
    still in review counts as 1.2, survey.selectors.review)."""
    cases = list(Case.objects.filter(wave=wave).values_list(
        "pk", "stratum", "final_code", "attempt_count", "sampled_business__business__borough",
        "sampled_business__business__sector"))
    codes: dict[int, list[str]] = defaultdict(list)
    pending = (CallAttempt.objects.filter(case__wave=wave, case__final_code="")
               .order_by("case_id", "called_at", "pk").values_list("case_id", "code"))
    for case_id, code in pending:
        codes[case_id].append(code)
    in_review = in_review_case_ids(wave)
    return [CaseRow(stratum=stratum, borough=borough,
                    disposition=counted_code(pk, final_code, in_review)
                    or final_disposition(codes.get(pk, [])),
                    attempted=attempts > 0,
                    sector=SECTOR_GROUP_OF_SECTION.get(section, section or ""))
            for pk, stratum, final_code, attempts, borough, section in cases]


def domain_targets(rows: list[CaseRow], stratum_targets: Mapping[str, float],
                   domain: Callable[[CaseRow], str]) -> dict[str, float]:
    """Each stratum's target split across domains (boroughs, sectors) in proportion to its
    issued cases (exact when strata lie within the domains, as borough x sector strata do)."""
    issued = Counter(row.stratum for row in rows)
    pairs = Counter((row.stratum, domain(row)) for row in rows)
    targets: dict[str, float] = defaultdict(float)
    for (stratum, key), n in pairs.items():
        if stratum in stratum_targets:
            targets[key] += stratum_targets[stratum] * n / issued[stratum]
    return dict(targets)


def borough_targets(rows: list[CaseRow], stratum_targets: Mapping[str, float]
                    ) -> dict[str, float]:
    return domain_targets(rows, stratum_targets, lambda row: row.borough)


def _domain_tallies(rows: list[CaseRow], stratum_targets: Mapping[str, float],
                    domain: Callable[[CaseRow], str], labels: Mapping[str, str]) -> list[Tally]:
    targets = domain_targets(rows, stratum_targets, domain) if stratum_targets else {}
    return [tally(key, labels.get(key, key), (r for r in rows if domain(r) == key),
                  targets.get(key))
            for key in sorted({domain(row) for row in rows})]


def wave_report(*, wave: Wave) -> SupervisionReport:
    rows = case_rows(wave)
    strata = sorted({row.stratum for row in rows} | set(wave.stratum_targets))
    by_stratum = [tally(s, s, (r for r in rows if r.stratum == s), wave.stratum_targets.get(s))
                  for s in strata]
    by_borough = _domain_tallies(rows, wave.stratum_targets, lambda row: row.borough, BOROUGHS)
    by_sector = _domain_tallies(rows, wave.stratum_targets, lambda row: row.sector,
                                SECTOR_GROUP_LABELS)
    counts = Counter(row.disposition for row in rows)
    dispositions = [{"code": code, "label": d.label, "group": d.group.value, "cases": counts[code]}
                    for code, d in DISPOSITIONS.items() if counts[code]]
    drawn = sorted(set(wave.sample.businesses.values_list("replicate", flat=True).distinct()))
    return SupervisionReport(
        wave=wave, overall=tally("all", "All cases", rows, wave.target_interviews),
        by_stratum=by_stratum, by_borough=by_borough, by_sector=by_sector,
        dispositions=dispositions,
        interviewers=interviewer_productivity(wave=wave), replicates_drawn=drawn,
        replicates_released=sorted(wave.sample.released_replicates),
        review=review_counts(wave=wave),
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
    lengths, untimed = _interview_minutes(wave)
    approved = Counter(dict(
        Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE)
        .exclude(review_status__in=IN_REVIEW).values("interviewer_id")
        .annotate(n=Count("pk")).values_list("interviewer_id", "n")))
    return [
        Productivity(
            user_id=user_id, username=names[user_id], calls=counts[user_id]["calls"],
            active_hours=len(hours[user_id]), completes=counts[user_id][Group.I],
            refusals=counts[user_id][Group.R], interviews_timed=len(lengths.get(user_id, [])),
            average_minutes=_mean(lengths.get(user_id, [])), untimed=untimed[user_id],
            approved=approved[user_id])
        for user_id in sorted(names, key=names.get)
    ]


def _interview_minutes(wave: Wave) -> tuple[dict[int, list[float]], Counter]:
    """Each interviewer's interview lengths, from each interview's own timestamps (its start
    and its completion). A length is never negative: an interview whose completion is not
    after its start (clocks that disagree) is counted as untimed, not averaged."""
    done = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE)
    minutes: dict[int, list[float]] = defaultdict(list)
    untimed: Counter = Counter()
    for user_id, started, completed in done.values_list("interviewer_id", "started_at",
                                                        "completed_at"):
        length = interview_minutes(started, completed)
        if length is None:
            untimed[user_id] += 1
        else:
            minutes[user_id].append(length)
    return minutes, untimed


def interview_minutes(started, completed) -> float | None:
    """Minutes from start to completion, or None when they cannot give a length."""
    if started is None or completed is None or completed < started:
        return None
    return (completed - started).total_seconds() / 60


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def supervised_waves(*, user) -> QuerySet[Wave]:
    """The waves the user may supervise, with cases issued and completes."""
    return wave_list(user=user).annotate(
        issued=Count("cases"), completes=Count("cases", filter=counted_complete("cases__")))


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


def replicate_sizes(*, wave: Wave) -> dict[int, int]:
    """Businesses drawn in each replicate of the wave's sample (what a release would add)."""
    counts = (wave.sample.businesses.values("replicate").annotate(n=Count("pk"))
              .order_by("replicate"))
    return {row["replicate"]: row["n"] for row in counts}


@dataclass(frozen=True)
class CaseAtWork:
    """A case an interviewer holds now: who, which case, since when, and whether an
    interview is open on it."""

    case_id: int
    reference: str
    stratum: str
    interviewer: str
    since: object
    interviewing: bool


def cases_at_work(*, wave: Wave) -> list[CaseAtWork]:
    held = (Case.objects.filter(wave=wave, assigned_to__isnull=False)
            .exclude(status__in=[Case.Status.FINAL, Case.Status.CLOSED])
            .select_related("assigned_to", "sampled_business__business")
            .order_by("assigned_to__username", "pk"))
    open_interviews = set(Interview.objects.filter(
        case__wave=wave, status=Interview.Status.IN_PROGRESS).values_list("case_id", flat=True))
    return [CaseAtWork(case.pk, case.sampled_business.business.reference, case.stratum,
                       case.assigned_to.username, case.assigned_at, case.pk in open_interviews)
            for case in held]


def may_see_business_names(*, user, wave: Wave) -> bool:
    """Business names are contact details: only the wave agency's own fieldwork staff see
    them (need-to-know); MOPAC's analysts work with references."""
    return user.agency_id == wave.agency_id and has_role(user, Role.SUPERVISOR, Role.INTERVIEWER)


def wave_cases_search(*, wave: Wave, user, status: str = "", stratum: str = "",
                      query: str = "", order: str = "pk") -> QuerySet[Case]:
    """The wave's cases, filtered, searched by reference (and by business name for those who
    may see names) and sorted by one of CASE_ORDERS."""
    cases = wave_cases(wave=wave, status=status, stratum=stratum)
    query = query.strip()[:100]
    if query:
        match = Q(sampled_business__business__reference__icontains=query)
        if may_see_business_names(user=user, wave=wave):
            match |= Q(sampled_business__business__name__icontains=query)
        cases = cases.filter(match)
    return cases.order_by(*CASE_ORDERS.get(order, CASE_ORDERS["pk"]))


CASE_ORDERS: dict[str, tuple[str, ...]] = {
    "pk": ("pk",),
    "reference": ("sampled_business__business__reference", "pk"),
    "stratum": ("stratum", "pk"),
    "status": ("status", "pk"),
    "calls": ("-attempt_count", "pk"),
    "next_call": ("next_call_at", "pk"),
    "held_by": ("assigned_to__username", "pk"),
}

CASE_CSV_COLUMNS = ("case", "reference", "stratum", "borough", "status", "calls", "last_code",
                    "final_code", "next_call_at", "held_by", "reserved_for")


def case_csv_rows(cases: Iterable[Case]) -> Iterable[list[object]]:
    """One row per case for the supervisor's CSV (no contact details: references only)."""
    for case in cases:
        business = case.sampled_business.business
        yield [case.pk, business.reference, case.stratum, business.borough, case.status,
               case.attempt_count, case.last_code, case.final_code,
               case.next_call_at.isoformat() if case.next_call_at else "",
               case.assigned_to.username if case.assigned_to else "",
               case.reserved_for.username if case.reserved_for else ""]


PROGRESS_CSV_COLUMNS = ("domain", "key", "label", "issued", "attempted", "contacted",
                        "completed", "partial", "refused", "non_contact", "other", "unknown",
                        "ineligible", "target", "achieved", "RR1", "RR3", "COOP1", "REF1",
                        "CON1")


def progress_csv_rows(report: SupervisionReport) -> Iterable[list[object]]:
    """The wave's progress by wave, stratum, borough and sector, one row per domain."""
    groups = (("wave", [report.overall]), ("stratum", report.by_stratum),
              ("borough", report.by_borough), ("sector", report.by_sector))
    for domain, tallies in groups:
        for t in tallies:
            yield [domain, t.key, t.label, t.issued, t.attempted, t.contacted, t.completed,
                   t.partial, t.refused, t.non_contact, t.other, t.unknown, t.ineligible,
                   "" if t.target is None else round(t.target, 1),
                   "" if t.achieved is None else round(t.achieved, 4),
                   *("" if t.rates.get(r) is None else round(t.rates[r], 4) for r in RATES)]
