"""Storing an interview's calculated values as it works them out (trigger and once() keep
them; the respondent table reads them as stored). The caller holds the interview's lock."""

from datetime import datetime

from django.utils import timezone

from questionnaires.engine import Session
from survey.models import CalculatedValue, Interview


def calculated_clock_set(*, session: Session, interview: Interview, now: datetime,
                         ending: bool = False) -> None:
    """Calculates are worked out at the interview's own moment: now() is `now`, today() its
    local date; at completion `end` is that moment too."""
    session.set_clock(timezone.localtime(now).replace(tzinfo=None), timezone.localdate(now))
    if ending:
        session.meta["end"] = now.isoformat(timespec="seconds")


def calculated_values_store(*, interview: Interview, values: dict[str, object],
                            now: datetime) -> list[CalculatedValue]:
    """Record each calculated value that changed (a row with its time) and cache them all on
    the interview (saved by the caller with `values` in update_fields)."""
    before = interview.values or {}
    changed = [CalculatedValue(interview=interview, path=path, value=value,
                               previous=before.get(path), recorded_at=now)
               for path, value in values.items() if before.get(path) != value]
    CalculatedValue.objects.bulk_create(changed)
    interview.values = dict(values)
    return changed
