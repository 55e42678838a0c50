"""Paradata reads: each interview's timings from its stored events (survey.core.paradata),
and the wave's paradata export, one row per interview and question, with its readme.

Loaded in bulk per wave (two queries for the events, one for the interviews), grouped by
interview in order; nothing reads the clock. No contact details: interviews are named by
their id and case id, interviewers by username.
"""

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import QuerySet

from bas.cells import safe_row
from survey.core.paradata import IDLE_THRESHOLD, InterviewTiming, Step, interview_timing
from survey.models import AnswerEvent, Interview, NavigationEvent, Wave

PARADATA_VERSION = "1.0"


@dataclass(frozen=True)
class InterviewParadata:
    interview: Interview
    timing: InterviewTiming


def utc_text(moment: datetime | None) -> str:
    """ISO 8601 in UTC with milliseconds: 2026-10-05T08:05:12.345Z."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _answer_step(kind: str, path: str, value: object, previous: object,
                 at: datetime) -> Step:
    changed = previous is not None and value != previous and kind != AnswerEvent.Kind.DROPPED
    return Step(at=at, kind=kind, path=path, changed=changed)


def _steps_by_interview(interview_ids: QuerySet) -> dict[int, list[tuple]]:
    """(recorded_at, table, pk, Step, username) per interview: answer events, then
    navigation events at the same moment, each table in its own order."""
    steps: dict[int, list[tuple]] = defaultdict(list)
    answers = AnswerEvent.objects.filter(interview_id__in=interview_ids).values_list(
        "interview_id", "pk", "kind", "path", "value", "previous", "recorded_at",
        "user__username")
    for interview_id, pk, kind, path, value, previous, at, username in answers.iterator():
        steps[interview_id].append(
            (at, 0, pk, _answer_step(kind, path, value, previous, at), username))
    moves = NavigationEvent.objects.filter(interview_id__in=interview_ids).values_list(
        "interview_id", "pk", "kind", "from_path", "to_path", "recorded_at", "user__username")
    for interview_id, pk, kind, from_path, to_path, at, username in moves.iterator():
        steps[interview_id].append(
            (at, 1, pk, Step(at=at, kind=kind, path=from_path, to_path=to_path), username))
    for entries in steps.values():
        entries.sort(key=lambda entry: entry[:3])
    return steps


def _timing(interview: Interview, steps: list[tuple]) -> InterviewTiming:
    completed = (interview.completed_at
                 if interview.status == Interview.Status.COMPLETE else None)
    return interview_timing(interview.started_at, [entry[3] for entry in steps],
                            completed_at=completed)


def _interviews(wave: Wave, complete_only: bool, with_answers: bool) -> QuerySet[Interview]:
    fields = ["pk", "case_id", "status", "started_at", "completed_at", "interviewer_id",
              "interviewer__username", *(["answers"] if with_answers else [])]
    interviews = Interview.objects.filter(case__wave=wave).select_related(
        "interviewer").only(*fields).order_by("pk")
    if complete_only:
        interviews = interviews.filter(status=Interview.Status.COMPLETE)
    return interviews


def wave_paradata(*, wave: Wave, complete_only: bool = False,
                  with_answers: bool = False) -> Iterator[InterviewParadata]:
    """Every interview of the wave (or its completes) with its timings, by interview id
    (with its final answers loaded when asked)."""
    interviews = _interviews(wave, complete_only, with_answers)
    steps = _steps_by_interview(interviews.values("pk"))
    for interview in interviews:
        yield InterviewParadata(interview, _timing(interview, steps.get(interview.pk, [])))


EVENT_COLUMNS = ("paradata_version", "wave_id", "interview_id", "order", "event",
                 "question", "to_question", "responsible", "timestamp_utc",
                 "seconds_since_previous")


def event_rows(*, wave: Wave) -> Iterator[list[object]]:
    """Every interview's events in order (EVENT_COLUMNS): started, each answer, don't know,
    refused, dropped, step back and resume, completed; formula-safe."""
    interviews = _interviews(wave, False, False)
    steps = _steps_by_interview(interviews.values("pk"))
    for interview in interviews:
        entries = [(interview.started_at, "started", "", "", interview.interviewer.username)]
        entries += [(e[0], e[3].kind, e[3].path, e[3].to_path, e[4])
                    for e in steps.get(interview.pk, [])]
        if interview.status == Interview.Status.COMPLETE and interview.completed_at:
            entries.append((interview.completed_at, "completed", "", "",
                            interview.interviewer.username))
        previous = interview.started_at
        for order, (at, kind, path, to_path, username) in enumerate(entries, start=1):
            gap = max(0.0, (at - previous).total_seconds())
            previous = max(previous, at)
            yield safe_row([PARADATA_VERSION, wave.pk, interview.pk, order, kind, path,
                            to_path, username, utc_text(at), round(gap, 3)])


def interview_paradata(*, interview: Interview) -> InterviewTiming:
    ids = Interview.objects.filter(pk=interview.pk).values("pk")
    return _timing(interview, _steps_by_interview(ids).get(interview.pk, []))


PARADATA_COLUMNS = (
    "paradata_version", "wave_id", "interview_id", "case_id", "interviewer",
    "interview_status", "interview_started_at", "interview_ended_at",
    "interview_total_seconds", "interview_active_seconds", "question_order", "question",
    "first_shown_at", "last_event_at", "seconds_on_screen", "active_seconds_on_screen",
    "answer_events", "changes", "back_navigations_to", "back_navigations_from",
    "dont_know_events", "refused_events", "final_state",
)


def _seconds(value: float) -> float:
    return round(value, 3)


def paradata_rows(*, wave: Wave) -> Iterator[list[object]]:
    """One row per interview and question (PARADATA_COLUMNS), interviews by id, questions in
    the order first shown; every text cell formula-safe."""
    for item in wave_paradata(wave=wave):
        interview, timing = item.interview, item.timing
        head = [PARADATA_VERSION, wave.pk, interview.pk, interview.case_id,
                interview.interviewer.username, interview.status,
                utc_text(timing.started_at), utc_text(timing.ended_at),
                _seconds(timing.total_seconds), _seconds(timing.active_seconds)]
        for q in timing.questions:
            yield safe_row([
                *head, q.order, q.path, utc_text(q.first_shown_at), utc_text(q.last_event_at),
                _seconds(q.seconds_on_screen), _seconds(q.active_seconds), q.answers,
                q.changes, q.backs_to, q.backs_from, q.dont_know, q.refused, q.final_state])


def paradata_csv(columns: tuple[str, ...], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def paradata_zip(*, wave: Wave) -> bytes:
    """paradata.csv (per question), events.csv (every event in order) and README.txt
    (naming the version, the columns and the rules)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("paradata.csv",
                         paradata_csv(PARADATA_COLUMNS, paradata_rows(wave=wave)))
        archive.writestr("events.csv", paradata_csv(EVENT_COLUMNS, event_rows(wave=wave)))
        archive.writestr("README.txt", paradata_readme(wave=wave))
    return buffer.getvalue()


