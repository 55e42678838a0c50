"""The move of agencies, users and the audit log from `survey` to `accounts` keeps data.

`data/old_layout.sqlite3` was made by the code before the move (`manage.py migrate`, then an
agency, three users with roles, audit events, and a wave in the field with one interview;
all synthetic). Migrating a copy with today's code must apply cleanly and leave every row
readable through the new models, with passwords, roles and foreign keys intact.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

OLD_LAYOUT = Path(__file__).parent / "data" / "old_layout.sqlite3"

CHECK = """
from django.contrib.contenttypes.models import ContentType
from accounts.models import Agency, AuditEvent, User
from survey.models import Interview
interviewer = User.objects.get(username="int1")
assert interviewer.check_password("synthetic-pass-4821")
assert list(interviewer.groups.values_list("name", flat=True)) == ["interviewer"]
assert interviewer.agency.code == "synthetic"
assert sorted(Agency.objects.values_list("code", flat=True)) == ["mopac", "synthetic"]
assert User.objects.count() == 3
interview = Interview.objects.get()
assert interview.interviewer == interviewer and interview.answers == {"trading": 1}
assert interview.case.wave.agency.code == "synthetic"
assert AuditEvent.objects.filter(action="login", user=interviewer).exists()
assert not AuditEvent.objects.filter(object_type__in=["survey.User", "survey.Agency"]).exists()
assert AuditEvent.objects.filter(object_type="accounts.User").count() == 3
labels = set(ContentType.objects.filter(model__in=["user", "agency", "auditevent"])
             .values_list("app_label", flat=True))
assert labels == {"accounts"}, labels
print("OLD LAYOUT OK")
"""


def _manage(database: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR,
                          env=env, capture_output=True, text=True, timeout=300)


def test_a_database_of_the_old_layout_migrates_without_losing_data(tmp_path):
    database = tmp_path / "old.sqlite3"
    shutil.copy(OLD_LAYOUT, database)

    migrated = _manage(database, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "accounts.0003_relabel_moved_models... OK" in migrated.stdout

    checked = _manage(database, "shell", "-c", CHECK)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "OLD LAYOUT OK" in checked.stdout

    pending = _manage(database, "migrate", "--check")
    assert pending.returncode == 0, pending.stdout + pending.stderr


def test_the_moved_models_keep_their_tables():
    from accounts.models import Agency, AuditEvent, User

    assert (Agency._meta.db_table, User._meta.db_table, AuditEvent._meta.db_table) == (
        "survey_agency", "survey_user", "survey_auditevent")
    assert settings.AUTH_USER_MODEL == "accounts.User"
