"""Services for interviews: start or resume, answer, go back, complete, break off.

The interview's state lives on the server (answers + cursor), so any request resumes at the
same question. Each answer is an append-only AnswerEvent, idempotent by the client's event
id; the current answers are derived from the events (`interview_answers_replay`) and cached
on the interview in the same transaction. The routing engine decides the questions.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AuditEvent
from questionnaires.engine import Definition, EngineError, Session
from questionnaires.engine.routing import Prompt
from questionnaires.models import QuestionnaireVersion
from questionnaires.services import questionnaire_version_lock
from survey.errors import FieldworkConflict, FieldworkError, event_conflict
from survey.models import AnswerEvent, Case, Interview, NavigationEvent
from survey.services.calculated import calculated_clock_set, calculated_values_store
from survey.services.calls import outcome_record
from survey.services.queue import CLAIM_REFRESH
from survey.services.review import review_on_complete
from survey.services.row_locks import lock_row, retry_when_locked

Kind = AnswerEvent.Kind
ANSWER_KINDS = (Kind.ANSWER, Kind.DONT_KNOW, Kind.REFUSED)
_INTERVIEW_ENDED = {Interview.Status.COMPLETE: "complete",
                    Interview.Status.BROKEN_OFF: "broken off (the respondent stopped for good)",
                    Interview.Status.PARTIAL: "stopped for now",
                    Interview.Status.IN_PROGRESS: "in progress"}
_COMPLETE_NAMESPACE = uuid.UUID("6f1d3c52-8a0e-4d1b-9a57-2f4f6c1e0b7a")


@dataclass(frozen=True)
class InterviewState:
    interview: Interview
    prompt: Prompt | None  # the question on screen; None when every question is answered
    path: list[str]  # the answered questions on the route, in order
    answered: int
    remaining: int
    progress: float
    can_complete: bool
    closing_notes: tuple[str, ...] = ()
    language: str = ""  # the language the question is shown in
    languages: tuple[str, ...] = ()  # the form's languages, as its workbook names them

    @property
    def version(self) -> str:
        """The route as this state shows it; an answer given against another is stale."""
        return route_version(self.interview)

    @property
    def expected(self) -> int:
        """Questions on the route as the answers so far make it (routing may change it)."""
        return self.answered + self.remaining

    @property
    def position(self) -> int:
        """The number of the question on screen along the route (1-based)."""
        if self.prompt is None:
            return self.expected
        if self.prompt.path in self.path:  # gone back to an answered question
            return self.path.index(self.prompt.path) + 1
        return min(self.answered + 1, max(self.expected, 1))

    @property
    def progress_text(self) -> str:
        """'Question 12 of about 40'; 'All 40 questions answered' at the end."""
        if self.prompt is None:
            return f"All {self.expected} question{'s' if self.expected != 1 else ''} answered"
        return f"Question {self.position} of about {self.expected}"


@dataclass(frozen=True)
class AnswerSaved:
    state: InterviewState
    event: AnswerEvent
    created: bool  # False for a retry of an event already saved


@lru_cache(maxsize=32)
def _definition(version_pk: int, sha256: str) -> Definition:
    version = QuestionnaireVersion.objects.only("definition").get(pk=version_pk)
    return Definition.from_dict(version.definition)


def _version_checksum(interview: Interview) -> str:
    # The interview selectors load the version without its bulk (definition, workbook).
    if Interview.version.is_cached(interview):
        return interview.version.sha256
    return QuestionnaireVersion.objects.values_list("sha256", flat=True).get(
        pk=interview.version_id)


def _session(interview: Interview) -> Session:
    # Only the checksum is read per request (not the definition or the workbook): the parsed
    # definition is cached by version and checksum, which never change once interviews start.
    sha256 = _version_checksum(interview)
    # Interview.answers is always a Session's own answers, saved after re-routing.
    session = Session(_definition(interview.version_id, sha256), interview.answers,
                      on_route=True, meta=_metadata(interview),
                      language=interview.language or None, values=interview.values)
    session.cursor = interview.cursor or None
    return session


def _metadata(interview: Interview) -> dict[str, object]:
    """The interview's metadata rows on the telephone: start and end are its own timestamps,
    username its interviewer (when already loaded: no extra query per answer); phone number,
    e-mail and device ids stay empty (README: XLSForm)."""
    meta: dict[str, object] = {}
    if interview.started_at is not None:
        meta["start"] = interview.started_at.isoformat(timespec="seconds")
    if interview.completed_at is not None:
        meta["end"] = interview.completed_at.isoformat(timespec="seconds")
    if Interview.interviewer.is_cached(interview):
        meta["username"] = interview.interviewer.get_username()
    return meta


def interview_session(interview: Interview) -> Session:
    """The routing session of the interview's stored answers (review amendments use it)."""
    return _session(interview)


