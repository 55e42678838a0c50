"""Wave set-up by the analyst: every setting checked with a message in plain words, the
defaults from the sample's allocation, editing in set-up, opening (replicates at start),
extending and closing; the queue honouring retry gaps, borough targets and fieldwork dates;
the pages and the API."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.errors import FieldworkConflict
from survey.models import Case, Wave
from survey.services.calls import call_attempt_record
from survey.services.queue import case_next
from survey.services.wave_settings import (
    WaveSettingsInvalid,
    end_date_from_form,
    settings_from_form,
)
from survey.services.waves import wave_create, wave_extend, wave_open_field, wave_update
from tests.factories import mopac
from tests.survey.fieldwork_factories import (
    OPEN_NOW,
    STRATA,
    questionnaire_version,
    sample_with_cases,
    take_case,
    wave_in_field,
)

pytestmark = pytest.mark.django_db
TODAY = date(2027, 4, 1)
ALWAYS_OPEN = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59"}


@pytest.fixture
def setup(agency):
    sample = sample_with_cases(n_per_stratum=3, replicates=2, released=0)
    sample.allocation_table = [{"stratum": STRATA[0], "population": 300, "allocated": 4},
                               {"stratum": STRATA[1], "population": 100, "allocated": 2}]
    sample.save(update_fields=["allocation_table"])
    return {"name": "BAS wave 12", "questionnaire_version": questionnaire_version(),
            "sample": sample, "agency": agency, "starts_on": date(2027, 5, 3),
            "ends_on": date(2027, 6, 30), "today": TODAY}


def problems_of(**settings) -> dict[str, str]:
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_create(**settings)
    return {p.field: p.message for p in caught.value.problems}


# --- every validation message ---------------------------------------------------------------

@pytest.mark.parametrize(("change", "field", "message"), [
    ({"name": " "}, "name",
     "Give the wave a name, for example 'BAS wave 12 (spring 2027)'."),
    ({"name": "x" * 201}, "name",
     "The wave's name is 201 characters long; keep it to 200 or fewer."),
    ({"questionnaire_version": None}, "questionnaire_version",
     "Choose the questionnaire version the interviewers will ask."),
    ({"sample": None}, "sample", "Choose the sample of businesses to call."),
    ({"agency": None}, "agency", "Choose the agency that will do the interviewing."),
    ({"starts_on": date(2027, 3, 1)}, "starts_on",
     "The fieldwork start date must be today or later (you entered 1 March 2027; today is "
     "1 April 2027)."),
    ({"starts_on": date(2027, 5, 3), "ends_on": date(2027, 5, 1)}, "ends_on",
     "The fieldwork end date must be after the start date (you entered 3 May 2027 and "
     "1 May 2027)."),
    ({"starts_on": None, "ends_on": date(2027, 3, 31)}, "ends_on",
     "The fieldwork end date has already passed (you entered 31 March 2027; today is "
     "1 April 2027)."),
    ({"business_hours": {"days": [], "start": "09:00", "end": "17:00"}}, "calling_days",
     "Choose at least one day of the week on which businesses are called."),
    ({"business_hours": {"days": [0], "start": "9am", "end": "17:00"}}, "calling_start",
     "The time calling hours start must be a time of day such as 09:00 (you entered '9am')."),
    ({"business_hours": {"days": [0], "start": "09:00", "end": ""}}, "calling_end",
     "The time calling hours end must be a time of day such as 09:00 (you entered nothing)."),
    ({"business_hours": {"days": [0], "start": "17:30", "end": "09:00"}}, "calling_end",
     "Calling hours must end after they start (you entered 17:30 to 09:00)."),
    ({"timezone": "Europe/Londn"}, "timezone",
     "'Europe/Londn' is not a time zone we know; use a name such as Europe/London."),
    ({"max_attempts": 0}, "max_attempts",
     "The most calls to one business must be between 1 and 50 (you entered 0)."),
    ({"max_attempts": 51}, "max_attempts",
     "The most calls to one business must be between 1 and 50 (you entered 51)."),
    ({"retry_gaps": {"refusal": 60}}, "retry_gaps.refusal",
     "'Refused' ends the case, so it has no wait before a retry."),
    ({"retry_gaps": {"nap": 60}}, "retry_gaps.nap",
     "'nap' is not a call outcome that is tried again; the waits that can be set are for "
     "partial, callback, message_left, busy, no_answer, answering_machine, technical."),
    ({"retry_gaps": {"no_answer": 0}}, "retry_gaps.no_answer",
     "The wait after 'No answer' must be a whole number of minutes from 1 to 43,200 (30 days) "
     "(you entered 0)."),
    ({"target_interviews": 0}, "target_interviews",
     "The target must be at least 1 interview (you entered 0)."),
    ({"target_interviews": 13}, "target_interviews",
     "The target of 13 interviews is more than the 12 businesses in the sample."),
    ({"stratum_targets": {"E09000099|Z": 3}}, "stratum_targets.E09000099|Z",
     "'E09000099|Z' is not a stratum of the sample (its strata are E09000001|G, "
     "E09000033|M)."),
    ({"stratum_targets": {STRATA[0]: -1}}, f"stratum_targets.{STRATA[0]}",
     f"The target for stratum '{STRATA[0]}' must be a whole number of interviews, 0 or more "
     "(you entered -1)."),
    ({"target_interviews": 6, "stratum_targets": {STRATA[0]: 2, STRATA[1]: 3}},
     "stratum_targets",
     "The targets per stratum add up to 5 interviews, fewer than the 6 wanted overall, so the "
     "wave could never reach its target."),
    ({"borough_targets": {"E09000002": 3}}, "borough_targets.E09000002",
     "'E09000002' is not a borough of the sample (its boroughs are E09000001, E09000033)."),
    ({"replicates_at_start": 3}, "replicates_at_start",
     "The sample has 2 replicates; you asked to release 3 at the start."),
    ({"replicates_at_start": -1}, "replicates_at_start",
     "The replicates to release at the start cannot be fewer than 0 (you entered -1)."),
])
def test_each_setting_is_checked_in_plain_words(setup, change, field, message):
    assert problems_of(**{**setup, **change}) == {field: message}
    assert not Wave.objects.exists()


def test_name_taken_and_commissioner_agency(setup):
    wave_create(**setup)
    found = problems_of(**{**setup, "agency": mopac()})
    assert found == {
        "name": "There is already a wave called 'BAS wave 12'; give this one another name.",
        "agency": "Mayor's Office for Policing and Crime commissions the survey and does no "
                  "interviewing; choose the fieldwork agency."}


def test_every_problem_is_reported_at_once(setup):
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_create(**{**setup, "name": "", "max_attempts": 0, "timezone": "Mars/Base"})
    error = caught.value
    assert [p.field for p in error.problems] == ["name", "timezone", "max_attempts"]
    assert error.code == "invalid_wave" and error.http_status == 400
    assert error.as_dict()["problems"][0]["message"].startswith("Give the wave a name")


@pytest.mark.parametrize(("raw", "field", "message"), [
    ({"ends_on": "2027-05-01"}, "starts_on", "Enter the date fieldwork starts."),
    ({"starts_on": "2027-05-01"}, "ends_on", "Enter the date fieldwork ends."),
    ({"starts_on": "3/5/2027", "ends_on": "2027-05-30"}, "starts_on",
     "The date fieldwork starts must be a date such as 2027-05-03 (you entered '3/5/2027')."),
    ({"starts_on": "2027-05-01", "ends_on": "2027-05-30", "max_attempts": "ten"}, "max_attempts",
     "The most calls to one business must be a whole number (you entered 'ten')."),
    ({"starts_on": "2027-05-01", "ends_on": "2027-05-30", "target_interviews": "1.5"},
     "target_interviews",
     "The target number of interviews must be a whole number (you entered '1.5')."),
    ({"starts_on": "2027-05-01", "ends_on": "2027-05-30", "retry_gaps.busy": "soon"},
     "retry_gaps.busy", "The wait after 'Busy' must be a whole number (you entered 'soon')."),
    ({"starts_on": "2027-05-01", "ends_on": "2027-05-30", "replicates_at_start": "all"},
     "replicates_at_start",
     "The replicates to release at the start must be a whole number (you entered 'all')."),
    ({"starts_on": "2027-05-01", "ends_on": "2027-05-30", "targets": "E09000001 40"}, "targets",
     "Line 1 of the targets per stratum should be the stratum, a colon and a number, such as "
     "'E09000001: 40' (you entered 'E09000001 40')."),
    ({"starts_on": "2027-05-01", "ends_on": "2027-05-30", "targets": "\nE09000001: lots",
      "targets_by": "borough"}, "targets",
     "The target for borough 'E09000001' (line 2) must be a whole number (you entered "
     "'lots')."),
])
def test_the_form_reads_what_was_typed_in_plain_words(raw, field, message):
    with pytest.raises(WaveSettingsInvalid) as caught:
        settings_from_form(raw, days=["0"])
    assert {p.field: p.message for p in caught.value.problems} == {field: message}


def test_the_form_gives_typed_settings():
    values = settings_from_form({
        "name": " W ", "starts_on": "2027-05-03", "ends_on": "2027-06-30",
        "calling_start": "10:00", "calling_end": "16:00", "max_attempts": "8",
        "retry_gaps.no_answer": "90", "target_interviews": "1,600", "targets_by": "borough",
        "targets": "E09000001: 40\nE09000033 = 60", "replicates_at_start": "2"},
        days=["0", "2", "9", "x"])
    assert values["name"] == "W" and values["business_hours"] == {
        "days": [0, 2], "start": "10:00", "end": "16:00"}
    assert values["retry_gaps"] == {"no_answer": 90} and values["target_interviews"] == 1600
    assert values["borough_targets"] == {"E09000001": 40, "E09000033": 60}
    assert values["stratum_targets"] == {} and not values["targets_from_allocation"]
    with pytest.raises(WaveSettingsInvalid, match="Enter the new|date fieldwork ends"):
        end_date_from_form("")


# --- defaults, editing, opening, extending ------------------------------------------------------

def test_targets_default_from_the_allocation(setup, users):
    wave = wave_create(**setup, targets_from_allocation=True, user=users[Role.ANALYST])
    assert wave.status == Wave.Status.SETUP and wave.target_interviews == 6
    assert wave.stratum_targets == {STRATA[0]: 4, STRATA[1]: 2}
    assert wave.cases.count() == 0  # no replicate released yet
    shared = wave_update(wave=wave, target_interviews=5, stratum_targets={},
                         targets_from_allocation=True, today=TODAY)
    assert shared.stratum_targets == {STRATA[0]: 3, STRATA[1]: 2}  # largest remainders
    assert AuditEvent.objects.filter(detail__wave_setup="wave_create",
                                     username=users[Role.ANALYST].username).exists()


def test_settings_change_only_in_setup(setup):
    wave = wave_create(**setup)
    wave = wave_update(wave=wave, name="BAS wave 12b", max_attempts=6,
                       retry_gaps={"busy": 30}, today=TODAY)
    assert (wave.name, wave.max_attempts, wave.retry_gaps) == ("BAS wave 12b", 6, {"busy": 30})
    with pytest.raises(WaveSettingsInvalid, match="end date must be after"):
        wave_update(wave=wave, ends_on=date(2027, 5, 1), today=TODAY)
    assert AuditEvent.objects.filter(detail__wave_setup="wave_update").count() == 1
    wave_open_field(wave=wave, today=TODAY)
    with pytest.raises(FieldworkConflict, match="can only be changed in set-up"):
        wave_update(wave=wave, max_attempts=3, today=TODAY)


def test_opening_releases_the_replicates_at_start(setup, users):
    wave = wave_create(**setup, replicates_at_start=1)
    assert wave.cases.count() == 0
    wave = wave_open_field(wave=wave, user=users[Role.ANALYST], today=TODAY)
    assert wave.status == Wave.Status.IN_FIELD and wave.cases.count() == 6
    assert set(wave.cases.values_list("sampled_business__replicate", flat=True)) == {1}


def test_a_wave_past_its_end_date_is_not_opened(setup):
    wave = wave_create(**setup)
    with pytest.raises(FieldworkConflict) as caught:
        wave_open_field(wave=wave, today=date(2027, 7, 1))
    assert caught.value.message == ("Wave 'BAS wave 12' was due to end on 30 June 2027, which "
                                    "has passed: extend its end date before opening it.")
    assert Wave.objects.get().status == Wave.Status.SETUP


def test_extending_moves_the_end_later_only(setup, users):
    wave = wave_create(**setup)
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_extend(wave=wave, ends_on=date(2027, 6, 1), today=TODAY)
    assert caught.value.message == ("The new end date must be later than the current one (the "
                                    "wave ends on 30 June 2027; you entered 1 June 2027).")
    wave = wave_extend(wave=wave, ends_on=date(2027, 7, 31), user=users[Role.ANALYST],
                       today=TODAY)
    assert wave.ends_on == date(2027, 7, 31)
    event = AuditEvent.objects.get(detail__wave_setup="wave_extend")
    assert (event.detail["ends_on_before"], event.detail["ends_on"]) == ("2027-06-30",
                                                                         "2027-07-31")
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED)
    with pytest.raises(FieldworkConflict, match="closed wave cannot be extended"):
        wave_extend(wave=wave, ends_on=date(2027, 8, 31), today=TODAY)


# --- the queue honours the settings ---------------------------------------------------------------

def test_the_waves_retry_gap_sets_the_next_call(agency, users):
    wave = wave_in_field(agency, business_hours=ALWAYS_OPEN, retry_gaps={"no_answer": 30})
    me = users[Role.INTERVIEWER]
    case = take_case(wave, me)
    recorded = call_attempt_record(case=case, user=me, outcome="no_answer",
                                   event_id=uuid.uuid4(), called_at=OPEN_NOW)
    assert recorded.case.next_call_at == OPEN_NOW + timedelta(minutes=30)
    case = take_case(wave, me)
    recorded = call_attempt_record(case=case, user=me, outcome="busy", event_id=uuid.uuid4(),
                                   called_at=OPEN_NOW)
    assert recorded.case.next_call_at == OPEN_NOW + timedelta(minutes=15)  # standard


def test_a_borough_at_its_target_gets_no_fresh_cases(agency, users):
    from tests.survey.fieldwork_factories import complete_case

    wave = wave_in_field(agency, target_interviews=2, borough_targets={"E09000001": 1})
    me = users[Role.INTERVIEWER]
    first = take_case(wave, me)
    assert first.sampled_business.business.borough == "E09000001"
    complete_case(first, me)
    boroughs = set()
    while (found := case_next(wave=wave, user=me, now=OPEN_NOW)).case is not None:
        boroughs.add(found.case.sampled_business.business.borough)
        call_attempt_record(case=found.case, user=me, outcome="refusal", event_id=uuid.uuid4(),
                            called_at=OPEN_NOW)
    assert boroughs == {"E09000033"}


def test_no_case_outside_the_fieldwork_dates(agency, users):
    me = users[Role.INTERVIEWER]
    wave = wave_in_field(agency)
    Wave.objects.filter(pk=wave.pk).update(starts_on=date(2025, 6, 16))  # the next Monday
    wave.refresh_from_db()
    found = case_next(wave=wave, user=me, now=OPEN_NOW)
    assert found.reason == "outside_business_hours"
    assert found.next_open_at == datetime(2025, 6, 16, 8, 0, tzinfo=UTC)  # 09:00 BST
    Wave.objects.filter(pk=wave.pk).update(starts_on=None, ends_on=date(2025, 6, 10))
    wave.refresh_from_db()
    assert case_next(wave=wave, user=me, now=OPEN_NOW).reason == "fieldwork_ended"


# --- pages ----------------------------------------------------------------------------------------

def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(setup, **changes) -> dict:
    return {"name": "Spring wave", "questionnaire_version": setup["questionnaire_version"].pk,
            "sample": setup["sample"].pk, "agency": setup["agency"].pk,
            "starts_on": "2099-05-03", "ends_on": "2099-06-30", "calling_days": ["0", "1", "2"],
            "calling_start": "09:00", "calling_end": "17:30", "timezone": "Europe/London",
            "max_attempts": "8", "retry_gaps.no_answer": "90", "target_interviews": "",
            "targets_by": "stratum", "targets": "", "replicates_at_start": "1", **changes}


def test_an_analyst_sets_up_and_opens_a_wave_on_the_pages(setup, users):
    analyst = client_for(users[Role.ANALYST])
    page = analyst.get(reverse("wave-new"))
    assert page.status_code == 200 and "Set up a new wave" in page.text
    response = analyst.post(reverse("wave-new"), form_data(setup))
    wave = Wave.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("wave-detail",
                                                                           args=[wave.pk])
    assert (wave.max_attempts, wave.retry_gaps, wave.target_interviews) == (8, {"no_answer": 90},
                                                                            6)
    assert wave.stratum_targets == {STRATA[0]: 4, STRATA[1]: 2}
    assert wave.business_hours == {"days": [0, 1, 2], "start": "09:00", "end": "17:30"}
    page = analyst.get(reverse("wave-detail", args=[wave.pk]))
    assert "Save the settings" in page.text and 'value="Spring wave"' in page.text
    response = analyst.post(reverse("wave-detail", args=[wave.pk]),
                            form_data(setup, name="Spring wave 2027"))
    assert response.status_code == 302
    assert Wave.objects.get().name == "Spring wave 2027"
    analyst.post(reverse("wave-open", args=[wave.pk]))
    wave.refresh_from_db()
    assert wave.status == Wave.Status.IN_FIELD and wave.cases.count() == 6
    page = analyst.get(reverse("wave-detail", args=[wave.pk]))
    assert "In field" in page.text and "Save the settings" not in page.text
    analyst.post(reverse("wave-extend", args=[wave.pk]), {"ends_on": "2099-07-31"})
    assert Wave.objects.get().ends_on == date(2099, 7, 31)
    page = analyst.get(reverse("waves"))
    assert "Spring wave 2027" in page.text and "31 July 2099" in page.text
    analyst.post(reverse("wave-close", args=[wave.pk]))
    assert Wave.objects.get().status == Wave.Status.CLOSED


def test_the_form_comes_back_with_every_problem_by_its_field(setup, users):
    analyst = client_for(users[Role.ANALYST])
    page = analyst.post(reverse("wave-new"), form_data(
        setup, name="", starts_on="2099-05-03", ends_on="2099-05-01", sample="",
        calling_end="08:00"))
    assert page.status_code == 400 and not Wave.objects.exists()
    text = page.text
    assert "4 things to put right" in text
    for message in ("Give the wave a name",
                    "The fieldwork end date must be after the start date (you entered 3 May "
                    "2099 and 1 May 2099).",
                    "Choose the sample of businesses to call.",
                    "Calling hours must end after they start (you entered 09:00 to 08:00)."):
        assert message in text
    assert 'value="2099-05-03"' in text  # what was typed is kept


def test_extend_errors_show_on_the_wave_page(setup, users):
    wave = wave_create(**setup)
    page = client_for(users[Role.ANALYST]).post(reverse("wave-extend", args=[wave.pk]),
                                                {"ends_on": "2027-06-01"})
    assert page.status_code == 400
    assert "The new end date must be later than the current one" in page.text


def test_a_supervisor_sees_and_opens_their_agencys_wave_but_cannot_set_it_up(setup, users):
    wave = wave_create(**setup)
    supervisor = client_for(users[Role.SUPERVISOR])
    page = supervisor.get(reverse("wave-detail", args=[wave.pk]))
    assert page.status_code == 200 and "Save the settings" not in page.text
    assert "Extend" not in page.text and "Open the wave" in page.text
    assert supervisor.post(reverse("wave-detail", args=[wave.pk]),
                           form_data(setup)).status_code == 403
    assert supervisor.post(reverse("wave-new"), form_data(setup)).status_code == 403
    supervisor.post(reverse("wave-open", args=[wave.pk]))
    assert Wave.objects.get().status == Wave.Status.IN_FIELD


# --- API ------------------------------------------------------------------------------------------

def api_body(setup, **changes) -> dict:
    return {"name": "API wave", "questionnaire_version": setup["questionnaire_version"].pk,
            "sample": setup["sample"].pk, "agency": setup["agency"].pk,
            "starts_on": "2099-05-03", "ends_on": "2099-06-30",
            "business_hours": {"days": [0, 1, 2, 3, 4], "start": "09:30", "end": "17:00"},
            "retry_gaps": {"no_answer": 60}, "replicates_at_start": 2, **changes}


def test_the_api_creates_changes_extends_and_opens_a_wave(setup, users):
    analyst = client_for(users[Role.ANALYST])
    response = analyst.post(reverse("api-waves"), api_body(setup),
                            content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "setup" and body["target_interviews"] == 6
    assert body["stratum_targets"] == {STRATA[0]: 4, STRATA[1]: 2}
    assert body["retry_gaps"] == {"no_answer": 60} and body["replicates_at_start"] == 2
    url = reverse("api-wave", args=[body["id"]])
    changed = analyst.patch(url, {"max_attempts": 7, "borough_targets": {"E09000001": 2}},
                            content_type="application/json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["max_attempts"] == 7
    assert changed.json()["borough_targets"] == {"E09000001": 2}
    extended = analyst.post(reverse("api-wave-extend", args=[body["id"]]),
                            {"ends_on": "2099-07-15"}, content_type="application/json")
    assert extended.json()["ends_on"] == "2099-07-15"
    opened = analyst.post(reverse("api-wave-open", args=[body["id"]]))
    assert opened.status_code == 200 and opened.json()["status"] == "in_field"
    assert Case.objects.filter(wave_id=body["id"]).count() == 12
    again = analyst.patch(url, {"max_attempts": 3}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "wave_not_in_setup"


def test_the_api_reports_every_problem(setup, users):
    analyst = client_for(users[Role.ANALYST])
    response = analyst.post(reverse("api-waves"), api_body(
        setup, ends_on="2099-05-01", max_attempts=0), content_type="application/json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "invalid_wave"
    assert [(p["field"], p["code"]) for p in error["problems"]] == [
        ("ends_on", "end_before_start"), ("max_attempts", "max_attempts_out_of_range")]
    assert not Wave.objects.exists()


def test_only_mopac_creates_or_changes_waves_through_the_api(setup, users):
    wave = wave_create(**setup)
    for role in (Role.INTERVIEWER, Role.SUPERVISOR):
        client = client_for(users[role])
        assert client.post(reverse("api-waves"), api_body(setup),
                           content_type="application/json").status_code == 403
        assert client.patch(reverse("api-wave", args=[wave.pk]), {"max_attempts": 3},
                            content_type="application/json").status_code == 403
        assert client.get(reverse("api-wave", args=[wave.pk])).status_code == 200
    assert Wave.objects.count() == 1 and Wave.objects.get().max_attempts == 10


def test_two_analysts_taking_one_name_at_once_get_the_plain_message(setup, monkeypatch):
    """The check and the insert race: the database's unique name decides, said plainly."""
    from survey.services.wave_settings import Checker

    wave_create(**setup)
    monkeypatch.setattr(Checker, "name", lambda self, name, *, taken: None)
    monkeypatch.setattr(Wave, "validate_unique", lambda self, exclude=None: None)
    assert problems_of(**setup) == {
        "name": "There is already a wave called 'BAS wave 12'; give this one another name."}
    assert Wave.objects.count() == 1


