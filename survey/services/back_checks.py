"""Back-checks: draw each day's seeded sample of every interviewer's completes, let a checker
take one, record the verification script and its outcome, and escalate a discrepancy to
review. Each write is one transaction, audited.

The draw (`draw_back_checks`) is idempotent per wave and day: a day is drawn once (the
wave's row is locked first, so two draws at once draw once). It considers the completes
up to the day's end (or `now`, if earlier; the interviews' own `completed_at`), and for
each interviewer selects, from the completes not yet considered by an earlier draw, as
many as bring their selected count to at least the set share of all their completes
considered so far, rounded up: ceil(share x completes / 100). The selection is random,
seeded from the wave's seed, the day and the interviewer (numpy's Generator), so the same
records give the same draw.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction

from accounts.audit import audit_record
from accounts.models import AuditEvent
from accounts.permissions import has_role
from accounts.roles import BACK_CHECKERS
from survey.errors import FieldworkConflict, FieldworkError
from survey.models import BackCheck, BackCheckDraw, BackCheckPlan, Interview, Wave
from survey.models.back_checks import MAX_KEY_QUESTIONS
from survey.selectors import back_checks as selectors
from survey.services.review import escalate_to_review
from survey.services.row_locks import lock_row, retry_when_locked
from survey.services.wave_settings import Checker

Outcome = BackCheck.Outcome


class BackCheckNotAllowed(FieldworkError):
    """The user may not check this interview (they took part in it, or their role or agency
    does not check): 403."""

    http_status = 403
    default_code = "back_check_not_allowed"


@dataclass(frozen=True)
class Drawn:
    draw: BackCheckDraw
    selected: list[BackCheck]
    new: bool  # False: the day had been drawn already, nothing new was drawn


def _audit(user, obj, wave: Wave, action: str, **detail: Any) -> None:
    audit_record(action=AuditEvent.Action.CREATED if action == "draw" else
                 AuditEvent.Action.CHANGED, user=user, obj=obj,
                 detail={"back_check": action, "wave": wave.pk, **detail})


# --- settings -------------------------------------------------------------------------------

def back_check_plan_update(*, wave: Wave, user, share_percent: Any, seed: Any,
                           key_questions: Any) -> BackCheckPlan:
    """Set the wave's share, seed and questions re-asked (every problem named at once)."""
    definition = selectors.definition_of(wave.questionnaire_version_id)
    known = [item.name for item in selectors.closed_questions(definition)]
    check = Checker()
    check.back_checks(share_percent, seed, key_questions, known=known,
                      most=MAX_KEY_QUESTIONS)
    check.raise_if_any()
    with transaction.atomic():
        lock_row(Wave, wave.pk)
        plan = selectors.plan_for(wave)
        plan.share_percent, plan.seed = share_percent, seed
        plan.key_questions = list(key_questions)
        plan.full_clean()
        plan.save()
        _audit(user, plan, wave, "plan", share_percent=share_percent, seed=seed,
               key_questions=plan.key_questions)
    return plan


# --- the daily draw -------------------------------------------------------------------------

def wave_today(wave: Wave, now: datetime) -> date:
    return now.astimezone(ZoneInfo(wave.timezone)).date()


def _day_end(wave: Wave, day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(wave.timezone))


def required(share_percent: int, completes: int) -> int:
    """The fewest back-checks that are at least `share_percent` of `completes`."""
    return math.ceil(share_percent * completes / 100) if completes else 0


def pick(pool: list[int], k: int, *, seed: int, day: date, interviewer_id: int) -> list[int]:
    """`k` of `pool` (interview ids, in id order), at random, seeded by seed, day and
    interviewer (reproducible, and independent of the other interviewers)."""
    if k <= 0:
        return []
    rng = np.random.default_rng([seed, day.toordinal(), interviewer_id])
    chosen = rng.choice(len(pool), size=min(k, len(pool)), replace=False)
    return sorted(pool[i] for i in chosen)


