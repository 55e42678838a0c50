"""The demo runs end to end and prints what it did."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role


@pytest.mark.django_db(transaction=True)
def test_demo_creates_one_user_per_role_and_prints_logins(tmp_path):
    out = StringIO()
    small = {"frame_size": 8000, "n": 1400, "target": 150, "days": 2, "interviewers": 5}
    call_command("demo", out=str(tmp_path / "demo"), stdout=out, **small)
    text = out.getvalue()
    for role in Role:
        user = User.objects.get(username=f"demo_{role.value}")
        assert user.groups.filter(name=role.value).exists()
        assert f"login demo_{role.value}" in text
        assert user.check_password(f"demo_{role.value}-2026!")
    assert str(tmp_path / "demo") in text
    for output in ("bas_codebook.xlsx", "sample.csv", "estimates.csv",
                   "publication/bas_results.xlsx", "publication/bas_microdata.sav"):
        assert (tmp_path / "demo" / output).stat().st_size > 0
    assert "interviews completed" in text and "RR3" in text and "confident_police" in text
    assert "published estimates" in text
    # Long steps say how far they have got, and the summary says what it counts.
    assert "day 1 of" in text and "interviews so far" in text
    assert "businesses sampled per borough" in text and "interviews per borough" not in text
    # Running it again is safe: nothing is duplicated.
    call_command("demo", out=str(tmp_path / "demo"), stdout=StringIO(), **small)
    assert User.objects.filter(username__startswith="demo_").count() == len(Role) + 4
