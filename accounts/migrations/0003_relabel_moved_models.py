"""Relabel what named the moved models by their old app: content types (and so permissions
given to groups) and the audit log's object types, survey.* to accounts.*. No table changes."""

from django.db import migrations

MOVED = {"agency": "Agency", "user": "User", "auditevent": "AuditEvent"}


def relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    for model, name in MOVED.items():
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        AuditEvent.objects.filter(object_type=f"{old}.{name}").update(object_type=f"{new}.{name}")


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, "survey", "accounts")


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, "accounts", "survey")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_event"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
