"""The weighting run stores the design its estimates are rebuilt from. Runs done before this
get it from what estimation used to read: the raked variables in their diagnostics and the
population margins of the wave's frame."""

from django.db import migrations, models

from sampling.data.sectors import DEFAULT_SECTOR_GROUPS

SECTOR_GROUP = {s: group for group, sections in DEFAULT_SECTOR_GROUPS.items() for s in sections}


def _population(summary: dict) -> dict[str, dict[str, float]]:
    groups: dict[str, float] = {}
    for section, count in summary.get("sector", {}).items():
        groups[SECTOR_GROUP[section]] = groups.get(SECTOR_GROUP[section], 0) + count
    return {"borough": summary.get("borough", {}), "sector_group": groups,
            "size_band": summary.get("size_band", {})}


def fill_design(apps, schema_editor):
    WeightingRun = apps.get_model("analysis", "WeightingRun")
    for run in WeightingRun.objects.filter(status="done").select_related(
            "wave__sample__design__frame"):
        variables = run.diagnostics.get("rake_variables")
        if not variables or run.design:
            continue
        population = _population(run.wave.sample.design.frame.summary)
        margins = [{"variable": v, "categories": [str(c) for c in population[v]],
                    "totals": [float(t) for t in population[v].values()]} for v in variables]
        run.design = {"weights": "final_weight", "strata": "stratum", "cluster": None,
                      "fpc": None, "replicates": None,
                      "calibration": {"method": "raking", "base_weights": "adjusted_weight",
                                      "margins": margins}}
        run.save(update_fields=["design"])


class Migration(migrations.Migration):

    dependencies = [
        ("analysis", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="weightingrun",
            name="design",
            field=models.JSONField(
                default=dict, help_text="What rebuilds the estimation design from the weighted "
                "respondents (analysis.core.DesignSpec): weight and stratum columns, the "
                "calibration margins and base weights."),
        ),
        migrations.RunPython(fill_design, migrations.RunPython.noop),
    ]