def test_borough_targets_default_from_the_sample(setup):
    wave = wave_create(**setup, target_interviews=5, targets_from_allocation=True,
                       targets_by="borough")
    assert wave.borough_targets == {"E09000001": 3, "E09000033": 2}  # 6 and 6 drawn: remainders
    assert wave.stratum_targets == {}
    with pytest.raises(WaveSettingsInvalid) as caught:
        wave_update(wave=wave, targets_by="sector", targets_from_allocation=True, today=TODAY)
    assert caught.value.message == "Targets are set by stratum or by borough (you chose 'sector')."


def test_the_form_and_the_api_take_borough_targets_from_the_sample(setup, users):
    analyst = client_for(users[Role.ANALYST])
    analyst.post(reverse("wave-new"), form_data(setup, targets_by="borough",
                                                target_interviews="4"))
    assert Wave.objects.get().borough_targets == {"E09000001": 2, "E09000033": 2}
    response = analyst.post(reverse("api-waves"), api_body(
        setup, name="API by borough", targets_by="borough", target_interviews=6),
        content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["borough_targets"] == {"E09000001": 3, "E09000033": 3}


def test_today_is_the_waves_own(monkeypatch):
    from django.utils import timezone

    from survey.services.waves import _today

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 12, 4, 20, 0, tzinfo=UTC))
    assert _today("Pacific/Kiritimati") == date(2026, 12, 5)  # UTC+14
    assert _today("Europe/London") == date(2026, 12, 4)
    assert _today("Nowhere/Zone") == date(2026, 12, 4)
