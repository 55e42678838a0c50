"""Contact details on a need-to-know basis (issue 18, item 7), one rule
(survey.selectors.fieldwork.contact_details_visible) behind the case detail of the API and
the interviewing pages: an interviewer sees a business's name, address, phone and contact
person only for the case they hold and their own appointments; supervisors of the wave's
agency see their wave's cases; analysts and admins never; nobody after the purge."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from survey.models import Appointment, Case, Wave
from survey.services.purge import contacts_purge
from tests.factories import make_user
from tests.survey.fieldwork_factories import take_case, wave_in_field

pytestmark = pytest.mark.django_db

INT, SUP, ANA, ADM = Role.INTERVIEWER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN
CONTACT = ("name", "address", "postcode", "phone")
ASK_FOR = "Ms Contact Person"


@pytest.fixture
def field(agency, users):
    wave = wave_in_field(agency, n_per_stratum=3)
    holder = users[INT]
    colleague = make_user(INT, agency=agency)
    diarist = make_user(INT, agency=agency)
    held = take_case(wave, holder)
    booked = Case.objects.filter(wave=wave).exclude(pk=held.pk).first()
    Appointment.objects.create(case=booked, due_at=timezone.now() + timedelta(days=1),
                               ask_for=ASK_FOR, created_by=diarist)
    Appointment.objects.create(case=held, due_at=timezone.now() + timedelta(days=2),
                               ask_for=ASK_FOR, created_by=holder)
    return {"wave": wave, "held": held, "booked": booked, "holder": holder,
            "colleague": colleague, "diarist": diarist}


def seen(client, user, case) -> dict:
    client.force_login(user)
    response = client.get(reverse("api-case", args=[case.pk]))
    assert response.status_code == 200, response.status_code
    body = response.json()
    return {"business": body["business"],
            "ask_for": {a["ask_for"] for a in body["appointments"]} - {""}}


def shows_contact(view: dict) -> bool:
    shown = [field for field in CONTACT if field in view["business"]]
    assert shown in ([], list(CONTACT))
    assert bool(view["ask_for"]) == bool(shown)
    return bool(shown)


def test_an_interviewer_sees_the_case_they_hold_and_their_own_appointments(client, field):
    assert shows_contact(seen(client, field["holder"], field["held"]))
    assert shows_contact(seen(client, field["diarist"], field["booked"]))
    # but not a colleague's case, nor a case of the agency they have nothing to do with
    assert not shows_contact(seen(client, field["colleague"], field["held"]))
    assert not shows_contact(seen(client, field["colleague"], field["booked"]))
    assert not shows_contact(seen(client, field["holder"], field["booked"]))
    assert not shows_contact(seen(client, field["diarist"], field["held"]))


def test_the_case_page_follows_the_same_rule(client, field):
    phone = field["held"].sampled_business.business.phone
    client.force_login(field["holder"])
    assert phone in client.get(reverse("interviewing-case", args=[field["held"].pk])
                               ).content.decode()
    client.force_login(field["colleague"])
    page = client.get(reverse("interviewing-case", args=[field["held"].pk])).content.decode()
    assert phone not in page and ASK_FOR not in page


def test_the_interview_page_follows_the_same_rule(client, field):
    from survey.services.interviews import interview_start_or_resume
    from tests.survey.fieldwork_factories import OPEN_NOW

    state, _ = interview_start_or_resume(case=field["held"], user=field["holder"],
                                         now=OPEN_NOW)
    phone = field["held"].sampled_business.business.phone
    url = reverse("interviewing-interview", args=[state.interview.pk])
    client.force_login(field["holder"])
    assert phone in client.get(url).content.decode()
    client.force_login(field["colleague"])
    page = client.get(url)
    assert page.status_code == 200 and phone not in page.content.decode()


def test_the_calls_of_today_name_only_the_cases_still_theirs(client, agency, users,
                                                             monkeypatch):
    import uuid

    from survey.services.calls import call_attempt_record
    from tests.survey.fieldwork_factories import OPEN_NOW

    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)
    wave = wave_in_field(agency, name="Calls today")
    me = make_user(INT, agency=agency)
    called = take_case(wave, me)
    business = called.sampled_business.business
    call_attempt_record(case=called, user=me, outcome="no_answer", event_id=uuid.uuid4())
    client.force_login(me)
    page = client.get(reverse("interviewing-home")).content.decode()
    assert business.reference in page and business.name not in page


def test_supervisors_of_the_agency_see_their_waves_cases_mopac_never(client, users, field,
                                                                     other_agency):
    for case in (field["held"], field["booked"]):
        assert shows_contact(seen(client, users[SUP], case))
        assert not shows_contact(seen(client, users[ANA], case))
        assert not shows_contact(seen(client, users[ADM], case))
    client.force_login(make_user(SUP, agency=other_agency))
    assert client.get(reverse("api-case", args=[field["held"].pk])).status_code == 404


def test_after_close_interviewers_see_nothing_after_the_purge_nobody(client, users, field):
    Wave.objects.filter(pk=field["wave"].pk).update(status=Wave.Status.CLOSED)
    assert not shows_contact(seen(client, field["holder"], field["held"]))
    assert not shows_contact(seen(client, field["diarist"], field["booked"]))
    assert shows_contact(seen(client, users[SUP], field["held"]))
    contacts_purge(wave=Wave.objects.get(pk=field["wave"].pk))
    for user in (users[SUP], field["holder"], field["diarist"], users[ANA]):
        for case in (field["held"], field["booked"]):
            assert not shows_contact(seen(client, user, case))
    assert set(Appointment.objects.values_list("ask_for", flat=True)) == {""}
