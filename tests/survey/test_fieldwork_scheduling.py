"""Business hours and retry gaps (pure)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from survey.aapor import OUTCOMES
from survey.services.scheduling import (
    BusinessHours,
    SchedulingError,
    is_open,
    next_business_day,
    next_call_time,
    next_open,
)

LONDON = ZoneInfo("Europe/London")
HOURS = BusinessHours.from_dict({"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:30"})


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(("at", "expected"), [
    (london(2025, 6, 11, 9, 0), True),  # Wednesday opening, inclusive
    (london(2025, 6, 11, 8, 59), False),
    (london(2025, 6, 11, 17, 29), True),
    (london(2025, 6, 11, 17, 30), False),  # closing, exclusive
    (london(2025, 6, 14, 11, 0), False),  # Saturday
    (datetime(2025, 6, 11, 8, 30, tzinfo=UTC), True),  # 09:30 BST
    (datetime(2025, 1, 15, 8, 30, tzinfo=UTC), False),  # 08:30 GMT
])
def test_business_hours_in_the_waves_time_zone(at, expected):
    assert is_open(HOURS, at) is expected


def test_next_open_and_next_business_day():
    friday_evening = london(2025, 6, 13, 18, 0)
    assert next_open(HOURS, friday_evening) == london(2025, 6, 16, 9, 0)
    assert next_open(HOURS, london(2025, 6, 11, 7, 0)) == london(2025, 6, 11, 9, 0)
    assert next_open(HOURS, london(2025, 6, 11, 12, 0)) == london(2025, 6, 11, 12, 0)
    assert next_business_day(HOURS, london(2025, 6, 11, 10, 0)) == london(2025, 6, 12, 9, 0)
    assert next_business_day(HOURS, london(2025, 6, 13, 10, 0)) == london(2025, 6, 16, 9, 0)


@pytest.mark.parametrize(("outcome", "called", "expected"), [
    ("busy", london(2025, 6, 11, 11, 0), london(2025, 6, 11, 11, 15)),
    ("no_answer", london(2025, 6, 11, 11, 0), london(2025, 6, 11, 13, 0)),
    ("no_answer", london(2025, 6, 11, 16, 0), london(2025, 6, 12, 9, 0)),  # 18:00 is closed
    ("answering_machine", london(2025, 6, 11, 11, 0), london(2025, 6, 12, 9, 0)),
    ("answering_machine", london(2025, 6, 13, 11, 0), london(2025, 6, 16, 9, 0)),
    ("message_left", london(2025, 6, 13, 9, 5), london(2025, 6, 16, 9, 0)),
    ("callback", london(2025, 6, 11, 11, 0), london(2025, 6, 11, 12, 0)),
    ("refusal", london(2025, 6, 11, 11, 0), None),
    ("appointment", london(2025, 6, 11, 11, 0), None),  # the appointment sets the time
])
def test_next_call_time_by_outcome(outcome, called, expected):
    assert next_call_time(OUTCOMES[outcome], called, HOURS) == expected


def test_weekend_shift_and_other_time_zone():
    hours = BusinessHours.from_dict({"days": [5, 6], "start": "10:00", "end": "12:00"},
                                    "America/New_York")
    assert hours.describe() == "Sat,Sun 10:00-12:00 America/New_York"
    assert is_open(hours, datetime(2025, 6, 14, 14, 30, tzinfo=UTC))  # 10:30 EDT Saturday
    assert not is_open(hours, datetime(2025, 6, 14, 13, 30, tzinfo=UTC))


@pytest.mark.parametrize(("hours", "tz", "code", "field"), [
    ({"days": [7]}, "Europe/London", "invalid_business_hours", "business_hours.days"),
    ({"days": []}, "Europe/London", "invalid_business_hours", "business_hours.days"),
    ({"start": "9am"}, "Europe/London", "invalid_business_hours", "business_hours.start"),
    ({"start": "18:00"}, "Europe/London", "invalid_business_hours", "business_hours.end"),
    ({}, "Mars/Olympus_Mons", "invalid_timezone", "timezone"),
])
def test_bad_business_hours_name_the_field(hours, tz, code, field):
    with pytest.raises(SchedulingError) as caught:
        BusinessHours.from_dict(hours, tz)
    assert (caught.value.code, caught.value.fields["field"]) == (code, field)
    assert field.split(".")[-1] in caught.value.message


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31),
                       timezones=st.just(UTC))
retrying = [o for o in OUTCOMES.values() if not o.final and (o.retry_after or
                                                            o.next_business_day)]


@settings(max_examples=150, deadline=None)
@given(at=moments, outcome=st.sampled_from(retrying))
def test_next_call_is_open_and_after_the_gap(at, outcome):
    at = at.replace(second=0, microsecond=0)
    nxt = next_call_time(outcome, at, HOURS)
    assert is_open(HOURS, nxt)
    assert nxt >= at + (outcome.retry_after or timedelta(0))
    opened = next_open(HOURS, at)
    assert opened >= at and is_open(HOURS, opened)
    assert opened - at <= timedelta(days=4)  # never beyond a long weekend
