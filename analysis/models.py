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
    margins = models.ForeignKey(
        "PopulationMargins", on_delete=models.PROTECT, null=True, blank=True,
        related_name="runs", help_text="The uploaded population totals raked to; none: the "
        "frame's counts.")
    accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="A run is a draft until an analyst accepts it; the "
        "wave's latest accepted run is the one estimates and publication use.")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Weighting {self.pk} of {self.wave} ({self.status})"

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None


class PopulationMargins(models.Model):
    """Population totals uploaded by an analyst (CSV variable, category, total), with where
    they come from and the date they describe."""

    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    source = models.CharField(max_length=300, help_text="Where the totals come from, e.g. "
                              "'ONS UK Business Counts 2025'.")
    as_of = models.DateField(help_text="The date the totals describe.")
    totals = models.JSONField(help_text="{variable: {category: total}}")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "population margins"

    def __str__(self) -> str:
        return f"{self.source} ({self.as_of:%d %B %Y})"


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


class BoroughTable(models.Model):
    """An uploaded borough table: numeric columns by borough (e.g. recorded business crime
    per 1,000 businesses), with where it comes from and the date it describes; auxiliaries
    for small-area models beside the frame's."""

    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    source = models.CharField(max_length=300, help_text="Where the figures come from, e.g. "
                              "'Metropolitan Police recorded crime, 2025'.")
    as_of = models.DateField(help_text="The date the figures describe.")
    columns = models.JSONField(help_text="The numeric columns, in the file's order.")
    values = models.JSONField(help_text="{column: {borough GSS code: value}} for all 33.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.source} ({self.as_of:%d %B %Y})"


class SmallAreaRun(models.Model):
    """Borough estimates from an accepted weighting run: per published proportion measure,
    the direct estimates, the Fay-Herriot fit on the borough auxiliaries, the EBLUPs (ratio-
    benchmarked or not) and the publication rule's choice, with the options and notes."""

    run = models.ForeignKey(WeightingRun, on_delete=models.PROTECT, related_name="small_areas")
    estimate_set = models.ForeignKey(EstimateSet, on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="small_areas")
    borough_table = models.ForeignKey(BoroughTable, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="small_areas")
    spec = models.JSONField(help_text="The options: measures, method, smooth, benchmark, "
                            "auxiliaries, the borough table's columns and the rule.")
    fits = models.JSONField(help_text="{measure: the fit (coefficients with SEs, model "
                            "variance, method, goodness, smoothing and benchmarking) or the "
                            "error that stopped it}")
    notes = models.JSONField(default=list, help_text="The method notes, in words.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    chosen_at = models.DateTimeField(
        null=True, blank=True, help_text="When an analyst chose this run for publication: of "
        "the wave's accepted weighting run, the run chosen last is published (none chosen: "
        "the latest run).")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Borough estimates {self.pk} from {self.run}"


class SmallAreaEstimate(models.Model):
    """One borough x measure of a small-area run: the direct estimate with its SE, CV and
    interval, the variance the model used, the EBLUP, its MSE and shrinkage, and what the
    publication rule chose (source, estimate, interval, note). NaN is stored as null."""

    small_area = models.ForeignKey(SmallAreaRun, on_delete=models.CASCADE,
                                   related_name="rows")
    measure = models.CharField(max_length=64)
    borough = models.CharField(max_length=9, help_text="GSS code")
    n = models.PositiveIntegerField(help_text="Respondents in the borough (unweighted base).")
    direct = models.FloatField(null=True)
    direct_se = models.FloatField(null=True)
    direct_cv = models.FloatField(null=True)
    direct_low = models.FloatField(null=True)
    direct_high = models.FloatField(null=True)
    model_variance_input = models.FloatField(
        null=True, help_text="The direct variance the model used (smoothed or not).")
    synthetic = models.FloatField(null=True)
    eblup = models.FloatField(null=True)
    mse = models.FloatField(null=True)
    rrmse = models.FloatField(null=True)
    gamma = models.FloatField(null=True)
    source = models.CharField(max_length=12, help_text="direct, pooled, model-based or "
                              "suppressed")
    estimate = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["small_area", "measure", "borough"]
        constraints = [models.UniqueConstraint(fields=["small_area", "measure", "borough"],
                                               name="unique_small_area_estimate")]

    def __str__(self) -> str:
        return f"{self.measure} in {self.borough}: {self.source}"
