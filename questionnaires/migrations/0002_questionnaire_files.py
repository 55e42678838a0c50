import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("questionnaires", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuestionnaireFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("filename", models.CharField(max_length=255)),
                ("content", models.BinaryField()),
                ("size", models.PositiveIntegerField()),
                ("sha256", models.CharField(max_length=64)),
                ("version", models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT, related_name="files",
                    to="questionnaires.questionnaireversion")),
            ],
            options={
                "ordering": ["version", "filename"],
                "constraints": [models.UniqueConstraint(fields=("version", "filename"),
                                                        name="unique_version_file")],
            },
        ),
    ]
