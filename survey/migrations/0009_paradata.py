# Paradata: the navigation events the answer events cannot tell (going back, resuming).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('survey', '0008_interview_language'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NavigationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('back', 'Went back a question'), ('resumed', 'Resumed after being stopped for now')], max_length=10)),
                ('from_path', models.CharField(blank=True, help_text='The question on screen before (back).', max_length=255)),
                ('to_path', models.CharField(blank=True, help_text='The question on screen after (back).', max_length=255)),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('interview', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='navigation_events', to='survey.interview')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['pk'],
                'indexes': [models.Index(fields=['interview', 'recorded_at'], name='survey_navi_intervi_c674c2_idx')],
            },
        ),
    ]