@retry_when_locked
def draw_back_checks(wave: Wave, *, day: date, now: datetime, user=None) -> Drawn:
    """Draw the day's back-checks of the wave (once a day; see the module's note)."""
    today = wave_today(wave, now)
    if day > today:
        raise FieldworkError(f"{day} has not come yet in the wave's time zone (today is "
                             f"{today}); back-checks are drawn for today or an earlier day.",
                             code="back_check_day_future", fields={"field": "day"})
    with transaction.atomic():
        wave = lock_row(Wave, wave.pk)
        if wave.status == Wave.Status.SETUP:
            raise FieldworkConflict(f"Wave '{wave}' is not in the field yet: nothing to "
                                    "back-check.", code="wave_not_in_field")
        existing = BackCheckDraw.objects.filter(wave=wave, day=day).first()
        if existing is not None:
            return Drawn(existing, [], new=False)
        last = BackCheckDraw.objects.filter(wave=wave).order_by("-day").first()
        if last is not None and last.day > day:
            raise FieldworkConflict(
                f"Back-checks of wave '{wave}' are drawn up to {last.day}; a draw for "
                f"{day} would come after it.", code="back_check_day_passed",
                fields={"field": "day"})
        plan = selectors.plan_for(wave)
        draw = BackCheckDraw.objects.create(
            wave=wave, day=day, cutoff=min(now, _day_end(wave, day)),
            share_percent=plan.share_percent, seed=plan.seed, drawn_at=now, drawn_by=user)
        selected = _select(wave, draw, previous=last)
        draw.selected = len(selected)
        draw.save(update_fields=["selected"])
        _audit(user, draw, wave, "draw", day=day.isoformat(), selected=len(selected))
    return Drawn(draw, selected, new=True)


def _select(wave: Wave, draw: BackCheckDraw, *, previous: BackCheckDraw | None
            ) -> list[BackCheck]:
    completes = Interview.objects.filter(
        case__wave=wave, status=Interview.Status.COMPLETE, completed_at__isnull=False,
        completed_at__lte=draw.cutoff).order_by("pk")
    chosen = set(BackCheck.objects.filter(wave=wave).values_list("interview_id", flat=True))
    by_interviewer: dict[int, list[tuple[int, datetime]]] = {}
    for pk, interviewer_id, completed_at in completes.values_list(
            "pk", "interviewer_id", "completed_at"):
        by_interviewer.setdefault(interviewer_id, []).append((pk, completed_at))
    rows = []
    for interviewer_id, done in sorted(by_interviewer.items()):
        have = sum(1 for pk, _ in done if pk in chosen)
        k = required(draw.share_percent, len(done)) - have
        new = [pk for pk, at in done if pk not in chosen
               and (previous is None or at > previous.cutoff)]
        pool = new if len(new) >= k else [pk for pk, _ in done if pk not in chosen]
        for pk in pick(pool, k, seed=draw.seed, day=draw.day, interviewer_id=interviewer_id):
            rows.append(BackCheck(wave=wave, draw=draw, interview_id=pk,
                                  interviewer_id=interviewer_id))
    return BackCheck.objects.bulk_create(rows)


# --- checking -------------------------------------------------------------------------------

def _check_may_check(user, back_check: BackCheck) -> None:
    if not has_role(user, *BACK_CHECKERS) or user.agency_id != back_check.wave.agency_id:
        raise BackCheckNotAllowed("Back-checks are made by the agency's supervisors and "
                                  "interviewers.")
    if selectors.is_participant(user, back_check):
        raise BackCheckNotAllowed("You took part in this interview: another interviewer or "
                                  "a supervisor must back-check it.", code="own_interview")


def _lock(back_check: BackCheck, user) -> BackCheck:
    """The back-check locked, read again, and checked: not done, not someone else's."""
    lock_row(BackCheck, back_check.pk)
    locked = BackCheck.objects.select_related("wave", "interview").get(pk=back_check.pk)
    _check_may_check(user, locked)
    if locked.outcome:
        raise FieldworkConflict(f"Back-check {locked.pk} was already recorded "
                                f"({locked.get_outcome_display()}).", code="back_check_done")
    if locked.checker_id not in (None, user.pk):
        raise FieldworkConflict(f"Back-check {locked.pk} was taken by another checker.",
                                code="back_check_taken")
    return locked


