"""Purging contact details once a wave is closed, keeping the answers."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent
from accounts.roles import Role
from sampling.models import FrameBusiness
from survey.models import Interview
from survey.services.purge import PURGED, contacts_purge
from survey.services.waves import wave_close
from tests.survey.fieldwork_factories import complete_case, take_case, wave_in_field

pytestmark = pytest.mark.django_db


def test_purge_blanks_contacts_but_keeps_answers(agency, users):
    wave = wave_in_field(agency)
    interviewer = users[Role.INTERVIEWER]
    complete_case(take_case(wave, interviewer), interviewer)
    answers = Interview.objects.get().answers
    with pytest.raises(CommandError, match="close it before purging"):
        call_command("purge_contacts", str(wave.pk))
    wave = wave_close(wave=wave)
    call_command("purge_contacts", wave.name)
    businesses = FrameBusiness.objects.filter(frame=wave.sample.design.frame)
    assert set(businesses.values_list("name", flat=True)) == {PURGED}
    assert set(businesses.values_list("phone", flat=True)) == {""}
    assert set(businesses.values_list("address", flat=True)) == {""}
    assert businesses.first().borough  # what analysis needs stays
    assert Interview.objects.get().answers == answers
    assert AuditEvent.objects.filter(action="purged").count() == 1


def test_businesses_of_a_wave_still_in_the_field_keep_their_details(agency, other_agency):
    first = wave_in_field(agency)
    from survey.services.waves import wave_create, wave_open_field

    second = wave_open_field(wave=wave_create(
        name="Second wave", questionnaire_version=first.questionnaire_version,
        sample=first.sample, agency=other_agency, target_interviews=5))
    first = wave_close(wave=first)
    report = contacts_purge(wave=first)
    assert report.purged == 0 and report.kept_for_open_waves > 0
    assert second.status == "in_field"


def test_unknown_wave_is_exit_code_2():
    with pytest.raises(CommandError) as caught:
        call_command("purge_contacts", "no such wave")
    assert caught.value.returncode == 2
