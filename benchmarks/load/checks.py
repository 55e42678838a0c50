"""After the run: the database against what the clients were told.

- every acknowledged answer is stored exactly once, as acknowledged;
- no answer event the clients did not send (a duplicate under another id);
- no case held by two interviewers at once (their spans on a case never overlap);
- every interview's cached answers equal the replay of its events;
- every interview the clients completed is complete, its case final with code 1.1.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime

from benchmarks.load.client import ClientLog
from survey.models import AnswerEvent, CallAttempt, Case, Interview
from survey.services.interviews import ANSWER_KINDS, interview_answers_replay


@dataclass
class Check:
    name: str
    problems: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def run_checks(wave_id: int, log: ClientLog) -> list[Check]:
    events = list(AnswerEvent.objects.filter(interview__case__wave_id=wave_id)
                  .select_related("user").order_by("pk"))
    return [
        acknowledged_stored_once(events, log),
        no_unsent_events(events, log),
        no_overlapping_claims(wave_id, events, log),
        cache_matches_replay(wave_id),
        completed_are_final(log),
    ]


def acknowledged_stored_once(events: list[AnswerEvent], log: ClientLog) -> Check:
    check = Check("every acknowledged answer stored exactly once")
    by_id = defaultdict(list)
    for event in events:
        by_id[str(event.event_id)].append(event)
    for ack in log.acks:
        check.checked += 1
        stored = by_id.get(ack.event_id, [])
        if len(stored) != 1:
            check.problems.append(f"event {ack.event_id}: stored {len(stored)} times")
            continue
        event = stored[0]
        if (event.interview_id, event.path, event.kind, event.value) != (
                ack.interview, ack.path, ack.kind, ack.value):
            check.problems.append(f"event {ack.event_id}: stored {event.path}={event.value!r} "
                                  f"({event.kind}), acknowledged {ack.path}={ack.value!r}")
    if len({ack.event_id for ack in log.acks}) != len(log.acks):
        check.problems.append("an event id was acknowledged twice to the clients")
    return check


def no_unsent_events(events: list[AnswerEvent], log: ClientLog) -> Check:
    """Answer events the clients never had acknowledged: duplicates, or lost acks."""
    check = Check("no answer stored that was not acknowledged (no duplicates)")
    acked = {ack.event_id for ack in log.acks}
    given_up = set(log.unacknowledged)
    for event in events:
        if event.kind not in ANSWER_KINDS:
            continue  # 'dropped' events are the server's own bookkeeping
        check.checked += 1
        key = str(event.event_id)
        if key not in acked and key not in given_up:
            check.problems.append(f"event {key} ({event.path}) was stored but never "
                                  "acknowledged nor sent unacknowledged")
    return check


def _spans(wave_id: int, events: list[AnswerEvent], log: ClientLog
           ) -> dict[int, dict[str, list[datetime]]]:
    """Per case, per interviewer: the times they acted on it (claims, dials, answers)."""
    spans: dict[int, dict[str, list[datetime]]] = defaultdict(lambda: defaultdict(list))
    for claim in log.claims:
        spans[claim.case][claim.user].append(parse_datetime(claim.assigned_at))
    attempts = CallAttempt.objects.filter(case__wave_id=wave_id).select_related("interviewer")
    for attempt in attempts:
        spans[attempt.case_id][attempt.interviewer.username].append(attempt.called_at)
    interviews = Interview.objects.filter(case__wave_id=wave_id).select_related("interviewer")
    for interview in interviews:
        times = [interview.started_at] + ([interview.completed_at]
                                          if interview.completed_at else [])
        spans[interview.case_id][interview.interviewer.username] += times
    case_of = dict(interviews.values_list("pk", "case_id"))
    for event in events:
        spans[case_of[event.interview_id]][event.user.username].append(event.recorded_at)
    return spans


def no_overlapping_claims(wave_id: int, events: list[AnswerEvent], log: ClientLog) -> Check:
    check = Check("no case held by two interviewers at once")
    for case_id, by_user in _spans(wave_id, events, log).items():
        check.checked += 1
        ranges = sorted((min(times), max(times), user) for user, times in by_user.items())
        for (_, end, user), (start, _, other) in zip(ranges, ranges[1:], strict=False):
            if start <= end:
                check.problems.append(f"case {case_id}: {user} and {other} overlap "
                                      f"({start:%H:%M:%S.%f} <= {end:%H:%M:%S.%f})")
    return check


def cache_matches_replay(wave_id: int) -> Check:
    check = Check("every interview's answers equal the replay of its events")
    for interview in Interview.objects.filter(case__wave_id=wave_id):
        check.checked += 1
        replayed = interview_answers_replay(interview=interview)
        if replayed != interview.answers:
            differ = sorted(k for k in {*replayed, *interview.answers}
                            if replayed.get(k) != interview.answers.get(k))
            check.problems.append(f"interview {interview.pk}: cache and events differ on "
                                  f"{', '.join(differ[:5])}")
    return check


def completed_are_final(log: ClientLog) -> Check:
    check = Check("completed interviews are complete, their cases final 1.1")
    interviews = Interview.objects.filter(pk__in=log.completed).select_related("case")
    found = {i.pk: i for i in interviews}
    for pk in log.completed:
        check.checked += 1
        interview = found.get(pk)
        if interview is None:
            check.problems.append(f"interview {pk}: missing")
            continue
        completes = CallAttempt.objects.filter(case=interview.case, code="1.1").count()
        if (interview.status != Interview.Status.COMPLETE
                or interview.case.status != Case.Status.FINAL
                or interview.case.final_code != "1.1" or completes != 1):
            check.problems.append(f"interview {pk}: status {interview.status}, case "
                                  f"{interview.case.status} {interview.case.final_code}, "
                                  f"{completes} complete call(s)")
    return check

