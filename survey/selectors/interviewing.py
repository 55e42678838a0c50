"""Read queries for an interviewer's home page: their calls today and their appointment diary,
in their agency's waves only (scoped through the fieldwork selectors)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from survey.aapor import OUTCOMES
from survey.models import Appointment, CallAttempt, Case
from survey.selectors.fieldwork import case_list, contact_details_visible

DIARY_DAYS = 14


@dataclass(frozen=True)
class CallRow:
    case_id: int
    business: str
    wave: str
    at: str  # local time, "14:30"
    code: str
    outcome: str
    notes: str


@dataclass(frozen=True)
class CallsToday:
    rows: list[CallRow]
    calls: int
    completes: int
    refusals: int
    cases: int


def _local_day_start(now: datetime) -> datetime:
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.combine(now.astimezone(zone).date(), time(0, 0), tzinfo=zone)


def calls_today(*, user, now: datetime) -> CallsToday:
    """The interviewer's call attempts since midnight (local time), latest first."""
    attempts = list(
        CallAttempt.objects.filter(interviewer=user, called_at__gte=_local_day_start(now),
                                   called_at__lte=now,
                                   case__in=case_list(user=user).values("pk"))
        .select_related("case__wave", "case__sampled_business__business")
        .order_by("-called_at", "-pk"))
    rows = []
    for attempt in attempts:
        zone = ZoneInfo(attempt.case.wave.timezone)
        outcome = OUTCOMES.get(attempt.outcome)
        business = attempt.case.sampled_business.business
        rows.append(CallRow(
            case_id=attempt.case_id,
            # need-to-know: the name only while the case is still theirs to see
            business=(business.name if contact_details_visible(user=user, case=attempt.case)
                      else business.reference),
            wave=attempt.case.wave.name, at=f"{attempt.called_at.astimezone(zone):%H:%M}",
            code=attempt.code, outcome=outcome.label if outcome else attempt.outcome,
            notes=attempt.notes))
    return CallsToday(rows=rows, calls=len(rows),
                      completes=sum(1 for a in attempts if a.code == "1.1"),
                      refusals=sum(1 for a in attempts if a.code.startswith("2.1")),
                      cases=len({a.case_id for a in attempts}))


@dataclass(frozen=True)
class DiaryEntry:
    case_id: int
    business: str
    wave: str
    due_at: datetime
    timezone: str  # the wave's, to show due_at in
    ask_for: str
    due: bool  # due now (or overdue)
    mine: bool  # made by this interviewer
    reserved_for_me: bool


def appointment_diary(*, user, now: datetime) -> list[DiaryEntry]:
    """Appointments still to keep (the case waits on it) in the interviewer's waves: those
    they made, and any reserved for them, overdue first, up to DIARY_DAYS ahead."""
    waiting = case_list(user=user).filter(status=Case.Status.APPOINTMENT,
                                          wave__status="in_field")
    appointments = (Appointment.objects.filter(case__in=waiting.values("pk"),
                                               due_at__lte=now + timedelta(days=DIARY_DAYS))
                    .select_related("case__wave", "case__sampled_business__business")
                    .order_by("due_at", "pk"))
    latest: dict[int, Appointment] = {}
    for appointment in appointments:
        latest[appointment.case_id] = appointment  # the case waits on its last appointment
    entries = []
    for appointment in sorted(latest.values(), key=lambda a: (a.due_at, a.pk)):
        case = appointment.case
        mine = appointment.created_by_id == user.pk
        reserved = case.reserved_for_id == user.pk
        if not (mine or reserved):
            continue
        entries.append(DiaryEntry(
            case_id=case.pk, business=case.sampled_business.business.name, wave=case.wave.name,
            due_at=appointment.due_at, timezone=case.wave.timezone,
            ask_for=appointment.ask_for, due=appointment.due_at <= now, mine=mine,
            reserved_for_me=reserved))
    return entries
