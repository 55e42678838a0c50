"""Borough estimates worth publishing: the services of small-area estimation.

``borough_table_upload`` stores an uploaded borough table (auxiliaries beside the frame's).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from analysis.borough_table import BoroughTableError, read_borough_csv
from analysis.core.small_area import SmallAreaError
from analysis.models import BoroughTable


class SmallAreaOptionsError(SmallAreaError):
    """Options or an upload that cannot be used; ``fields['problems']`` lists each problem
    with the field it concerns."""

    default_code = "small_area_options"

    def __init__(self, problems: list[dict]) -> None:
        super().__init__("; ".join(p["message"] for p in problems),
                         fields={"problems": problems})


def borough_table_upload(*, content: bytes, name: str, source: str,
                         as_of: dt.date | str | None, user=None) -> BoroughTable:
    """Store an uploaded borough table with its source and date; every problem at once."""
    problems: list[dict] = []
    source = (source or "").strip()
    if not source:
        problems.append({"field": "source", "message": "Say where the figures come from "
                         "(e.g. 'Metropolitan Police recorded crime, 2025'), so the notes "
                         "can cite it."})
    elif len(source) > 300:
        problems.append({"field": "source", "message": "The source is longer than 300 "
                         "characters."})
    date = _date(as_of, problems)
    values = None
    label = (name or "borough table").strip() or "borough table"
    try:
        values = read_borough_csv(content, label)
    except BoroughTableError as error:
        problems += [{"field": "file", **p} for p in error.fields["problems"]]
    if problems:
        raise SmallAreaOptionsError(problems)
    return BoroughTable.objects.create(name=label[:200], source=source, as_of=date,
                                       columns=list(values), values=values, created_by=user)


def _date(value: dt.date | str | None, problems: list[dict]) -> dt.date | None:
    if isinstance(value, dt.date):
        date = value
    else:
        raw = (value or "").strip()
        if not raw:
            problems.append({"field": "as_of", "message": "Give the date the figures "
                             "describe (e.g. 2025-03-31)."})
            return None
        try:
            date = dt.date.fromisoformat(raw)
        except ValueError:
            problems.append({"field": "as_of", "message": f"'{raw}' is not a date: write it "
                             "as year-month-day, e.g. 2025-03-31."})
            return None
    if date > timezone.localdate():
        problems.append({"field": "as_of", "message": f"The figures' date {date:%d %B %Y} is "
                         "in the future; give the date they describe."})
        return None
    return date
