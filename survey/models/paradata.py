"""Paradata the answer events cannot tell: the interviewer going back a question, and an
interview stopped for now being taken up again. Append-only, written by the interview
service (so the pages and the API record the same), with the interview's own clock."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from survey.models.fieldwork import Interview


class NavigationEvent(models.Model):
    class Kind(models.TextChoices):
        BACK = "back", "Went back a question"
        RESUMED = "resumed", "Resumed after being stopped for now"

    interview = models.ForeignKey(Interview, on_delete=models.PROTECT,
                                  related_name="navigation_events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    from_path = models.CharField(max_length=255, blank=True,
                                 help_text="The question on screen before (back).")
    to_path = models.CharField(max_length=255, blank=True,
                               help_text="The question on screen after (back).")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["interview", "recorded_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_path} -> {self.to_path}"
