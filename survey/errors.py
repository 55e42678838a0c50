"""Fieldwork's errors, each with a machine code and the HTTP status a request answers with."""

from bas.errors import BasError


class FieldworkError(BasError):
    """A fieldwork request that cannot be honoured as asked (400)."""

    http_status = 400


class FieldworkConflict(FieldworkError):
    """The request clashes with the case's or interview's current state (409): another
    interviewer holds the case, the case is final, or an event id was reused with a
    different payload."""

    http_status = 409


def event_conflict(event_id: object, what: str) -> FieldworkConflict:
    return FieldworkConflict(
        f"event_id {event_id} was already used for a different {what}; "
        "send a new event id for a new event",
        code="event_id_reused", fields={"field": "event_id", "value": str(event_id)})
