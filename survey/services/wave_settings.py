"""A wave's settings checked as the analyst entered them: every problem at once, each in the
person's words with the place it concerns (a field of the set-up form or API).

Used by the wave services (survey.services.waves) before anything is stored; the form and the
API show the same messages.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from survey.aapor import OUTCOMES
from survey.errors import FieldworkError
from survey.models import Wave

DAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MAX_ATTEMPTS_LIMIT = 50
MAX_RETRY_GAP_MINUTES = 30 * 24 * 60
# Outcomes after which the case is called again after a wait the wave may set.
RETRY_OUTCOMES = [key for key, outcome in OUTCOMES.items()
                  if not outcome.final and key != "appointment"]


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


class WaveSettingsInvalid(FieldworkError):
    """One or more of a wave's settings cannot be used; `problems` lists each with its field."""

    default_code = "invalid_wave"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(
            " ".join(p.message for p in self.problems),
            code=first.code if len(self.problems) == 1 else self.default_code,
            fields={"field": first.field, "problems": [asdict(p) for p in self.problems]})

    def by_field(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for problem in self.problems:
            found.setdefault(problem.field, []).append(problem.message)
        return found


def name_taken(name: str) -> str:
    return f"There is already a wave called '{name}'; give this one another name."


def day(value: date) -> str:
    """A date as people write it: 3 May 2027."""
    return f"{value.day} {value:%B %Y}"


def whole(value: int) -> str:
    return f"{value:,}"


def interviews(value: int) -> str:
    return f"{value:,} interview{'' if value == 1 else 's'}"


class Checker:
    """Collects the problems of a set of settings; `raise_if_any` raises them together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field: str, code: str, message: str) -> None:
        self.problems.append(Problem(field, code, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise WaveSettingsInvalid(self.problems)

    # --- one check per setting ------------------------------------------------------------

    def name(self, name: str, *, taken: bool) -> None:
        if not name.strip():
            self.add("name", "name_missing",
                     "Give the wave a name, for example 'BAS wave 12 (spring 2027)'.")
        elif len(name) > 200:
            self.add("name", "name_too_long", f"The wave's name is {len(name)} characters "
                     "long; keep it to 200 or fewer.")
        elif taken:
            self.add("name", "name_taken", name_taken(name))

    def required(self, field: str, value: Any, message: str) -> bool:
        if value is None:
            self.add(field, f"{field}_missing", message)
            return False
        return True

    def dates(self, starts_on: date | None, ends_on: date | None, *, today: date,
              check_start: bool = True) -> None:
        if check_start and starts_on is not None and starts_on < today:
            self.add("starts_on", "start_in_past",
                     f"The fieldwork start date must be today or later (you entered "
                     f"{day(starts_on)}; today is {day(today)}).")
        if starts_on is not None and ends_on is not None and ends_on <= starts_on:
            self.add("ends_on", "end_before_start",
                     f"The fieldwork end date must be after the start date (you entered "
                     f"{day(starts_on)} and {day(ends_on)}).")
        elif ends_on is not None and ends_on < today:
            self.add("ends_on", "end_in_past",
                     f"The fieldwork end date has already passed (you entered {day(ends_on)}; "
                     f"today is {day(today)}).")

    def calling_hours(self, hours: Mapping) -> None:
        days = hours.get("days", [])
        if (not isinstance(days, list | tuple) or not days
                or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6
                       for d in days)):
            self.add("calling_days", "calling_days_missing",
                     "Choose at least one day of the week on which businesses are called.")
        start = self._clock("calling_start", hours.get("start"), "start")
        end = self._clock("calling_end", hours.get("end"), "end")
        if start is not None and end is not None and end <= start:
            self.add("calling_end", "calling_hours_reversed",
                     f"Calling hours must end after they start (you entered {start:%H:%M} "
                     f"to {end:%H:%M}).")

    def _clock(self, field: str, value: Any, which: str) -> time | None:
        try:
            return time.fromisoformat(str(value))
        except ValueError:
            shown = "nothing" if value in (None, "") else f"'{value}'"
            self.add(field, "calling_time_invalid",
                     f"The time calling hours {which} must be a time of day such as 09:00 "
                     f"(you entered {shown}).")
            return None

    def timezone(self, name: str) -> None:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.add("timezone", "timezone_unknown",
                     f"'{name}' is not a time zone we know; use a name such as "
                     "Europe/London.")

    def max_attempts(self, value: int) -> None:
        if not 1 <= value <= MAX_ATTEMPTS_LIMIT:
            self.add("max_attempts", "max_attempts_out_of_range",
                     f"The most calls to one business must be between 1 and "
                     f"{MAX_ATTEMPTS_LIMIT} (you entered {value}).")

    def retry_gaps(self, gaps: Mapping[str, Any]) -> None:
        for key, minutes in gaps.items():
            field = f"retry_gaps.{key}"
            outcome = OUTCOMES.get(key)
            if outcome is None or key not in RETRY_OUTCOMES:
                if outcome is not None and outcome.final:
                    message = f"'{outcome.label}' ends the case, so it has no wait before a retry."
                else:
                    message = (f"'{key}' is not a call outcome that is tried again; the waits "
                               f"that can be set are for {', '.join(RETRY_OUTCOMES)}.")
                self.add(field, "retry_gap_outcome", message)
            elif (not isinstance(minutes, int) or isinstance(minutes, bool)
                  or not 1 <= minutes <= MAX_RETRY_GAP_MINUTES):
                self.add(field, "retry_gap_out_of_range",
                         f"The wait after '{outcome.label}' must be a whole number of minutes "
                         f"from 1 to {whole(MAX_RETRY_GAP_MINUTES)} (30 days) "
                         f"(you entered {minutes}).")

    def target(self, target: int, *, businesses: int) -> None:
        if target < 1:
            self.add("target_interviews", "target_too_small",
                     f"The target must be at least 1 interview (you entered {target}).")
        elif businesses and target > businesses:
            self.add("target_interviews", "target_above_sample",
                     f"The target of {interviews(target)} is more than the "
                     f"{whole(businesses)} businesses in the sample.")

    def part_targets(self, field: str, what: str, targets: Mapping[str, Any],
                     known: list[str], overall: int) -> None:
        """Targets per stratum or borough: known keys, whole numbers >= 0, adding up to at
        least the overall target."""
        good = True
        for key, value in targets.items():
            if known and key not in known:
                shown = ", ".join(known[:8]) + (" ..." if len(known) > 8 else "")
                plural = "strata" if what == "stratum" else f"{what}s"
                self.add(f"{field}.{key}", f"{what}_unknown",
                         f"'{key}' is not a {what} of the sample (its {plural} are {shown}).")
                good = False
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                self.add(f"{field}.{key}", f"{what}_target_invalid",
                         f"The target for {what} '{key}' must be a whole number of interviews, "
                         f"0 or more (you entered {value}).")
                good = False
        total = sum(v for v in targets.values() if isinstance(v, int))
        every = bool(known) and set(known) <= set(targets)  # unlisted ones have no limit
        if good and every and overall >= 1 and total < overall:
            self.add(field, f"{what}_targets_short",
                     f"The targets per {what} add up to {interviews(total)}, fewer than "
                     f"the {whole(overall)} wanted overall, so the wave could never reach its "
                     "target.")

    def replicates(self, at_start: int, *, drawn: int) -> None:
        if at_start < 0:
            self.add("replicates_at_start", "replicates_negative",
                     f"The replicates to release at the start cannot be fewer than 0 "
                     f"(you entered {at_start}).")
        elif at_start > drawn:
            self.add("replicates_at_start", "replicates_too_many",
                     f"The sample has {drawn} replicate{'s' if drawn != 1 else ''}; you asked "
                     f"to release {at_start} at the start.")

    def review_levels(self, value: str, *, allowed: dict[str, str]) -> None:
        if value not in allowed:
            self.add("review_levels", "review_levels_unknown",
                     f"Choose who reviews completed interviews: "
                     f"{'; '.join(allowed.values())} (you entered '{value}').")

    def back_checks(self, share_percent: Any, seed: Any, key_questions: Any, *,
                    known: list[str], most: int) -> None:
        """The back-check share (a whole percentage, 1 to 100), seed (a whole number from 0)
        and the questions re-asked (up to `most` names of the questionnaire's questions)."""
        if (not isinstance(share_percent, int) or isinstance(share_percent, bool)
                or not 1 <= share_percent <= 100):
            self.add("back_check_share", "back_check_share_out_of_range",
                     f"The share of each interviewer's completes to back-check must be a "
                     f"whole percentage from 1 to 100 (you entered {share_percent}).")
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
            self.add("back_check_seed", "back_check_seed_invalid",
                     f"The back-check seed must be a whole number, 0 or more (you entered "
                     f"{seed}).")
        if not isinstance(key_questions, list) or len(key_questions) > most:
            self.add("back_check_questions", "back_check_questions_too_many",
                     f"Name at most {most} questions to re-ask.")
            return
        for name in key_questions:
            if name not in known:
                self.add("back_check_questions", "back_check_question_unknown",
                         f"'{name}' is not a closed question of the wave's questionnaire.")


# --- the set-up form: text as typed -> typed settings ------------------------------------

def _parse_date(check: Checker, raw: Mapping[str, str], field: str, what: str,
                required: bool) -> date | None:
    text = (raw.get(field) or "").strip()
    if not text:
        if required:
            check.add(field, f"{field}_missing", f"Enter the date fieldwork {what}.")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        check.add(field, "date_invalid",
                  f"The date fieldwork {what} must be a date such as 2027-05-03 "
                  f"(you entered '{text}').")
        return None


def _parse_whole(check: Checker, raw: Mapping[str, str], field: str, what: str,
                 default: int | None) -> int | None:
    text = (raw.get(field) or "").strip().replace(",", "")
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        check.add(field, "number_invalid",
                  f"{what} must be a whole number (you entered '{text}').")
        return default


def _parse_targets(check: Checker, field: str, text: str, what: str) -> dict[str, int]:
    """Lines `key: number` (or `key = number`, `key<TAB>number`)."""
    targets: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        key, sep, value = (line.rpartition(":") if ":" in line else
                           line.rpartition("=") if "=" in line else line.rpartition("\t"))
        key, value = key.strip(), value.strip().replace(",", "")
        if not sep or not key:
            check.add(field, "targets_line_invalid",
                      f"Line {number} of the targets per {what} should be the {what}, a colon "
                      f"and a number, such as 'E09000001: 40' (you entered '{line}').")
            continue
        try:
            targets[key] = int(value)
        except ValueError:
            check.add(field, "targets_line_invalid",
                      f"The target for {what} '{key}' (line {number}) must be a whole number "
                      f"(you entered '{value}').")
    return targets


def settings_from_form(raw: Mapping[str, Any], *, days: list[str]) -> dict[str, Any]:
    """The set-up form's values (strings as typed, `days` the ticked weekday numbers) as the
    keyword arguments of wave_create / wave_update, or WaveSettingsInvalid naming each field
    that cannot be read."""
    check = Checker()
    values: dict[str, Any] = {"name": (raw.get("name") or "").strip()}
    values["starts_on"] = _parse_date(check, raw, "starts_on", "starts", required=True)
    values["ends_on"] = _parse_date(check, raw, "ends_on", "ends", required=True)
    weekdays = []
    for text in days:
        if text.isdigit() and 0 <= int(text) <= 6:
            weekdays.append(int(text))
    values["business_hours"] = {"days": sorted(set(weekdays)),
                                "start": (raw.get("calling_start") or "").strip(),
                                "end": (raw.get("calling_end") or "").strip()}
    values["timezone"] = (raw.get("timezone") or "").strip() or "Europe/London"
    values["max_attempts"] = _parse_whole(check, raw, "max_attempts",
                                          "The most calls to one business", 10)
    gaps = {}
    for key in RETRY_OUTCOMES:
        minutes = _parse_whole(check, raw, f"retry_gaps.{key}",
                               f"The wait after '{OUTCOMES[key].label}'", None)
        if minutes is not None:
            gaps[key] = minutes
    values["retry_gaps"] = gaps
    values["target_interviews"] = _parse_whole(check, raw, "target_interviews",
                                               "The target number of interviews", None)
    by = raw.get("targets_by") or "stratum"
    values["targets_by"] = by
    targets = _parse_targets(check, "targets", raw.get("targets") or "",
                             "borough" if by == "borough" else "stratum")
    values["stratum_targets"] = targets if by != "borough" else {}
    values["borough_targets"] = targets if by == "borough" else {}
    values["targets_from_allocation"] = not targets
    values["replicates_at_start"] = _parse_whole(check, raw, "replicates_at_start",
                                                 "The replicates to release at the start", 0)
    values["review_levels"] = (raw.get("review_levels") or Wave.Review.AGENCY).strip()
    check.raise_if_any()
    return values


def end_date_from_form(text: str) -> date:
    """The new end date typed on the extend form (WaveSettingsInvalid if it is not a date)."""
    check = Checker()
    ends_on = _parse_date(check, {"ends_on": text}, "ends_on", "ends", required=True)
    check.raise_if_any()
    assert ends_on is not None
    return ends_on
