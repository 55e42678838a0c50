"""Reads for back-checks: a wave's plan, the share per interviewer, the back-checks a user may
see or take, the verification script and the need-to-know contact details.

Who may check (the one rule, `may_check`): a supervisor or an interviewer of the wave's
agency who took no part in the interview (neither its interviewer nor anyone who recorded
one of its answers).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q, QuerySet

from accounts.permissions import has_role, scope_to_agency
from accounts.roles import BACK_CHECKERS, Role
from questionnaires.engine.definition import Definition, Item, pick_text
from questionnaires.models import QuestionnaireVersion
from survey.models import AnswerEvent, BackCheck, BackCheckDraw, BackCheckPlan, Interview, Wave
from survey.models.back_checks import DEFAULT_SHARE_PERCENT, MAX_KEY_QUESTIONS
from survey.selectors.fieldwork import CONTACT_FIELDS, PURGED, contact_details_visible

CLOSED_TYPES = ("select_one", "integer", "decimal")
HAPPENED = [("yes", "Yes, someone here took part"), ("no", "No, nobody here took part"),
            ("unsure", "Not sure")]
RESPONDENT_ROLES = [("owner", "Owner or proprietor"), ("director", "Director or partner"),
                    ("manager", "Manager"), ("employee", "Another employee"),
                    ("other", "Someone else"), ("unknown", "Could not say")]
MAX_MINUTES = 600
MAX_ANSWER = 200
MAX_NOTE = 1500  # with its prefix, within a review reason's 2,000 characters
MAX_LISTED = 200  # back-checks listed to do at once


def plan_for(wave: Wave) -> BackCheckPlan:
    """The wave's plan, or (unsaved) the defaults: 10%, seeded with the sample's seed."""
    plan = BackCheckPlan.objects.filter(wave=wave).first()
    if plan is None:
        plan = BackCheckPlan(wave=wave, share_percent=DEFAULT_SHARE_PERCENT,
                             seed=wave.sample.design.seed, key_questions=[])
    return plan


def definition_of(version_id: int) -> Definition:
    version = QuestionnaireVersion.objects.only("definition").get(pk=version_id)
    return Definition.from_dict(version.definition)


def closed_questions(definition: Definition) -> list[Item]:
    """The questions a back-check may re-ask: closed ones asked once (not in a repeat)."""
    return [item for item in definition.questions()
            if item.type in CLOSED_TYPES and item.asked and not item.repeats]


# --- who may check, and what they see ----------------------------------------------------

def participants(interview: Interview) -> set[int]:
    """The interviewer and everyone who recorded one of the interview's answers."""
    users = set(AnswerEvent.objects.filter(interview=interview)
                .values_list("user_id", flat=True).distinct())
    return users | {interview.interviewer_id}


def is_participant(user, back_check: BackCheck) -> bool:
    return user.pk in participants(back_check.interview)


def hidden_from(user, back_check: BackCheck) -> str:
    """Why the user may not open this back-check ('' when they may): its interviewer and
    anyone who recorded its answers never; an interviewer (checking for the agency) only
    while it is untaken, or when they took it."""
    if is_participant(user, back_check):
        return "You took part in this interview: its back-check is not yours to see."
    others = (Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
    if not has_role(user, *others) and back_check.checker_id not in (None, user.pk):
        return "Another checker took this back-check."
    return ""


def may_check(user, back_check: BackCheck) -> bool:
    return (user.agency_id == back_check.wave.agency_id and has_role(user, *BACK_CHECKERS)
            and not is_participant(user, back_check))


def contacts(user, back_check: BackCheck) -> dict[str, str] | None:
    """The business's contact details for this user, or None (need-to-know): whoever the
    case rule allows, and the checker who took this check while it is open and the wave is
    not closed; never once purged."""
    case = back_check.interview.case
    business = case.sampled_business.business
    if business.name == PURGED:
        return None
    visible = contact_details_visible(user=user, case=case) or (
        back_check.checker_id == user.pk and not back_check.outcome
        and back_check.wave.status != Wave.Status.CLOSED
        and user.agency_id == back_check.wave.agency_id and has_role(user, Role.INTERVIEWER))
    return {name: getattr(business, name) for name in CONTACT_FIELDS} if visible else None


# --- lists ---------------------------------------------------------------------------------

def _checks() -> QuerySet[BackCheck]:
    return BackCheck.objects.select_related("wave", "interviewer", "checker", "draw",
                                            "interview__case__sampled_business__business")


def back_check_get(*, user, back_check_id: int) -> BackCheck | None:
    return scope_to_agency(_checks(), user, agency_field="wave__agency").filter(
        pk=back_check_id).first()


def wave_back_checks(*, wave: Wave) -> QuerySet[BackCheck]:
    return _checks().filter(wave=wave).order_by("-draw__day", "pk")


def _open_for(user) -> QuerySet[BackCheck]:
    checks = _checks().filter(wave__agency_id=user.agency_id, outcome="",
                              wave__status=Wave.Status.IN_FIELD).exclude(interviewer=user)
    return checks.filter(Q(checker__isnull=True) | Q(checker=user))


def to_do(*, user) -> list[BackCheck]:
    """Open back-checks of the user's agency's waves in the field that the user may take
    (not taken by someone else) and did not take part in: the first MAX_LISTED."""
    if not has_role(user, *BACK_CHECKERS):
        return []
    return [c for c in _open_for(user)[:MAX_LISTED] if not is_participant(user, c)]


def to_do_beyond_list(*, user) -> bool:
    """Whether more open back-checks wait than the list shows (it says so)."""
    return has_role(user, *BACK_CHECKERS) and _open_for(user)[MAX_LISTED:].exists()


def draws(*, wave: Wave) -> QuerySet[BackCheckDraw]:
    return BackCheckDraw.objects.filter(wave=wave).select_related("drawn_by").order_by("-day")


# --- the share per interviewer -------------------------------------------------------------

@dataclass
class ShareRow:
    interviewer_id: int
    username: str
    completes: int = 0  # all completes so far
    considered: int = 0  # completes up to the last draw's cutoff
    selected: int = 0
    done: int = 0
    outcomes: Counter = field(default_factory=Counter)

    @property
    def share(self) -> float | None:
        """Selected as a percentage of the completes the draws have considered."""
        return 100.0 * self.selected / self.considered if self.considered else None

    def meets(self, share_percent: int) -> bool:
        return self.selected * 100 >= share_percent * self.considered


def share_rows(*, wave: Wave) -> list[ShareRow]:
    """Per interviewer: completes, those the draws considered, selected, the share selected,
    done and each outcome."""
    last = BackCheckDraw.objects.filter(wave=wave).order_by("-day").first()
    rows: dict[int, ShareRow] = {}
    completes = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE,
                                         completed_at__isnull=False)
    for user_id, username, completed_at in completes.values_list(
            "interviewer_id", "interviewer__username", "completed_at"):
        row = rows.setdefault(user_id, ShareRow(user_id, username))
        row.completes += 1
        row.considered += int(last is not None and completed_at <= last.cutoff)
    for user_id, username, outcome in BackCheck.objects.filter(wave=wave).values_list(
            "interviewer_id", "interviewer__username", "outcome"):
        row = rows.setdefault(user_id, ShareRow(user_id, username))
        row.selected += 1
        if outcome:
            row.done += 1
            row.outcomes[outcome] += 1
    return sorted(rows.values(), key=lambda r: r.username)