@retry_when_locked
def back_check_take(*, back_check: BackCheck, user, now: datetime) -> BackCheck:
    """The checker takes the back-check (of two at once, the second gets a 409)."""
    with transaction.atomic():
        locked = _lock(back_check, user)
        if locked.checker_id is None:
            locked.checker, locked.taken_at = user, now
            locked.save(update_fields=["checker", "taken_at"])
            _audit(user, locked, locked.wave, "take")
    return locked


@retry_when_locked
def back_check_record(*, back_check: BackCheck, user, now: datetime, outcome: str,
                      note: str, script: dict[str, Any]) -> BackCheck:
    """Record the checker's answers and the outcome; a discrepancy sends the interview back
    to review (survey.services.review.escalate_to_review) with the note as the reason."""
    outcome, note = _outcome(outcome, note)
    with transaction.atomic():
        locked = _lock(back_check, user)
        locked.script = clean_script(script, selectors.script_for(locked))
        locked.outcome, locked.note, locked.checked_at = outcome, note, now
        locked.checker = user
        locked.taken_at = locked.taken_at or now
        if outcome == Outcome.DISCREPANCY:
            escalate_to_review(locked.interview, by=user, now=now,
                               reason=f"Back-check {locked.pk}: discrepancy. {note}")
            locked.escalated = True
        locked.save()
        _audit(user, locked, locked.wave, "record", outcome=outcome,
               escalated=locked.escalated)
    return locked


def _outcome(outcome: str, note: str) -> tuple[str, str]:
    if outcome not in Outcome.values:
        raise FieldworkError(f"outcome: choose one of {', '.join(Outcome.values)}.",
                             code="back_check_outcome", fields={"field": "outcome"})
    note = (note or "").strip()
    if len(note) > selectors.MAX_NOTE:
        raise FieldworkError(f"note: at most {selectors.MAX_NOTE} characters (this has "
                             f"{len(note)}).", code="note_too_long", fields={"field": "note"})
    if outcome != Outcome.CONFIRMED and not note:
        raise FieldworkError("note: say what was found (a note is required unless the "
                             "interview is confirmed).", code="note_required",
                             fields={"field": "note"})
    return outcome, note


def clean_script(raw: dict[str, Any], script: selectors.Script) -> dict[str, Any]:
    """The checker's answers, each checked and bounded: happened, respondent_role,
    minutes (0 to 600, or empty) and the re-asked answers by question name."""
    problems: list[tuple[str, str]] = []
    happened = raw.get("happened", "")
    if happened not in dict(selectors.HAPPENED):
        problems.append(("happened", "say whether the interview took place"))
    role = raw.get("respondent_role", "")
    if role not in dict(selectors.RESPONDENT_ROLES):
        problems.append(("respondent_role", "choose the respondent's role"))
    minutes = _minutes(raw.get("minutes"), problems)
    answers = raw.get("answers") or {}
    if not isinstance(answers, dict):
        problems.append(("answers", "give the answers by question name"))
        answers = {}
    known = {q.name for q in script.key_questions}
    unknown = sorted(str(name) for name in set(answers) - known)
    if unknown:
        problems.append(("answers", f"not re-asked by this check: {', '.join(unknown)}"))
    cleaned = {}
    for name in sorted(known):
        value = str(answers.get(name) or "").strip()
        if len(value) > selectors.MAX_ANSWER:
            problems.append((f"answers.{name}", f"at most {selectors.MAX_ANSWER} characters"))
        cleaned[name] = value
    if problems:
        field, _ = problems[0]
        raise FieldworkError("; ".join(f"{f}: {m}" for f, m in problems),
                             code="back_check_script", fields={"field": field})
    return {"happened": happened, "respondent_role": role, "minutes": minutes,
            "answers": cleaned}


def _minutes(raw: Any, problems: list[tuple[str, str]]) -> int | None:
    if raw in (None, ""):
        return None
    try:
        minutes = int(str(raw).strip())
    except ValueError:
        minutes = -1
    if not 0 <= minutes <= selectors.MAX_MINUTES:
        problems.append(("minutes", f"a whole number of minutes from 0 to "
                                    f"{selectors.MAX_MINUTES}"))
        return None
    return minutes
