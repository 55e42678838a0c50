"""Back-checks in a real headless Chromium: the supervisor draws the day's back-checks from
the supervision page and sees the share per interviewer; a colleague of the interviewer
takes one, sees whom to call, runs the script and records a discrepancy, which sends the
interview back to review; the interviewer who did it cannot open it (403)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from survey.models import BackCheck, Interview
from tests.browser.conftest import log_in, new_page, screenshot
from tests.factories import PASSWORD, make_user
from tests.survey.fieldwork_factories import wave_in_field
from tests.survey.test_back_checks import completes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NETWORK_LOG = re.compile(r"^Failed to load resource")


@pytest.fixture
def team(transactional_db, agency):
    for role in Role:  # a transactional test flushes the migration's groups
        Group.objects.get_or_create(name=role.value)
    return {"interviewer": make_user(Role.INTERVIEWER, agency=agency),
            "colleague": make_user(Role.INTERVIEWER, agency=agency),
            "supervisor": make_user(Role.SUPERVISOR, agency=agency)}


@pytest.fixture
def wave(team):
    wave = wave_in_field(team["interviewer"].agency, n_per_stratum=3)
    completes(wave, team["interviewer"], 3, at=timezone.now() - timedelta(minutes=5))
    return wave


def _as(chromium, live_server, user):
    page = new_page(chromium)
    log_in(page, live_server, user.username, PASSWORD)
    return page


def test_draw_check_and_escalate(chromium, live_server, team, wave):
    supervisor = _as(chromium, live_server, team["supervisor"])
    supervisor.on("dialog", lambda dialog: dialog.accept())
    supervisor.goto(f"{live_server.url}/supervision/waves/{wave.pk}/")
    expect(supervisor.locator("#back-checks-link")).to_be_visible()
    supervisor.click("#draw-back-checks")  # then the wave's back-checks page
    expect(supervisor.locator(".messages")).to_contain_text("Drew 1 back-check for")
    row = supervisor.locator(f"#back-check-shares tr[data-interviewer='{team['interviewer']}']")
    expect(row).to_contain_text("33.3%")  # 1 of 3, at least 10% rounded up
    screenshot(supervisor, "back-checks-wave")
    check = BackCheck.objects.get()
    phone = check.interview.case.sampled_business.business.phone

    colleague = _as(chromium, live_server, team["colleague"])
    colleague.goto(f"{live_server.url}/interviewing/")
    colleague.click("#back-checks-to-do-link")
    colleague.click(f"a:text('Back-check {check.pk}')")
    expect(colleague.locator("#contacts")).to_have_count(0)
    colleague.click("#take-check")
    expect(colleague.locator("#contacts")).to_contain_text(phone)
    colleague.check("input[name=happened][value=yes]")
    colleague.check("input[name=respondent_role][value=manager]")
    colleague.fill("#minutes", "5")
    colleague.select_option("#answer-trading", "1")
    colleague.check("input[name=outcome][value=discrepancy]")
    colleague.fill("#note", "Says it was trading; the interview says not.")
    screenshot(colleague, "back-check-script")
    colleague.click("#record-check")
    expect(colleague.locator("#check-status")).to_contain_text("sent back to review")
    expect(colleague.locator("body")).not_to_contain_text(phone)
    assert Interview.objects.get(pk=check.interview_id).review_status == "completed"

    interviewer = _as(chromium, live_server, team["interviewer"])
    response = interviewer.goto(f"{live_server.url}/back-checks/{check.pk}/")
    assert response.status == 403
    assert not re.search(phone, interviewer.content())
    assert [e for e in interviewer.errors if not NETWORK_LOG.match(e)] == []  # the 403 itself
    for page in (supervisor, colleague, interviewer):
        assert page is interviewer or page.errors == []
        page.context.close()
