"""The respondent table: one row per case, one column per variable (via the codebook).

- select_multiple -> one 0/1 column per choice, ``var__choice`` (a don't-know/refused code
  fills every choice column with the code); rank -> one column per choice holding its place;
- a repeat without repeat_count (the interviewer adds instances) -> as many instance columns
  as the largest number of instances any case has;
- a variable inside a repeat -> one column per instance, ``var__<instance>``: the choice name
  for a repeat over a select_multiple (``incidents__burglary``), else 1, 2, ... as seen in the
  data; a select_multiple inside a repeat gives ``var__<instance>__<choice>``;
- select_one answers whose choice names are all integers become integers;
- a question not asked is missing (NaN/None).

``respondent_long_table`` gives one row per (case, repeat instance) instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .codebook import instance_keys
from .definition import Definition, Item
from .routing import case_data
from .walker import ANOTHER_SUFFIX, item_path


def respondent_table(definition: Definition, cases: Sequence[Mapping[str, object]], *,
                     case_ids: Sequence[object] | None = None,
                     today: dt.date | None = None,
                     clocks: Sequence[CaseClock | None] | None = None,
                     stored: Sequence[Mapping[str, object] | None] | None = None
                     ) -> pd.DataFrame:
    """``clocks``: each case's own moments (from its interview), so that today(), now()
    and the start/end metadata give what they gave in the interview, whatever the day the
    table is made; a case without one uses ``today`` (default: the current date).
    ``stored``: each case's calculated values as its interview stored them, taken as they
    are (trigger and once() values included)."""
    moments = list(clocks) if clocks is not None else [None] * len(cases)
    kept = list(stored) if stored is not None else [None] * len(cases)
    data = [case_data(definition, answers, stored=values, **_clock_arguments(clock, today))
            for answers, clock, values in zip(cases, moments, kept, strict=True)]
    counted = _counted_instances(definition, data)
    rows = []
    for case in data:
        row: dict[str, object] = {}
        for item in definition.variables():
            for scope in _scopes(definition, item, counted):
                suffix = "".join(f"__{k}" for k in scope)
                _fill(definition, item, case.get(item_path(item, scope)), item.name + suffix,
                      row)
        rows.append(row)
    columns = [c for item in definition.variables()
               for c in _all_columns(definition, item, counted)]
    index = pd.Index(case_ids if case_ids is not None else range(len(rows)), name="case")
    return pd.DataFrame(rows, columns=columns, index=index)


@dataclass(frozen=True)
class CaseClock:
    """When a case's interview ran: today() is the local date it ended and now() the moment;
    ``start`` and ``end`` fill metadata rows of those types, ``username`` (the interviewer)
    the username row."""

    today: dt.date
    now: dt.datetime
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    username: str = ""


def _clock_arguments(clock: CaseClock | None, today: dt.date | None) -> dict[str, object]:
    if clock is None:
        return {"today": today}
    meta: dict[str, object] = {"now": clock.now}
    if clock.start is not None:
        meta["start"] = clock.start.isoformat(timespec="seconds")
    if clock.end is not None:
        meta["end"] = clock.end.isoformat(timespec="seconds")
    if clock.username:
        meta["username"] = clock.username
    return {"today": clock.today, "meta": meta}


def respondent_long_table(definition: Definition, cases: Sequence[Mapping[str, object]],
                          repeat: str, *, case_ids: Sequence[object] | None = None,
                          today: dt.date | None = None) -> pd.DataFrame:
    """One row per case and instance of ``repeat`` (top-level repeats)."""
    block = definition.by_name[repeat]
    members = [i for i in definition.variables() if i.repeats[:1] == (repeat,)
               and len(i.repeats) == 1]
    ids = list(case_ids) if case_ids is not None else list(range(len(cases)))
    rows = []
    for case_id, answers in zip(ids, cases, strict=True):
        case = case_data(definition, answers, today=today)
        for key in _keys_in_case(definition, block, case):
            row: dict[str, object] = {"case": case_id, "instance": key}
            for item in members:
                _fill(definition, item, case.get(item_path(item, (key,))), item.name, row)
            rows.append(row)
    columns = ["case", "instance"] + [c for i in members
                                      for c in _all_columns(definition, i, {}, flat=True)]
    return pd.DataFrame(rows, columns=columns)


def _keys_in_case(definition: Definition, block: Item, case: Mapping[str, object]) -> list[str]:
    prefix = f"{block.name}["
    seen: dict[str, None] = {}
    for path in case:
        if path.startswith(prefix) and not path.endswith(ANOTHER_SUFFIX):
            seen.setdefault(path[len(prefix):path.index("]")])
    keys = instance_keys(definition, block)
    if keys is not None:
        return [k for k in keys if k in seen]
    return sorted(seen, key=lambda k: int(k) if k.isdigit() else 0)


def _counted_instances(definition: Definition, data: list[dict]) -> dict[str, list[str]]:
    """Instance keys seen in the data for repeats that are counted, not per choice."""
    found: dict[str, set[str]] = {}
    for case in data:
        for path in case:
            if path.endswith(ANOTHER_SUFFIX):
                continue  # "add another?" answers hold no data of an instance
            for step in path.split("/")[:-1]:
                name, _, key = step.partition("[")
                found.setdefault(name, set()).add(key.rstrip("]"))
    return {name: sorted(keys, key=lambda k: int(k) if k.isdigit() else 0)
            for name, keys in found.items()}


def _scopes(definition: Definition, item: Item, counted: dict[str, list[str]]
            ) -> list[tuple[str, ...]]:
    scopes: list[tuple[str, ...]] = [()]
    for repeat_name in item.repeats:
        keys = instance_keys(definition, definition.by_name[repeat_name])
        keys = keys if keys is not None else counted.get(repeat_name, [])
        scopes = [(*s, k) for s in scopes for k in keys]
    return scopes


def _all_columns(definition: Definition, item: Item, counted: dict[str, list[str]],
                 flat: bool = False) -> list[str]:
    out = []
    for scope in [()] if flat else _scopes(definition, item, counted):
        base = item.name + "".join(f"__{k}" for k in scope)
        if item.type in ("select_multiple", "rank"):
            out += [f"{base}__{c.name}" for c in definition.choices.get(item.list_name, [])]
        else:
            out.append(base)
    return out


def _fill(definition: Definition, item: Item, value: object, column: str,
          row: dict[str, object]) -> None:
    if item.type == "rank":  # one column per choice: its place in the ranking
        for choice in definition.choices.get(item.list_name, []):
            cell = value.index(choice.name) + 1 if isinstance(value, list) and \
                choice.name in value else value if isinstance(value, int) else None
            row[f"{column}__{choice.name}"] = cell
        return
    if item.type == "select_multiple":
        for choice in definition.choices.get(item.list_name, []):
            if value is None:
                cell = None
            elif isinstance(value, list):
                cell = int(choice.name in value)
            else:
                cell = value  # a don't-know / refused code
            row[f"{column}__{choice.name}"] = cell
        return
    if item.type == "select_one" and isinstance(value, str) and _integer_names(definition, item):
        value = int(value)
    row[column] = value


def _integer_names(definition: Definition, item: Item) -> bool:
    names = [c.name for c in definition.choices.get(item.list_name, [])]
    return bool(names) and all(n.lstrip("-").isdigit() for n in names)
