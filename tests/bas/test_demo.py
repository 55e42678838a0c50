"""The demo runs end to end and prints what it did."""

from io import StringIO

import pytest
from django.core.management import call_command

from survey.models import User
from survey.roles import Role


@pytest.mark.django_db(transaction=True)
def test_demo_creates_one_user_per_role_and_prints_logins(tmp_path):
    out = StringIO()
    call_command("demo", out=str(tmp_path / "demo"), stdout=out)
    text = out.getvalue()
    for role in Role:
        user = User.objects.get(username=f"demo_{role.value}")
        assert user.groups.filter(name=role.value).exists()
        assert f"login demo_{role.value}" in text
        assert user.check_password(f"demo_{role.value}-2026!")
    assert str(tmp_path / "demo") in text
    # Running it again is safe: nothing is duplicated.
    call_command("demo", out=str(tmp_path / "demo"), stdout=StringIO())
    assert User.objects.filter(username__startswith="demo_").count() == len(Role)
