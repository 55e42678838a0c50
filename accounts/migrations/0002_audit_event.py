"""The audit log. Replaces the survey app's 0005_audit_event (same table, survey_auditevent)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [("survey", "0005_audit_event")]

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('action', models.CharField(choices=[('login', 'Login'), ('login_failed', 'Login Failed'), ('login_blocked', 'Login Blocked'), ('logout', 'Logout'), ('created', 'Created'), ('changed', 'Changed'), ('deleted', 'Deleted'), ('purged', 'Purged')], max_length=16)),
                ('username', models.CharField(blank=True, db_index=True, max_length=150)),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                ('object_type', models.CharField(blank=True, max_length=100)),
                ('object_id', models.CharField(blank=True, max_length=64)),
                ('detail', models.JSONField(blank=True, default=dict)),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.user')),
            ],
            options={
                'db_table': 'survey_auditevent',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['action', 'username', 'at'], name='survey_audi_action_226c68_idx')],
            },
        ),
    ]
