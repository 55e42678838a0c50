from survey.models.fieldwork import (
    AnswerEvent,
    Appointment,
    CallAttempt,
    Case,
    Interview,
    Wave,
)

__all__ = [
    "AnswerEvent",
    "Appointment",
    "CallAttempt",
    "Case",
    "Interview",
    "Wave",
]
