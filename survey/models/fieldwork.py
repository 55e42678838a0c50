"""Fieldwork: waves, cases, call attempts, appointments, interviews and answer events.

Call attempts and answer events are append-only: nothing is overwritten, and a case's
state and an interview's answers can be replayed from them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Agency


def default_business_hours() -> dict:
    return {"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:30"}


class Wave(models.Model):
    class Status(models.TextChoices):
        SETUP = "setup", "Set-up"
        IN_FIELD = "in_field", "In field"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200, unique=True)
    questionnaire_version = models.ForeignKey(
        "questionnaires.QuestionnaireVersion", on_delete=models.PROTECT, related_name="waves"
    )
    sample = models.ForeignKey("sampling.Sample", on_delete=models.PROTECT, related_name="waves")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="waves")
    target_interviews = models.PositiveIntegerField()
    stratum_targets = models.JSONField(
        default=dict, blank=True, help_text="Target completes per stratum; quotas stop issuing."
    )
    borough_targets = models.JSONField(
        default=dict, blank=True,
        help_text="Target completes per borough (GSS code); a borough that reaches its target "
                  "gets no more fresh cases.",
    )
    class Review(models.TextChoices):
        NONE = "none", "No review: completes count at once"
        AGENCY = "agency", "The agency's supervisor approves"
        AGENCY_MOPAC = "agency_mopac", "The agency's supervisor, then a MOPAC analyst approve"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SETUP)
    review_levels = models.CharField(
        max_length=12, choices=Review.choices, default=Review.NONE,
        help_text="Who approves a completed interview before it counts as a complete.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    business_hours = models.JSONField(default=default_business_hours)
    timezone = models.CharField(max_length=64, default="Europe/London")
    max_attempts = models.PositiveIntegerField(default=10)
    retry_gaps = models.JSONField(
        default=dict, blank=True,
        help_text="Minutes to wait before calling again after an outcome (outcome key -> "
                  "minutes); outcomes not listed wait the standard gap (survey.aapor).",
    )
    replicates_at_start = models.PositiveIntegerField(
        default=0, help_text="Replicates of the sample released when the wave opens "
                             "(0: those already released).",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """One sampled business to be called in a wave."""

    class Status(models.TextChoices):
        FRESH = "fresh"
        CALLBACK = "callback"
        APPOINTMENT = "appointment"
        IN_PROGRESS = "in_progress"
        FINAL = "final"
        CLOSED = "closed"

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="cases")
    sampled_business = models.ForeignKey(
        "sampling.SampledBusiness", on_delete=models.PROTECT, related_name="cases"
    )
    stratum = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FRESH)
    next_call_at = models.DateTimeField(null=True, blank=True)
    attempt_count = models.PositiveIntegerField(default=0)
    last_code = models.CharField(max_length=5, blank=True)
    final_code = models.CharField(max_length=5, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="assigned_cases",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    reserved_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="A supervisor's reassignment: only this interviewer gets it.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "sampled_business"], name="unique_case")
        ]
        indexes = [models.Index(fields=["wave", "status", "next_call_at"])]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.wave})"


class CallAttempt(models.Model):
    """One dial and its AAPOR outcome. Append-only."""

    event_id = models.UUIDField(default=uuid.uuid4, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attempts")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    outcome = models.CharField(max_length=32)
    code = models.CharField(max_length=5)
    notes = models.TextField(blank=True)
    called_at = models.DateTimeField()

    class Meta:
        ordering = ["called_at", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.outcome} at {self.called_at:%Y-%m-%d %H:%M}"


class Appointment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appointments")
    call_attempt = models.OneToOneField(
        CallAttempt, on_delete=models.PROTECT, null=True, blank=True,
        related_name="appointment", help_text="The call on which it was made.",
    )
    due_at = models.DateTimeField()
    ask_for = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"Appointment for case {self.case_id} at {self.due_at:%Y-%m-%d %H:%M}"


class Interview(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress"
        COMPLETE = "complete"
        PARTIAL = "partial"
        BROKEN_OFF = "broken_off"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="interview")
    version = models.ForeignKey("questionnaires.QuestionnaireVersion", on_delete=models.PROTECT,
                                related_name="interviews")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices,
                              default=Status.IN_PROGRESS)
    language = models.CharField(
        max_length=100, blank=True,
        help_text="The language the questions are read in (one of the form's, as its "
                  "workbook names it); blank is the form's default_language.")
    values = models.JSONField(
        default=dict, blank=True,
        help_text="Calculated values as the interview worked them out, by path (a cache of "
                  "its CalculatedValue rows).")
    answers = models.JSONField(
        default=dict, help_text="Current answers, derived from the events (a cache)."
    )
    cursor = models.CharField(
        max_length=255, blank=True, help_text="The question on screen after going back."
    )
    # The interview's own clock: the service records the moment it was started (the same
    # clock as its answers and completion), so lengths never mix two clocks.
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Review(models.TextChoices):
        NOT_IN_REVIEW = "", "Not in review"
        COMPLETED = "completed", "Completed: awaiting the supervisor"
        AGENCY_APPROVED = "agency_approved", "Approved by the supervisor: awaiting MOPAC"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected: sent back to the interviewer"

    # The current review status, a cache of the last ReviewEvent (survey.models.review).
    review_status = models.CharField(max_length=16, choices=Review.choices, blank=True,
                                     default=Review.NOT_IN_REVIEW)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text="The interviewer a rejected interview went back to.")

    def __str__(self) -> str:
        return f"Interview {self.pk} ({self.status})"


class AnswerEvent(models.Model):
    """One change to one answer: append-only, idempotent by the client's event id, audited."""

    class Kind(models.TextChoices):
        ANSWER = "answer"
        DONT_KNOW = "dont_know"
        REFUSED = "refused"
        CLEARED = "cleared"
        DROPPED = "dropped", "Dropped by re-routing"

    event_id = models.UUIDField(unique=True)
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="events")
    path = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.JSONField(null=True)
    previous = models.JSONField(null=True)
    request_hash = models.CharField(
        max_length=64, blank=True,
        help_text="Fingerprint of the client's request, to tell a retry from a reused id.",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    reason = models.TextField(
        blank=True, help_text="Why an answer was changed after review sent the interview back.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.path}"
