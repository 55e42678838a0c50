from django.db import migrations

ROLES = ["interviewer", "supervisor", "analyst", "admin"]


def create_roles_and_mopac(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Agency = apps.get_model("survey", "Agency")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    Agency.objects.get_or_create(
        code="mopac",
        defaults={"name": "Mayor's Office for Policing and Crime", "is_commissioner": True},
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("survey", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles_and_mopac, remove_roles)]
