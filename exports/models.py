from django.conf import settings
from django.db import models


class Publication(models.Model):
    """What went public for a wave: the disclosure-controlled rows the public API and
    dashboard serve, the facts on the cover, and the estimates they came from."""

    wave = models.ForeignKey("survey.Wave", on_delete=models.PROTECT,
                             related_name="publications")
    estimate_set = models.ForeignKey("analysis.EstimateSet", on_delete=models.PROTECT,
                                     related_name="+")
    rules = models.JSONField(help_text="Disclosure rules applied.")
    facts = models.JSONField(help_text="Wave facts on the cover sheet.")
    rows = models.JSONField(help_text="Published rows (exports.tables.published_rows).")
    changes = models.JSONField(default=list)
    small_area = models.ForeignKey("analysis.SmallAreaRun", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   help_text="The borough estimates published, if any.")
    folder = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True, help_text="Why it was withdrawn, as the "
                                        "public dashboard and API state it.")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Publication {self.pk} of {self.wave}"


class PublicationFile(models.Model):
    """A public download of a publication (workbook, open-data CSV, its metadata), kept in
    the database so that every app server serves the same bytes."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE,
                                    related_name="files")
    name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "name"],
                                               name="unique_publication_file")]

    def __str__(self) -> str:
        return f"{self.name} of publication {self.publication_id}"
