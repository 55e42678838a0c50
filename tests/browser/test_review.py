"""Review in a real headless Chromium: a supervisor rejects an interview with a comment on
one question; the interviewer finds it sent back, sees that question highlighted and first,
amends it (saying why) and resubmits; the supervisor approves it."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import Role
from survey.models import AnswerEvent, Interview, Wave
from tests.browser.conftest import log_in, new_page, screenshot
from tests.factories import PASSWORD, make_user
from tests.survey.fieldwork_factories import complete_case, take_case, wave_in_field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def completed(transactional_db, agency):
    for role in Role:  # a transactional test flushes the migration's role groups
        Group.objects.get_or_create(name=role.value)
    interviewer = make_user(Role.INTERVIEWER, agency=agency)
    supervisor = make_user(Role.SUPERVISOR, agency=agency)
    wave = wave_in_field(agency, n_per_stratum=1)
    Wave.objects.filter(pk=wave.pk).update(review_levels=Wave.Review.AGENCY)
    interview = complete_case(take_case(wave, interviewer), interviewer).interview
    return wave, interview, interviewer, supervisor


@pytest.fixture
def two_pages(chromium):
    """Two pages in their own contexts (a supervisor and an interviewer logged in at once),
    closed at the end whatever happens."""
    pages = [new_page(chromium), new_page(chromium)]
    yield pages
    for page in pages:
        page.context.close()


def test_reject_with_a_comment_amend_resubmit_approve(two_pages, live_server, completed):
    wave, interview, interviewer, supervisor = completed
    boss, worker = two_pages
    log_in(boss, live_server, supervisor.username, PASSWORD)
    boss.goto(f"{live_server.url}/supervision/waves/{wave.pk}/")
    expect(boss.locator("#review-counts")).to_contain_text("1 completed")
    expect(boss.locator("#review-counts")).to_contain_text("0 approved")
    boss.click("#review-link")
    boss.click("#review-queue a:text('Review')")
    expect(boss.locator("#answers tr[data-path='victim']")).to_be_visible()
    boss.fill("#answers tr[data-path='victim'] textarea", "Ask again: any crime this year?")
    boss.fill("#comment", "Please check the crime question with the respondent.")
    boss.click("#reject")
    boss.wait_for_url(f"{live_server.url}/review/waves/{wave.pk}/")
    expect(boss.locator(".messages")).to_contain_text("rejected and sent back")

    log_in(worker, live_server, interviewer.username, PASSWORD)
    worker.goto(f"{live_server.url}/interviewing/")
    worker.click("#sent-back-link")
    worker.click("#sent-back a:text('Amend')")
    first = worker.locator("section.amend-question").first
    expect(first).to_have_attribute("data-path", "victim")
    expect(first).to_have_class("amend-question commented")
    expect(first.locator(".review-comment")).to_contain_text("Ask again")
    expect(worker.locator("#rejection")).to_contain_text("Please check the crime question")
    screenshot(worker, "review-amend")
    first.locator("label.choice", has_text="Yes").click()
    first.locator("input[name=reason]").fill("The respondent remembered a shoplifting")
    first.locator("button[value=answer]").click()
    expect(worker.locator(".messages")).to_contain_text("Answer to victim changed")
    expect(worker.locator("section[data-path='victim'] .current")).to_have_text("Yes")
    worker.click("#resubmit")
    expect(worker.locator("#none-sent-back")).to_be_visible()

    boss.goto(f"{live_server.url}/review/waves/{wave.pk}/")
    boss.click("#review-queue a:text('Review')")
    expect(boss.locator("#answers tr[data-path='victim'] td").nth(1)).to_have_text("Yes")
    expect(boss.locator("#review-history")).to_contain_text("Amended and resubmitted")
    boss.click("#approve")
    boss.goto(f"{live_server.url}/supervision/waves/{wave.pk}/")
    expect(boss.locator("#review-counts")).to_contain_text("1 approved")

    interview.refresh_from_db()
    assert interview.review_status == Interview.Review.APPROVED
    change = AnswerEvent.objects.get(interview=interview, path="victim", value="1")
    assert change.reason == "The respondent remembered a shoplifting"
    assert boss.errors == [] and worker.errors == []