def paradata_readme(*, wave: Wave) -> str:
    idle_minutes = int(IDLE_THRESHOLD.total_seconds() // 60)
    lines = [line.replace("IDLE", str(idle_minutes)) for line in README_LINES]
    return "\n".join([f"BAS paradata, version {PARADATA_VERSION}", "",
                      "Wave: " + wave.name, *lines, ""])


README_LINES = (
    "",
    "paradata.csv has one row per interview and question: every question shown in every",
    "interview of the wave, in the order first shown. Everything is derived from the",
    "interview's stored events (each answer event and navigation event with its own time,",
    "the interview's own start and completion), never from the clock when exported.",
    "Times are UTC, ISO 8601 with milliseconds (2026-10-05T08:05:12.345Z); durations are",
    "seconds, never negative (a gap where the record runs backwards counts as 0).",
    "",
    "Rules: the time between two events is spent on the question on screen when the later",
    "one was recorded (an answer: the question answered; a step back: the question left).",
    "Time before the interview is resumed after being stopped for now is on no question.",
    "A gap of more than IDLE minutes is idle: it counts in the total and on screen, not in",
    "the active duration.",
    "",
    "Columns:",
    "paradata_version     this file's version (" + PARADATA_VERSION + ")",
    "wave_id              the wave",
    "interview_id         the interview (contact details are never in this file)",
    "case_id              the case the interview belongs to",
    "interviewer          the interviewer's username",
    "interview_status     in_progress, complete, partial or broken_off",
    "interview_started_at the interview's own start",
    "interview_ended_at   its completion, or its last event if later or not complete",
    "interview_total_seconds  ended - started",
    "interview_active_seconds the sum of the gaps between events of at most IDLE minutes",
    "question_order       1 for the first question shown, then in order of first showing",
    "question             the question's path (name; repeat[instance]/name in a repeat)",
    "first_shown_at       the moment it was first on screen (the event before its first)",
    "last_event_at        its last event",
    "seconds_on_screen    all the time it was on screen",
    "active_seconds_on_screen  the same without idle gaps",
    "answer_events        answers, don't knows and refusals recorded for it",
    "changes              answers that replaced a different earlier answer",
    "back_navigations_to  times the interviewer went back to it",
    "back_navigations_from  times the interviewer went back while it was on screen",
    "dont_know_events     don't know recorded",
    "refused_events       refused recorded",
    "final_state          answer, dont_know, refused, dropped (routed out by a later",
    "                     answer) or empty (shown, never answered)",
    "",
    "events.csv has one row per event of every interview, in order:",
    "paradata_version     this file's version (" + PARADATA_VERSION + ")",
    "wave_id              the wave",
    "interview_id         the interview",
    "order                1, 2, 3... within the interview",
    "event                started, answer, dont_know, refused, dropped, back, resumed,",
    "                     completed",
    "question             the question answered, dropped, or left (back)",
    "to_question          back: the question gone back to",
    "responsible          the username of whoever recorded it",
    "timestamp_utc        its own time, UTC with milliseconds",
    "seconds_since_previous  the gap since the event before (never negative)",
)
