from survey.models.back_checks import BackCheck, BackCheckDraw, BackCheckPlan
from survey.models.calculated import CalculatedValue
from survey.models.fieldwork import (
    AnswerEvent,
    Appointment,
    CallAttempt,
    Case,
    Interview,
    Wave,
)
from survey.models.paradata import NavigationEvent
from survey.models.review import ReviewComment, ReviewEvent

__all__ = [
    "AnswerEvent",
    "Appointment",
    "BackCheck",
    "BackCheckDraw",
    "BackCheckPlan",
    "CalculatedValue",
    "CallAttempt",
    "Case",
    "Interview",
    "NavigationEvent",
    "ReviewComment",
    "ReviewEvent",
    "Wave",
]
