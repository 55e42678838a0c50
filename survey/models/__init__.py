from survey.models.accounts import Agency, BasUserManager, User
from survey.models.audit import AuditEvent
from survey.models.fieldwork import (
    AnswerEvent,
    Appointment,
    CallAttempt,
    Case,
    Interview,
    Wave,
)

__all__ = [
    "Agency",
    "AuditEvent",
    "AnswerEvent",
    "Appointment",
    "BasUserManager",
    "CallAttempt",
    "Case",
    "Interview",
    "User",
    "Wave",
]
