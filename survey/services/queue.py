"""The case queue: which case an interviewer calls next.

Order: the case the interviewer already holds; then appointments that are due; then
call-backs whose wait has passed; then fresh cases in strata whose quota is not yet met.
Only within the wave's business hours and fieldwork dates, below the attempt cap; a stratum
or borough that has reached its target gets no more fresh cases.

A case goes to one interviewer at a time. The claim is a compare-and-set UPDATE that only
succeeds while the case is still free (`assigned_to` empty, or a claim older than
STALE_CLAIM, so a case is not lost when an interviewer vanishes). On PostgreSQL candidates
are first locked with SELECT ... FOR UPDATE SKIP LOCKED so concurrent interviewers pass
over each other's rows instead of queueing on them; on SQLite (no row locks) each claim is
a single UPDATE, which SQLite serialises. One interviewer's requests are serialised by a lock
on their user row, so two requests at once (a double click) never claim two cases.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from survey.errors import FieldworkConflict
from survey.models import Case, Wave
from survey.selectors.review import counted_complete
from survey.services.row_locks import lock_row, retry_when_locked
from survey.services.scheduling import BusinessHours, is_open, next_open

STALE_CLAIM = timedelta(minutes=60)
CLAIM_REFRESH = timedelta(minutes=1)  # how often activity on a held case renews its claim
_BATCH = 20


@dataclass(frozen=True)
class NextCase:
    case: Case | None
    reason: str  # held, appointment, callback, fresh, outside_business_hours, fieldwork_ended,
    # none_available
    next_open_at: datetime | None = None


@retry_when_locked
def case_next(*, wave: Wave, user, now: datetime | None = None) -> NextCase:
    """The case `user` should call now in `wave`, claimed for them (or why there is none)."""
    now = now or timezone.now()
    if wave.status != Wave.Status.IN_FIELD:
        raise FieldworkConflict(f"wave '{wave}' is not in the field (status {wave.status})",
                                code="wave_not_in_field", fields={"wave": wave.pk})
    with transaction.atomic():
        # One next-case request per interviewer at a time (a double click, two tabs): the
        # second waits here, then finds the case the first claimed as held.
        lock_row(get_user_model(), user.pk)
        held = _held(wave, user, now)
        if held is not None:
            return NextCase(held, "held")
        hours = BusinessHours.from_dict(wave.business_hours, wave.timezone)
        today = now.astimezone(hours.tz).date()
        if wave.ends_on is not None and today > wave.ends_on:
            return NextCase(None, "fieldwork_ended")
        if wave.starts_on is not None and today < wave.starts_on:
            first = datetime.combine(wave.starts_on, time(0, 0), tzinfo=hours.tz)
            return NextCase(None, "outside_business_hours", next_open(hours, first))
        if not is_open(hours, now):
            return NextCase(None, "outside_business_hours", next_open(hours, now))
        for reason, candidates in _tiers(wave, user, now):
            case = _claim(candidates, user, now)
            if case is not None:
                return NextCase(case, reason)
        return NextCase(None, "none_available")


def cases_release_holder(*, user) -> int:
    """Free the cases `user` holds or has reserved (they were deactivated); returns how many."""
    freed = Case.objects.filter(assigned_to=user).update(assigned_to=None, assigned_at=None)
    return freed + Case.objects.filter(reserved_for=user).update(reserved_for=None)


def claim_is_free(now: datetime) -> Q:
    return Q(assigned_to__isnull=True) | Q(assigned_at__lte=now - STALE_CLAIM)


def _held(wave: Wave, user, now: datetime) -> Case | None:
    held = (Case.objects.filter(wave=wave, assigned_to=user, assigned_at__gt=now - STALE_CLAIM)
            .exclude(status__in=[Case.Status.FINAL, Case.Status.CLOSED])
            .order_by("assigned_at", "pk").first())
    if held is not None:
        Case.objects.filter(pk=held.pk, assigned_to=user).update(assigned_at=now)
        held.assigned_at = now
    return held


def full_strata(wave: Wave) -> list[str]:
    """Strata whose completes have reached their target (no more fresh cases there)."""
    if not wave.stratum_targets:
        return []
    completes = dict(Case.objects.filter(counted_complete(), wave=wave).values("stratum")
                     .annotate(n=Count("pk")).values_list("stratum", "n"))
    return [s for s, target in wave.stratum_targets.items() if completes.get(s, 0) >= target]


def full_boroughs(wave: Wave) -> list[str]:
    """Boroughs whose completes have reached their target (no more fresh cases there)."""
    if not wave.borough_targets:
        return []
    borough = "sampled_business__business__borough"
    completes = dict(Case.objects.filter(counted_complete(), wave=wave).values(borough)
                     .annotate(n=Count("pk")).values_list(borough, "n"))
    return [b for b, target in wave.borough_targets.items() if completes.get(b, 0) >= target]


def _tiers(wave: Wave, user, now: datetime) -> list[tuple[str, QuerySet]]:
    base = (Case.objects.filter(wave=wave, attempt_count__lt=wave.max_attempts)
            .filter(claim_is_free(now))
            .filter(Q(reserved_for__isnull=True) | Q(reserved_for=user)))
    due = Q(next_call_at__isnull=True) | Q(next_call_at__lte=now)
    return [
        ("appointment", base.filter(status=Case.Status.APPOINTMENT, next_call_at__lte=now)
         .order_by("next_call_at", "pk")),
        ("callback", base.filter(due, status__in=[Case.Status.CALLBACK, Case.Status.IN_PROGRESS])
         .order_by(F("next_call_at").asc(nulls_first=True), "pk")),
        ("fresh", _fresh(base, wave)),
    ]


def _fresh(base: QuerySet, wave: Wave) -> QuerySet:
    fresh = base.filter(status=Case.Status.FRESH).exclude(stratum__in=full_strata(wave))
    boroughs = full_boroughs(wave)
    if boroughs:
        fresh = fresh.exclude(sampled_business__business__borough__in=boroughs)
    return fresh.order_by("pk")


def _claim(candidates: QuerySet, user, now: datetime) -> Case | None:
    if connection.features.has_select_for_update_skip_locked:
        return _claim_skip_locked(candidates, user, now)
    return _claim_compare_and_set(candidates, user, now)


def _take(candidates: QuerySet, pk: int, user, now: datetime) -> bool:
    """Compare-and-set: claim `pk` only if it still matches the candidate filter."""
    return candidates.filter(pk=pk).update(assigned_to=user, assigned_at=now) == 1


def _claim_skip_locked(candidates: QuerySet, user, now: datetime) -> Case | None:
    while True:
        with transaction.atomic():
            pk = (candidates.select_for_update(skip_locked=True, of=("self",))
                  .values_list("pk", flat=True).first())
            if pk is None:
                return None
            if _take(candidates, pk, user, now):
                return Case.objects.get(pk=pk)


def _claim_compare_and_set(candidates: QuerySet, user, now: datetime) -> Case | None:
    while True:
        pks = list(candidates.values_list("pk", flat=True)[:_BATCH])
        for pk in pks:
            if _take(candidates, pk, user, now):
                return Case.objects.get(pk=pk)
        if len(pks) < _BATCH:
            return None