# --- the verification script ---------------------------------------------------------------

@dataclass(frozen=True)
class KeyQuestion:
    name: str
    label: str
    type: str
    choices: list[tuple[str, str]]
    recorded: str  # the recorded answer as shown (choice label), for comparing afterwards
    recorded_value: object


@dataclass(frozen=True)
class Script:
    interview_day: object  # the date the interview was completed (its own timestamp)
    recorded_minutes: int | None
    key_questions: list[KeyQuestion]
    happened: list[tuple[str, str]] = field(default_factory=lambda: HAPPENED)
    roles: list[tuple[str, str]] = field(default_factory=lambda: RESPONDENT_ROLES)


def recorded_minutes(interview: Interview) -> int | None:
    """The interview's length from its own timestamps, in whole minutes (never negative)."""
    if interview.completed_at is None or interview.started_at is None:
        return None
    length = max(interview.completed_at - interview.started_at, timedelta(0))
    return round(length.total_seconds() / 60)


def _answered(item: Item, value: object, definition: Definition) -> bool:
    codes = {item.dont_know, item.refused, definition.settings.dont_know,
             definition.settings.refused}
    return value not in (None, "") and value not in codes and str(value) not in {
        str(c) for c in codes if c is not None}


def key_question_names(plan: BackCheckPlan, interview: Interview,
                       definition: Definition) -> list[str]:
    """The plan's questions, else the first three closed questions the interview answered
    (not don't know or refused)."""
    if plan.key_questions:
        return list(plan.key_questions)
    return [item.name for item in closed_questions(definition)
            if _answered(item, interview.answers.get(item.name), definition)
            ][:MAX_KEY_QUESTIONS]


def script_for(back_check: BackCheck) -> Script:
    interview = back_check.interview
    definition = definition_of(interview.version_id)
    language = definition.settings.default_language
    items = {item.name: item for item in closed_questions(definition)}
    questions = []
    for name in key_question_names(plan_for(back_check.wave), interview, definition):
        item = items.get(name)
        if item is None:
            continue
        value = interview.answers.get(name)
        choices = [(c.name, pick_text(c.label, None, language) or c.name)
                   for c in definition.choices.get(item.list_name, [])] \
            if item.type == "select_one" else []
        shown = dict(choices).get(str(value), "" if value is None else str(value))
        questions.append(KeyQuestion(name, pick_text(item.label, None, language) or name,
                                     item.type, choices, shown, value))
    completed = interview.completed_at
    return Script(completed, recorded_minutes(interview), questions)


def agreement(back_check: BackCheck, script: Script) -> dict[str, bool | None]:
    """Per re-asked question: does the checker's answer equal the recorded one (None when
    no answer was recorded by the checker)."""
    given = back_check.script.get("answers", {})
    return {q.name: (None if given.get(q.name) in (None, "")
                     else str(given[q.name]).strip().lower()
                     == str(q.recorded_value).strip().lower())
            for q in script.key_questions}
