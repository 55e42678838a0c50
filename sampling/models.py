from django.conf import settings
from django.db import models


class Frame(models.Model):
    """An imported (or synthetic) list of London businesses to sample from."""

    name = models.CharField(max_length=200)
    source_filename = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, help_text="Counts by borough, sector and size band.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.size:,} businesses)"


class FrameBusiness(models.Model):
    """One business of a frame. Contact details are for fieldwork only."""

    frame = models.ForeignKey(Frame, on_delete=models.CASCADE, related_name="businesses")
    reference = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=10)
    phone = models.CharField(max_length=20)
    borough = models.CharField(max_length=9, help_text="GSS code E09000001..E09000033")
    sic2007 = models.CharField(max_length=6)
    sector = models.CharField(max_length=1, help_text="SIC 2007 section A..U")
    employees = models.PositiveIntegerField()
    size_band = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["frame", "reference"], name="unique_frame_reference")
        ]
        indexes = [models.Index(fields=["frame", "borough", "sector", "size_band"])]

    def __str__(self) -> str:
        return self.reference


class SampleDesign(models.Model):
    """How a sample is drawn: strata, allocation, size, seed and replicates."""

    class Allocation(models.TextChoices):
        PROPORTIONAL = "proportional"
        NEYMAN = "neyman"
        COMPROMISE = "compromise"

    frame = models.ForeignKey(Frame, on_delete=models.PROTECT, related_name="designs")
    name = models.CharField(max_length=200)
    n = models.PositiveIntegerField(help_text="Total sample size to draw.")
    allocation = models.CharField(max_length=20, choices=Allocation.choices)
    min_per_borough = models.PositiveIntegerField(default=0)
    anticipated_proportion = models.FloatField(default=0.5)
    large_business_factor = models.FloatField(default=1.0)
    min_stratum_size = models.PositiveIntegerField(default=20)
    strata_dimensions = models.JSONField(default=list, blank=True)
    seed = models.BigIntegerField(help_text="Seeds the permanent random numbers: keep it "
                                  "across waves so that waves can be coordinated.")
    replicates = models.PositiveIntegerField(default=1)
    exclude_recent_waves = models.PositiveIntegerField(
        default=0, help_text="Avoid businesses sampled in the last k samples of this frame."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Sample(models.Model):
    """The businesses drawn by a design, split into replicates released in batches."""

    design = models.OneToOneField(SampleDesign, on_delete=models.PROTECT, related_name="sample")
    allocation_table = models.JSONField(default=list)
    merges = models.JSONField(default=list, help_text="Strata collapsed, and into what.")
    released_replicates = models.JSONField(default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sample of {self.design}"


class SampledBusiness(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="businesses")
    business = models.ForeignKey(FrameBusiness, on_delete=models.PROTECT, related_name="+")
    stratum = models.TextField()
    replicate = models.PositiveIntegerField()
    drawn_inclusion_probability = models.FloatField()
    inclusion_probability = models.FloatField(
        null=True, help_text="From the replicates released so far (None until released)."
    )
    design_weight = models.FloatField(null=True)
    released = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sample", "business"], name="unique_sampled_business")
        ]
        indexes = [models.Index(fields=["sample", "replicate"])]

    def __str__(self) -> str:
        return f"{self.business} in {self.sample}"
