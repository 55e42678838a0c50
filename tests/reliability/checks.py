"""What every fault test asserts at the end, from the database."""

from survey.models import AnswerEvent, Interview
from survey.services.interviews import ANSWER_KINDS, interview_answers_replay


def assert_consistent(interview: Interview, acknowledged: list[dict]) -> None:
    """Every acknowledged answer event stored exactly once, as acknowledged; no answer event
    nobody was told about; the cached answers equal the replay of the events."""
    interview.refresh_from_db()
    events = list(AnswerEvent.objects.filter(interview=interview).order_by("pk"))
    stored = {str(e.event_id): e for e in events if e.kind in ANSWER_KINDS}
    acked = {a["event_id"]: a for a in acknowledged}
    assert len(acked) == len(acknowledged), "an event id was acknowledged twice"
    missing = sorted(set(acked) - set(stored))
    assert missing == [], f"acknowledged but not stored: {missing}"
    unknown = sorted(set(stored) - set(acked))
    assert unknown == [], f"stored but never acknowledged (a duplicate?): {unknown}"
    for event_id, ack in acked.items():
        event = stored[event_id]
        assert (event.path, event.kind, event.value) == (ack["path"], ack["kind"], ack["value"])
    assert interview.answers == interview_answers_replay(interview=interview)
