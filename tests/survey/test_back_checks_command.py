"""`manage.py draw_back_checks --wave ID [--day YYYY-MM-DD]`: the daily cron job."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from accounts.roles import Role
from survey.models import BackCheck, BackCheckDraw
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field
from tests.survey.test_back_checks import completes

pytestmark = pytest.mark.django_db


def draw(*args: str) -> str:
    out = StringIO()
    with mock.patch("django.utils.timezone.now", return_value=OPEN_NOW + timedelta(hours=10)):
        call_command("draw_back_checks", *args, stdout=out)
    return out.getvalue()


def test_the_command_draws_a_day_once_and_prints_the_shares(agency, users):
    wave = wave_in_field(agency, n_per_stratum=8)
    completes(wave, users[Role.INTERVIEWER], 11)
    text = draw("--wave", str(wave.pk))
    assert "2025-06-11: 2 back-checks drawn" in text
    assert f"{users[Role.INTERVIEWER].username}: 2 of 11 completes (18.2%)" in text
    again = draw("--wave", str(wave.pk), "--day", "2025-06-11")
    assert "already drawn; nothing new" in again
    assert BackCheckDraw.objects.count() == 1 and BackCheck.objects.count() == 2
    assert BackCheckDraw.objects.get().drawn_by is None  # the command, not a person


@pytest.mark.parametrize(("args", "message"), [
    (("--wave", "999"), "no wave 999"),
    (("--day", "11/06/2025"), "is not a date"),
    (("--day", "2025-06-12"), "has not come yet"),
])
def test_bad_input_exits_2(agency, args, message):
    wave = wave_in_field(agency)
    full = args if args[0] == "--wave" else ("--wave", str(wave.pk), *args)
    with pytest.raises(CommandError, match=message) as error:
        draw(*full)
    assert error.value.returncode == 2
