"""Review of completed interviews: the append-only history of statuses and comments.

An interview's current review status is on the interview (`Interview.review_status`, a cache
of its last ReviewEvent); every change is a ReviewEvent, and a rejection's comments on
questions are ReviewComments. Nothing here is ever updated or deleted.
"""

from django.conf import settings
from django.db import models


class ReviewEvent(models.Model):
    """One step of an interview's review: completed, approved, rejected, resubmitted or
    escalated (sent back to review, e.g. after a back-check found a discrepancy)."""

    class Action(models.TextChoices):
        COMPLETED = "completed", "Completed"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        RESUBMITTED = "resubmitted", "Amended and resubmitted"
        ESCALATED = "escalated", "Sent back to review"

    class Level(models.TextChoices):
        NONE = "", "-"
        AGENCY = "agency", "Agency supervisor"
        MOPAC = "mopac", "MOPAC analyst"

    interview = models.ForeignKey("survey.Interview", on_delete=models.PROTECT,
                                  related_name="review_events")
    action = models.CharField(max_length=12, choices=Action.choices)
    level = models.CharField(max_length=6, choices=Level.choices, blank=True, default="")
    status_after = models.CharField(max_length=16)
    comment = models.TextField(blank=True)
    returned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["interview", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.action} interview {self.interview_id}"


class ReviewComment(models.Model):
    """A reviewer's comment on one question of the interview, made with a rejection."""

    event = models.ForeignKey(ReviewEvent, on_delete=models.PROTECT, related_name="comments")
    path = models.CharField(max_length=255)
    text = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"comment on {self.path}"
