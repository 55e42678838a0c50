"""When a case may be called (pure, no Django).

A wave calls businesses in its business hours (Mon-Fri 09:00-17:30 Europe/London by
default), in the wave's own time zone, so daylight saving is handled by zoneinfo. After an
outcome, the next attempt waits a gap that depends on the outcome (aapor.OUTCOMES):
busy 15 minutes, no answer 2 hours, an answering machine the next business day...
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bas.errors import BasError
from survey.aapor import Outcome

DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class SchedulingError(BasError):
    """Business hours or a time zone that cannot be used."""


@dataclass(frozen=True)
class BusinessHours:
    days: frozenset[int]  # 0 = Monday ... 6 = Sunday
    start: time
    end: time
    tz: ZoneInfo

    @classmethod
    def from_dict(cls, hours: Mapping, timezone: str = "Europe/London") -> "BusinessHours":
        """Parse a wave's `business_hours` ({"days": [0..6], "start": "HH:MM", "end": "HH:MM"})."""
        tz = _zone(timezone)
        days = hours.get("days", [0, 1, 2, 3, 4])
        if (not isinstance(days, list | tuple) or not days
                or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6
                       for d in days)):
            raise SchedulingError(
                f"business_hours.days: {days!r} is not a non-empty list of weekday numbers "
                "0 (Monday) to 6 (Sunday)", code="invalid_business_hours",
                fields={"field": "business_hours.days", "value": days})
        start = _clock(hours.get("start", "09:00"), "start")
        end = _clock(hours.get("end", "17:30"), "end")
        if end <= start:
            raise SchedulingError(
                f"business_hours: end {end:%H:%M} is not after start {start:%H:%M}",
                code="invalid_business_hours",
                fields={"field": "business_hours.end", "value": f"{end:%H:%M}"})
        return cls(frozenset(days), start, end, tz)

    def describe(self) -> str:
        days = ",".join(DAY_NAMES[d] for d in sorted(self.days))
        return f"{days} {self.start:%H:%M}-{self.end:%H:%M} {self.tz.key}"

    def in_words(self) -> str:
        """As people say it: 'Monday to Friday, 09:00 to 17:30, Europe/London time'."""
        return (f"{days_in_words(self.days)}, {self.start:%H:%M} to {self.end:%H:%M}, "
                f"{self.tz.key} time")


DAY_WORDS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def days_in_words(days) -> str:
    """[0, 1, 2, 3, 4] -> 'Monday to Friday'; [0, 2, 4] -> 'Monday, Wednesday and Friday'."""
    ordered = sorted(set(days))
    if len(ordered) == 7:
        return "every day"
    if len(ordered) >= 3 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_WORDS[ordered[0]]} to {DAY_WORDS[ordered[-1]]}"
    names = [DAY_WORDS[d] for d in ordered]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def moment_in_words(at: datetime, tz: ZoneInfo, *, now: datetime | None = None) -> str:
    """A moment in local time as people write it: 'Thursday 4 December, 14:30' (with the
    year when it is not the year of `now`, or when no `now` is given)."""
    local = _aware(at).astimezone(tz)
    year = "" if now is not None and _aware(now).astimezone(tz).year == local.year \
        else f" {local.year}"
    return f"{DAY_WORDS[local.weekday()]} {local.day} {local:%B}{year}, {local:%H:%M}"


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SchedulingError(f"timezone: '{name}' is not a known time zone",
                              code="invalid_timezone",
                              fields={"field": "timezone", "value": name}) from exc


def _clock(value: object, name: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError as exc:
        raise SchedulingError(
            f"business_hours.{name}: '{value}' is not a time of day HH:MM",
            code="invalid_business_hours",
            fields={"field": f"business_hours.{name}", "value": value}) from exc


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("scheduling needs time-zone aware datetimes")
    return at


def is_open(hours: BusinessHours, at: datetime) -> bool:
    """True when `at` falls in business hours (start inclusive, end exclusive)."""
    local = _aware(at).astimezone(hours.tz)
    return local.weekday() in hours.days and hours.start <= local.time() < hours.end


def _opening(hours: BusinessHours, day: date) -> datetime:
    return datetime.combine(day, hours.start, tzinfo=hours.tz)


def next_open(hours: BusinessHours, at: datetime) -> datetime:
    """The earliest moment at or after `at` inside business hours."""
    if is_open(hours, at):
        return at
    local = _aware(at).astimezone(hours.tz)
    day = local.date()
    if local.weekday() in hours.days and local.time() < hours.start:
        return _opening(hours, day)
    return next_business_day(hours, at)


def next_business_day(hours: BusinessHours, at: datetime) -> datetime:
    """The opening time of the first business day after `at`'s local date."""
    day = _aware(at).astimezone(hours.tz).date()
    for _ in range(7):
        day += timedelta(days=1)
        if day.weekday() in hours.days:
            return _opening(hours, day)
    raise AssertionError("business hours have at least one day")  # from_dict guarantees it


def next_call_time(outcome: Outcome, called_at: datetime, hours: BusinessHours,
                   gaps: Mapping[str, int] | None = None) -> datetime | None:
    """When a case may next be called after `outcome`; None if the outcome ends the case or
    the time comes from elsewhere (an appointment).

    `gaps` are the wave's own waits in minutes by outcome key (Wave.retry_gaps); an outcome
    listed there waits that long (then the next calling time), instead of its standard gap.
    """
    if outcome.final:
        return None
    minutes = (gaps or {}).get(outcome.key)
    if minutes is not None:
        return next_open(hours, _aware(called_at) + timedelta(minutes=int(minutes)))
    if outcome.next_business_day:
        return next_business_day(hours, called_at)
    if outcome.retry_after is None:
        return None
    return next_open(hours, _aware(called_at) + outcome.retry_after)
