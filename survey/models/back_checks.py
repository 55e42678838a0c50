"""Back-checks: a seeded random share of each interviewer's completes, called back by a
supervisor or another interviewer of the agency to verify that the interview took place.

A wave's plan holds its settings (the share, the seed, the answers re-asked); each daily
draw is stored once per wave and day; each selected interview gets one BackCheck, which
records the checker's answers to the verification script and the outcome.
"""

from django.conf import settings
from django.db import models

from survey.models.fieldwork import Interview, Wave

DEFAULT_SHARE_PERCENT = 10
MAX_KEY_QUESTIONS = 3  # answers a back-check re-asks


class BackCheckPlan(models.Model):
    """A wave's back-check settings (a wave without one uses the defaults)."""

    wave = models.OneToOneField(Wave, on_delete=models.PROTECT, related_name="back_check_plan")
    share_percent = models.PositiveSmallIntegerField(
        default=DEFAULT_SHARE_PERCENT,
        help_text="At least this share of each interviewer's completes is back-checked "
                  "(rounded up), 1 to 100.")
    seed = models.BigIntegerField(
        help_text="Seeds each day's draw (with the day), so a draw can be reproduced.")
    key_questions = models.JSONField(
        default=list, blank=True,
        help_text="Up to three question names re-asked; empty: the first three closed "
                  "questions the interview answered.")

    def __str__(self) -> str:
        return f"Back-check plan of {self.wave}"


class BackCheckDraw(models.Model):
    """One day's draw for a wave: the completes up to `cutoff` were considered."""

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="back_check_draws")
    day = models.DateField()
    cutoff = models.DateTimeField(help_text="Completes up to this moment were considered.")
    share_percent = models.PositiveSmallIntegerField()
    seed = models.BigIntegerField()
    selected = models.PositiveIntegerField(default=0)
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 help_text="Empty when the daily command drew it.")

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["wave", "day"],
                                               name="one_back_check_draw_a_day")]

    def __str__(self) -> str:
        return f"Back-check draw of {self.wave} on {self.day}"


class BackCheck(models.Model):
    """One selected complete to verify by calling the business back."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        DISCREPANCY = "discrepancy", "Discrepancy"
        COULD_NOT_VERIFY = "could_not_verify", "Could not verify"

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="back_checks")
    draw = models.ForeignKey(BackCheckDraw, on_delete=models.PROTECT, related_name="checks")
    interview = models.OneToOneField(Interview, on_delete=models.PROTECT,
                                     related_name="back_check")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", help_text="Who did the interview.")
    checker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", help_text="Who took the check.")
    taken_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    script = models.JSONField(default=dict, blank=True,
                              help_text="The checker's answers to the verification script.")
    note = models.TextField(blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    escalated = models.BooleanField(default=False,
                                    help_text="Sent back to review on a discrepancy.")

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["wave", "interviewer"],
                                name="back_check_wave_interviewer")]

    def __str__(self) -> str:
        return f"Back-check {self.pk} of interview {self.interview_id}"
