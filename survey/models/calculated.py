"""The calculated values of an interview as it worked them out: append-only, one row each
time a calculate's value changed, at the interview's own moment. Calculates with a `trigger`
and `once()` keep their values from these (Interview.values is their cache), and the
respondent table reads them as stored, never worked out again with another day's clock."""

from django.db import models
from django.utils import timezone

from survey.models.fieldwork import Interview


class CalculatedValue(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT,
                                  related_name="calculated_values")
    path = models.CharField(max_length=255)
    value = models.JSONField(null=True)
    previous = models.JSONField(null=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.path} = {self.value!r}"
