"""Setting up a wave and a team in a real headless Chromium: the analyst fills in the wave
form (a mistake is shown next to its field, in plain words, with what was typed kept), saves
and opens the wave; the agency's supervisor adds an interviewer on the team page; that
interviewer logs in and finds the wave in the field."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import Role
from survey.models import Wave
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD, make_user
from tests.survey.fieldwork_factories import questionnaire_version, sample_with_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NEW_PASSWORD = "Lantern-Quay-48"


@pytest.fixture
def people(transactional_db, agency):
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return {"analyst": make_user(Role.ANALYST), "supervisor": make_user(Role.SUPERVISOR,
                                                                         agency=agency)}


def test_an_analyst_sets_up_a_wave_and_a_supervisor_their_team(page, live_server, people,
                                                                agency):
    version = questionnaire_version()
    sample = sample_with_cases(n_per_stratum=3, replicates=2, released=1)
    log_in(page, live_server, people["analyst"].username, PASSWORD)
    page.click("nav a:text('Waves')")
    page.click("#new-wave")
    expect(page.locator("h1")).to_have_text("Set up a new wave")
    page.fill("#name", "Spring 2099 wave")
    page.select_option("#questionnaire_version", str(version.pk))
    page.select_option("#sample", str(sample.pk))
    page.select_option("#agency", str(agency.pk))
    page.fill("#starts_on", "2099-05-03")
    page.fill("#ends_on", "2099-05-01")  # a slip: before the start
    page.fill("#max_attempts", "8")
    page.fill("#gap-no_answer", "90")
    page.click("#save-wave")
    expect(page.locator("#problems")).to_contain_text(
        "The fieldwork end date must be after the start date (you entered 3 May 2099 and "
        "1 May 2099).")
    expect(page.locator("#name")).to_have_value("Spring 2099 wave")
    expect(page.locator("#gap-no_answer")).to_have_value("90")
    screenshot(page, "wave-setup-problem")
    assert not Wave.objects.exists()
    page.fill("#ends_on", "2099-06-30")
    page.click("#save-wave")
    page.wait_for_url(re.compile(r"/waves/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Wave Spring 2099 wave is set up")
    wave = Wave.objects.get()
    assert (wave.max_attempts, wave.retry_gaps, wave.target_interviews) == (
        8, {"no_answer": 90}, 12)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#open-wave")
    expect(page.locator(".messages")).to_contain_text("is in the field with 6 cases")
    expect(page.locator("#wave-settings")).to_contain_text("In field")
    page.click("form[action$='/logout/'] button")

    log_in(page, live_server, people["supervisor"].username, PASSWORD)
    page.click("nav a:text('Team')")
    page.fill("#new-username", "new_interviewer")
    page.fill("#new-first-name", "Nia")
    page.fill("#new-password", "short")
    page.click("#add-interviewer button[type=submit]")
    expect(page.locator("#problems")).to_contain_text("This password is too short")
    expect(page.locator("#new-username")).to_have_value("new_interviewer")
    page.fill("#new-password", NEW_PASSWORD)
    page.click("#add-interviewer button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("new_interviewer can now log in")
    expect(page.locator("tr[data-username=new_interviewer]")).to_contain_text("interviewer")
    screenshot(page, "team")
    page.click("form[action$='/logout/'] button")

    log_in(page, live_server, "new_interviewer", NEW_PASSWORD)
    page.click("nav a:text('Interviewing')")
    expect(page.locator("h3", has_text="Spring 2099 wave")).to_be_visible()
    expect(page.locator("#diary")).to_contain_text("No appointments")
