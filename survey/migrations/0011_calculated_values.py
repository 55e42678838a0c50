import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("survey", "0010_back_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="interview",
            name="values",
            field=models.JSONField(
                blank=True, default=dict,
                help_text="Calculated values as the interview worked them out, by path (a "
                          "cache of its CalculatedValue rows)."),
        ),
        migrations.CreateModel(
            name="CalculatedValue",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("path", models.CharField(max_length=255)),
                ("value", models.JSONField(null=True)),
                ("previous", models.JSONField(null=True)),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("interview", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="calculated_values", to="survey.interview")),
            ],
            options={"ordering": ["pk"]},
        ),
    ]
