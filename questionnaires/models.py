from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Questionnaire(models.Model):
    """A questionnaire (e.g. the BAS questionnaire), with numbered versions."""

    form_id = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class QuestionnaireVersion(models.Model):
    """One uploaded, checked definition. Immutable once any interview has used it."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    form_version = models.CharField(
        max_length=100, blank=True, help_text="The `version` cell of the settings sheet."
    )
    definition = models.JSONField(help_text="The checked definition, as the engine stores it.")
    summary = models.JSONField(default=dict)
    workbook = models.BinaryField(help_text="The uploaded .xlsx file, kept as sent.")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    locked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the first interview used it; no change after."
    )

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = QuestionnaireVersion.objects.filter(pk=self.pk).values("locked_at").first()
            if stored and stored["locked_at"] is not None:
                raise ValidationError(f"{self} is locked: an interview has used it.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise ValidationError(f"{self} is locked: an interview has used it.")
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class QuestionnaireFile(models.Model):
    """A CSV file uploaded with a version's workbook (for select_one_from_file,
    select_multiple_from_file and pulldata()), kept as sent; the engine reads its rows from
    the version's definition."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT,
                                related_name="files")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["version", "filename"]
        constraints = [models.UniqueConstraint(fields=["version", "filename"],
                                               name="unique_version_file")]

    def __str__(self) -> str:
        return f"{self.version}: {self.filename}"