def route_version(interview: Interview) -> str:
    """A short fingerprint of the interview's answers and current question: it changes with
    every answer, change or step back, so a page showing an older one is out of date."""
    text = json.dumps([interview.answers, interview.cursor], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _state(interview: Interview, session: Session | None = None) -> InterviewState:
    session = session or _session(interview)
    route = session.route()  # walked once; current() and complete reuse it
    return InterviewState(
        interview=interview, prompt=session.current(), path=route.path,
        answered=route.answered, remaining=route.remaining, progress=route.progress,
        can_complete=session.complete, closing_notes=route.closing_notes,
        language=_shown_language(session), languages=tuple(session.definition.languages))


def _shown_language(session: Session) -> str:
    languages = session.definition.languages
    return (session.language or session.definition.settings.default_language
            or (languages[0] if languages else ""))


def interview_state(*, interview: Interview) -> InterviewState:
    """The question on screen, the route so far and progress (all from the server's state)."""
    return _state(interview)


@retry_when_locked
def interview_start_or_resume(*, case: Case, user, now: datetime | None = None
                              ) -> tuple[InterviewState, bool]:
    """Start the case's interview (locking the questionnaire version), or resume it.

    Returns the state and whether the interview was created now.
    """
    now = now or timezone.now()
    with transaction.atomic():
        case = lock_row(Case, case.pk)
        _check_holder(case, user)
        interview = Interview.objects.filter(case=case).first()
        created = interview is None
        if created:
            version = case.wave.questionnaire_version
            questionnaire_version_lock(version=version)
            interview = Interview.objects.create(case=case, version=version, interviewer=user,
                                                 started_at=now)
        elif interview.status in (Interview.Status.COMPLETE, Interview.Status.BROKEN_OFF):
            raise FieldworkConflict(
                f"The interview of case {case.pk} is already "
                f"{_INTERVIEW_ENDED[interview.status]}: it cannot be started again.",
                code="interview_closed", fields={"interview": interview.pk})
        else:
            if interview.status == Interview.Status.PARTIAL:  # paradata: taken up again
                NavigationEvent.objects.create(interview=interview, user=user,
                                               kind=NavigationEvent.Kind.RESUMED,
                                               recorded_at=now)
            interview.status = Interview.Status.IN_PROGRESS
            interview.save(update_fields=["status"])
        case.status, case.assigned_at = Case.Status.IN_PROGRESS, now
        case.save(update_fields=["status", "assigned_at"])
    return _state(interview), created


def _check_holder(case: Case, user) -> None:
    if case.status in (Case.Status.FINAL, Case.Status.CLOSED):
        raise FieldworkConflict(f"Case {case.pk} is already finished (final code "
                                f"{case.final_code}): nothing more is recorded on it.",
                                code="case_final", fields={"case": case.pk})
    if case.assigned_to_id != user.pk:
        raise FieldworkConflict(
            f"Case {case.pk} is not held by you (it may have been reassigned, or your claim "
            "lapsed): take your next case from the Interviewing page.",
            code="case_not_held", fields={"case": case.pk})


def _lock(interview: Interview) -> tuple[Case, Interview]:
    """Lock the case, then the interview (always in this order: no deadlocks)."""
    case, locked = lock_row(Case, interview.case_id), lock_row(Interview, interview.pk)
    if Interview.version.is_cached(interview):
        locked.version = interview.version  # an interview's version never changes
    return case, locked


def _check_open(case: Case, interview: Interview, user) -> None:
    if interview.status != Interview.Status.IN_PROGRESS:
        raise FieldworkConflict(
            f"The interview of case {case.pk} is {_INTERVIEW_ENDED[interview.status]}: "
            "resume it from the case page to go on.", code="interview_not_in_progress",
                                fields={"interview": interview.pk})
    _check_holder(case, user)


def request_hash(path: str, kind: str, value: object) -> str:
    payload = json.dumps({"path": path, "kind": kind, "value": value}, sort_keys=True,
                         default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


@retry_when_locked
def answer_submit(
    *, interview: Interview, user, event_id: uuid.UUID, path: str, kind: str = Kind.ANSWER,
    value: object = None, seen: str | None = None, now: datetime | None = None,
) -> AnswerSaved:
    """Save one answer event (answer, don't know or refused) and re-route.

    A retry with the same event id returns the saved event and creates nothing; the same
    id with a different request is a conflict. Answers the new route no longer reaches get
    a `dropped` event. Raises FieldworkError naming the path and value if the engine refuses.
    `seen` is the state's `version` the answer was given against (the page sends it): if
    the interview moved on since (another tab), the answer is refused with a 409 asking to
    reload, instead of silently changing an earlier answer and dropping later ones.
    """
    if kind not in ANSWER_KINDS:
        raise FieldworkError(f"kind: '{kind}' is not one of {', '.join(ANSWER_KINDS)}",
                             code="invalid_kind", fields={"field": "kind", "value": kind})
    fingerprint = request_hash(path, kind, value)
    try:
        with transaction.atomic():
            return _submit(interview, user, event_id, path, kind, value, fingerprint,
                           now or timezone.now(), seen)
    except IntegrityError:
        # The id was used concurrently on another interview (whose lock we did not hold).
        existing = AnswerEvent.objects.filter(event_id=event_id).first()
        if existing is None:
            raise
        return _replay(existing, interview, fingerprint)


def answer_retry_check(existing: AnswerEvent, interview: Interview, fingerprint: str) -> None:
    """A resent event id must carry the same answer to the same interview (else 409)."""
    if existing.interview_id != interview.pk or existing.request_hash != fingerprint:
        raise event_conflict(existing.event_id, "answer")


def _replay(existing: AnswerEvent, interview: Interview, fingerprint: str) -> AnswerSaved:
    answer_retry_check(existing, interview, fingerprint)
    fresh = Interview.objects.get(pk=interview.pk)
    return AnswerSaved(_state(fresh), existing, False)


def _submit(interview: Interview, user, event_id, path: str, kind: str, value: object,
            fingerprint: str, now: datetime, seen: str | None = None) -> AnswerSaved:
    case, interview = _lock(interview)
    existing = AnswerEvent.objects.filter(event_id=event_id).first()
    if existing is not None:
        return _replay(existing, interview, fingerprint)
    _check_open(case, interview, user)
    if seen is not None and seen != route_version(interview):
        raise FieldworkConflict(
            "The interview has moved on since this page was shown (in another tab or "
            "window?): reload the page to see where it is now, then answer again.",
            code="stale_route", fields={"path": path, "interview": interview.pk})
    session = _session(interview)
    event = answer_record(interview=interview, session=session, user=user, event_id=event_id,
                          path=path, kind=kind, value=value, fingerprint=fingerprint, now=now)
    _keep_claim(case, now)
    return AnswerSaved(_state(interview, session), event, True)


def answer_record(*, interview: Interview, session: Session, user, event_id: uuid.UUID,
                  path: str, kind: str, value: object, fingerprint: str, now: datetime,
                  reason: str = "") -> AnswerEvent:
    """Apply one answer to the session and store it as an event (with the events of the
    answers re-routing dropped) and the interview's answers; the caller holds the locks.
    `reason` says why an answer was changed (amendments after review)."""
    before = dict(session.answers)
    calculated_clock_set(session=session, interview=interview, now=now)
    try:
        if kind == Kind.DONT_KNOW:
            session.dont_know(path)
        elif kind == Kind.REFUSED:
            session.refuse(path)
        else:
            session.answer(value, path)
    except EngineError as exc:
        raise FieldworkError(
            f"{path}: {exc}", code="answer_refused",
            fields={"path": path, "value": value,
                    "errors": [e.to_dict() for e in exc.errors]}) from exc
    event = AnswerEvent.objects.create(
        event_id=event_id, interview=interview, path=path, kind=kind,
        value=session.answers.get(path), previous=before.get(path), user=user,
        request_hash=fingerprint, recorded_at=now, reason=reason)
    AnswerEvent.objects.bulk_create(
        AnswerEvent(event_id=uuid.uuid4(), interview=interview, path=entry.path,
                    kind=Kind.DROPPED, value=None, previous=entry.old, user=user,
                    recorded_at=now, reason=reason)
        for entry in session.audit if entry.event == "dropped")
    interview.answers, interview.cursor = session.answers, session.cursor or ""
    calculated_values_store(interview=interview, values=session.values, now=now)
    interview.save(update_fields=["answers", "cursor", "values"])
    return event


def _keep_claim(case: Case, now: datetime) -> None:
    """An active interview keeps its case: refresh the claim, at most once a minute (it goes
    stale only after an hour), which spares most answer saves a write."""
    if case.assigned_at is None or now - case.assigned_at >= CLAIM_REFRESH:
        Case.objects.filter(pk=case.pk).update(assigned_at=now)


def interview_answers_replay(*, interview: Interview) -> dict[str, object]:
    """The current answers, rebuilt from the interview's events alone."""
    answers: dict[str, object] = {}
    for kind, path, value in interview.events.order_by("pk").values_list("kind", "path", "value"):
        if kind in (Kind.DROPPED, Kind.CLEARED):
            answers.pop(path, None)
        else:
            answers[path] = value
    return answers


@retry_when_locked
def interview_back(*, interview: Interview, user, now: datetime | None = None
                   ) -> InterviewState:
    """Show the question before the one on screen (its answer kept until changed); the step
    back is a navigation event (paradata), at `now` (the interview's clock)."""
    with transaction.atomic():
        case, interview = _lock(interview)
        _check_open(case, interview, user)
        session = _session(interview)
        shown = session.current()
        session.back()
        interview.cursor = session.cursor or ""
        interview.save(update_fields=["cursor"])
        left = shown.path if shown is not None else ""
        if interview.cursor and interview.cursor != left:  # at the first question: no step
            NavigationEvent.objects.create(
                interview=interview, user=user, kind=NavigationEvent.Kind.BACK,
                from_path=left, to_path=interview.cursor, recorded_at=now or timezone.now())
    return _state(interview, session)


@retry_when_locked
def interview_complete(*, interview: Interview, user, event_id: uuid.UUID | None = None,
                       now: datetime | None = None) -> InterviewState:
    """Finish an interview whose route is fully answered: records 1.1, the case is final.

    Completing a completed interview again returns its state (a retry).
    """
    now = now or timezone.now()
    event_id = event_id or uuid.uuid5(_COMPLETE_NAMESPACE, f"interview-{interview.pk}")
    with transaction.atomic():
        case, current = _lock(interview)
        if current.status == Interview.Status.COMPLETE:
            return _state(current)
        _check_open(case, current, user)
        session = _session(current)
        if not session.complete:
            prompt = session.current()
            raise FieldworkError(
                f"The interview is not finished yet: question '{prompt.path}' still needs "
                "an answer.",
                code="interview_incomplete",
                fields={"interview": current.pk, "path": prompt.path})
        calculated_clock_set(session=session, interview=current, now=now, ending=True)
        calculated_values_store(interview=current, values=session.route().values, now=now)
        current.status, current.completed_at, current.cursor = (
            Interview.Status.COMPLETE, now, "")
        current.save(update_fields=["status", "completed_at", "cursor", "values"])
        current.case = case
        review_on_complete(interview=current, user=user, now=now)
        outcome_record(case=case, user=user, outcome="complete", event_id=event_id,
                       called_at=now)
    return _state(current, session)


def interview_break_off(*, interview: Interview, user, event_id: uuid.UUID, notes: str = "",
                        now: datetime | None = None) -> InterviewState:
    """The respondent stopped the interview for good: records 2.12, the case is final."""
    outcome_record(case=interview.case, user=user, outcome="break_off", event_id=event_id,
                   notes=notes, called_at=now)
    return _state(Interview.objects.get(pk=interview.pk))


@retry_when_locked
def interview_language_set(*, interview: Interview, user, language: str) -> InterviewState:
    """Read the questions in another of the form's languages from now on (answers kept).

    Stored on the interview (any app server, any reload shows it) and in the audit log;
    a language the form does not have is refused naming the ones it has."""
    with transaction.atomic():
        case, interview = _lock(interview)
        _check_open(case, interview, user)
        session = _session(interview)
        try:
            session.set_language(language or None)
        except EngineError as exc:
            raise FieldworkError(
                f"language: the questionnaire has no language '{language}'; it has "
                f"{', '.join(session.definition.languages) or 'only its default'}.",
                code="unknown_language",
                fields={"field": "language", "value": language}) from exc
        previous, interview.language = interview.language, language
        interview.save(update_fields=["language"])
        audit_record(action=AuditEvent.Action.CHANGED, user=user, obj=interview,
                     detail={"interview": "language", "from": previous, "to": language})
    return _state(interview, session)
