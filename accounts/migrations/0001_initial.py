"""Agencies and users, with the four roles and MOPAC.

These models lived in the `survey` app until the accounts app was made; their tables keep
the names they had (survey_agency, survey_user). This migration replaces the survey app's
0001_initial and 0002_roles_and_mopac: a database that applied those has applied this one.
"""

import django.contrib.auth.validators
import django.db.models.deletion
import django.utils.timezone
import accounts.models
from django.db import migrations, models

ROLES = ["interviewer", "supervisor", "analyst", "admin"]


def create_roles_and_mopac(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Agency = apps.get_model("accounts", "Agency")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    Agency.objects.get_or_create(
        code="mopac",
        defaults={"name": "Mayor's Office for Policing and Crime", "is_commissioner": True},
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):

    initial = True

    replaces = [("survey", "0001_initial"), ("survey", "0002_roles_and_mopac")]

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.CreateModel(
            name='Agency',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('code', models.SlugField(max_length=40, unique=True)),
                ('is_commissioner', models.BooleanField(default=False, help_text='True for MOPAC, the body that commissions the survey.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'db_table': 'survey_agency',
                'verbose_name_plural': 'agencies',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='User',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('password', models.CharField(max_length=128, verbose_name='password')),
                ('last_login', models.DateTimeField(blank=True, null=True, verbose_name='last login')),
                ('is_superuser', models.BooleanField(default=False, help_text='Designates that this user has all permissions without explicitly assigning them.', verbose_name='superuser status')),
                ('username', models.CharField(error_messages={'unique': 'A user with that username already exists.'}, help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.', max_length=150, unique=True, validators=[django.contrib.auth.validators.UnicodeUsernameValidator()], verbose_name='username')),
                ('first_name', models.CharField(blank=True, max_length=150, verbose_name='first name')),
                ('last_name', models.CharField(blank=True, max_length=150, verbose_name='last name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email address')),
                ('is_staff', models.BooleanField(default=False, help_text='Designates whether the user can log into this admin site.', verbose_name='staff status')),
                ('is_active', models.BooleanField(default=True, help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.', verbose_name='active')),
                ('date_joined', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date joined')),
                ('groups', models.ManyToManyField(blank=True, help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.', related_name='user_set', related_query_name='user', to='auth.group', verbose_name='groups')),
                ('user_permissions', models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions')),
                ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='users', to='accounts.agency')),
            ],
            options={
                'verbose_name': 'user',
                'verbose_name_plural': 'users',
                'abstract': False,
                'db_table': 'survey_user',
                'swappable': 'AUTH_USER_MODEL',
            },
            managers=[
                ('objects', accounts.models.BasUserManager()),
            ],
        ),
        migrations.RunPython(create_roles_and_mopac, remove_roles),
    ]
