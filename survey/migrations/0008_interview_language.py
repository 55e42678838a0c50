from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("survey", "0007_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="interview",
            name="language",
            field=models.CharField(
                blank=True, max_length=100,
                help_text="The language the questions are read in (one of the form's, as its "
                          "workbook names it); blank is the form's default_language."),
        ),
    ]
