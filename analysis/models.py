from django.conf import settings
from django.db import models


class WeightingRun(models.Model):
    """One weighting of a wave: its specification, every case's weights and diagnostics."""

    class Status(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    wave = models.ForeignKey("survey.Wave", on_delete=models.PROTECT, related_name="weightings")
    spec = models.JSONField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    progress = models.JSONField(default=list, help_text="Steps done so far, for the web page.")
    diagnostics = models.JSONField(default=dict)
    design = models.JSONField(
        default=dict, help_text="What rebuilds the estimation design from the weighted "
        "respondents (analysis.core.DesignSpec): weight and stratum columns, the calibration "
        "margins and base weights.")
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Weighting {self.pk} of {self.wave} ({self.status})"


class CaseWeight(models.Model):
    """A case's weight at each step; every released case has one (zero where it carries none)."""

    run = models.ForeignKey(WeightingRun, on_delete=models.CASCADE, related_name="weights")
    case = models.ForeignKey("survey.Case", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16)
    design_weight = models.FloatField()
    adjusted_weight = models.FloatField()
    final_weight = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "case"], name="unique_case_weight")]

    def __str__(self) -> str:
        return f"case {self.case_id}: {self.final_weight:.3f}"


class EstimateSet(models.Model):
    """Estimates from a weighting run: one row per (variable, by, domain)."""

    run = models.ForeignKey(WeightingRun, on_delete=models.PROTECT, related_name="estimates")
    spec = models.JSONField()
    rows = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Estimates {self.pk} from {self.run}"
