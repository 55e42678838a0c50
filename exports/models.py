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
    folder = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Publication {self.pk} of {self.wave}"
