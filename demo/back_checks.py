"""The demo's back-checks of its simulated wave: each fieldwork day's draw at the end of the
day (as the daily command would), then each back-check made the next morning by the
agency's supervisor or a colleague of the interviewer. The fast interviewer's respondents
say the interview was far longer than recorded and answered a question otherwise: a
discrepancy, which sends the interview back to review; a few businesses cannot be reached."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from accounts.models import User
from survey.models import BackCheck, Interview
from survey.selectors.back_checks import RESPONDENT_ROLES, plan_for, script_for, share_rows
from survey.services.back_checks import back_check_record, back_check_take, draw_back_checks

DRAWN_AT = time(20, 0)  # the daily draw, after calling hours
CHECKED_FROM = time(10, 0)  # back-checks are made the next morning
NOT_REACHED = 0.1  # the chance a business cannot be reached to verify


@dataclass
class BackCheckLog:
    days: int = 0
    drawn: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    escalated: list[int] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def back_check_wave(wave, team: list[User], supervisor: User, rng: np.random.Generator, *,
                    fast: tuple = ()) -> BackCheckLog:
    """Draw each day's back-checks of the wave and make them; returns what happened."""
    log = BackCheckLog()
    zone = ZoneInfo(wave.timezone)
    done = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE,
                                    completed_at__isnull=False)
    days = sorted({at.astimezone(zone).date() for at in done.values_list("completed_at",
                                                                          flat=True)})
    for day in days:
        drawn = draw_back_checks(wave, day=day, now=datetime.combine(day, DRAWN_AT, zone))
        log.days += 1
        log.drawn += len(drawn.selected)
        morning = datetime.combine(day + timedelta(days=1), CHECKED_FROM, zone)
        for number, check in enumerate(drawn.selected):
            _make(check, _checker(check, team, supervisor, number), rng,
                  morning + timedelta(minutes=10 * number), fast, log)
    log.lines = _summary(wave, log)
    return log


def _checker(check: BackCheck, team: list[User], supervisor: User, number: int) -> User:
    """The supervisor, or (every other check) a colleague of the interviewer."""
    colleagues = [user for user in team if user.pk != check.interviewer_id]
    return colleagues[number % len(colleagues)] if number % 2 and colleagues else supervisor


def _make(check: BackCheck, checker: User, rng, now: datetime, fast: tuple,
          log: BackCheckLog) -> None:
    back_check_take(back_check=check, user=checker, now=now)
    script = script_for(check)
    minutes = script.recorded_minutes or 20
    answers = {q.name: str(q.recorded_value) for q in script.key_questions}
    role = RESPONDENT_ROLES[int(rng.integers(0, 4))][0]
    is_fast = check.interviewer_id in {user.pk for user in fast}
    happened = "yes"
    if is_fast:
        changed = next((q for q in script.key_questions if len(q.choices) > 1), None)
        if changed is not None:
            answers[changed.name] = next(v for v, _ in changed.choices
                                         if v != str(changed.recorded_value))
        outcome, note = "discrepancy", (
            f"The respondent says the interview took about {max(20, 3 * minutes)} minutes "
            f"(recorded: {minutes}) and answered a question otherwise.")
        minutes = max(20, 3 * minutes)
    elif rng.random() < NOT_REACHED:
        outcome, note = "could_not_verify", "No answer on three calls on two days."
        answers, role, minutes, happened = {}, "unknown", None, "unsure"
    else:
        outcome, note = "confirmed", ""
        minutes = max(1, minutes + int(rng.integers(-5, 6)))
    done = back_check_record(back_check=check, user=checker, now=now, outcome=outcome,
                             note=note, script={"happened": happened, "respondent_role": role,
                                                "minutes": minutes, "answers": answers})
    log.outcomes[outcome] = log.outcomes.get(outcome, 0) + 1
    if done.escalated:
        log.escalated.append(done.interview_id)


def _summary(wave, log: BackCheckLog) -> list[str]:
    lines = [f"back-checks: {log.drawn} drawn over {log.days} days (at least "
             f"{plan_for(wave).share_percent}% of each interviewer's completes); "
             "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(log.outcomes.items()))]
    for row in share_rows(wave=wave):
        lines.append(f"  {row.username}: {row.selected} of {row.considered} completes "
                     f"back-checked ({row.share or 0:.0f}%)")
    if log.escalated:
        lines.append("back-checks: discrepancies sent back to review: interviews "
                     + ", ".join(str(pk) for pk in log.escalated))
    return lines

