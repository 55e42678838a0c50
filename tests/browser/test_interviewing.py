"""An interviewer's shift in a real headless Chromium: take a case, record an outcome, take
the next, interview with the keyboard (answers saved at once, retried with the same event id),
go back and change an answer, reload and find everything kept, complete."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import Role
from survey.models import AnswerEvent, CallAttempt, Case, Interview
from survey.services.interviews import interview_answers_replay
from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD, make_user
from tests.survey.fieldwork_factories import wave_in_field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALWAYS_OPEN = {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00", "end": "23:59:59"}
NETWORK_LOG = re.compile(r"^Failed to load resource")


@pytest.fixture
def interviewer(transactional_db, agency):
    # A transactional test flushes the database afterwards, role groups (made by a data
    # migration) included: make sure they are there whatever ran before.
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    return make_user(Role.INTERVIEWER, agency=agency)


@pytest.fixture
def wave(interviewer):
    return wave_in_field(interviewer.agency, n_per_stratum=2, business_hours=ALWAYS_OPEN)


def on_question(page, path: str) -> None:
    expect(page.locator("#answer-form")).to_have_attribute("data-path", path)


def case_id(page) -> int:
    return int(re.search(r"/cases/(\d+)/", page.url).group(1))


def test_an_interviewers_shift_with_the_keyboard(page, live_server, interviewer, wave):
    log_in(page, live_server, interviewer.username, PASSWORD)
    page.click("nav a:text('Interviewing')")
    page.wait_for_url(f"{live_server.url}/interviewing/")
    expect(page.locator("h3", has_text=wave.name)).to_be_visible()

    # Take a case (Enter on the focused "Next case"); no answer, with a note, by its key.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    first = case_id(page)
    expect(page.locator("h1")).to_contain_text("Synthetic Business")
    page.fill("#outcome-notes", "rang out")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("n")
    page.wait_for_url(f"{live_server.url}/interviewing/")
    expect(page.locator(".messages")).to_contain_text("recorded 3.13 No answer")
    attempt = CallAttempt.objects.get(case_id=first)
    assert (attempt.outcome, attempt.notes, attempt.interviewer_id) == (
        "no_answer", "rang out", interviewer.pk)

    # The next case is another one; start the interview with "i".
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    second = case_id(page)
    assert second != first
    page.keyboard.press("i")
    page.wait_for_url(re.compile(r"/interviewing/interviews/\d+/$"))
    interview = Interview.objects.get(case_id=second)
    on_question(page, "trading")
    expect(page.locator("#progress-text")).to_have_text("Question 1 of about 2")
    expect(page.locator("#q-instruction")).to_contain_text("Read out; press 1 or 2")
    expect(page.locator("#keys")).to_be_visible()
    expect(page.locator("#choice-1")).to_be_focused()
    screenshot(page, "interviewing-question")

    # The first save is lost on the way (never reaches the server): resent with the same id.
    bodies = []

    def fail_once(route):
        bodies.append(json.loads(route.request.post_data))
        if len(bodies) == 1:
            route.abort("failed")
        else:
            route.continue_()

    answers_url = re.compile(r"/api/interviews/\d+/answers/$")
    page.route(answers_url, fail_once)
    page.keyboard.press("1")  # Yes
    on_question(page, "staff")
    page.unroute(answers_url)
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert bodies[0]["path"] == "trading" and bodies[0]["value"] == "1"

    # A value the question refuses is shown under the answer; the next try is saved.
    expect(page.locator("#answer-input")).to_be_focused()
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    expect(page.locator("#answer-error")).to_contain_text("staff:")
    expect(page.locator("#answer-input")).to_have_attribute("aria-invalid", "true")

    # This save reaches the server but its answer is lost: the retry is not saved twice.
    seen = []

    def lose_response(route):
        seen.append(json.loads(route.request.post_data)["event_id"])
        if len(seen) == 1:
            route.fetch()
            route.abort("failed")
        else:
            route.continue_()

    page.route(answers_url, lose_response)
    page.fill("#answer-input", "12")
    page.keyboard.press("Enter")
    on_question(page, "why_big")
    page.unroute(answers_url)
    assert len(seen) == 2 and seen[0] == seen[1]
    assert AnswerEvent.objects.filter(event_id=seen[0]).count() == 1

    page.keyboard.type("Busy shop, d and r typed")  # letters in a text box are just text
    page.keyboard.press("Enter")
    on_question(page, "victim")
    page.keyboard.press("d")  # don't know
    expect(page.locator("#complete")).to_be_focused()
    expect(page.locator("#progress-text")).to_have_text("All 4 questions answered")

    # Back to the staff question and change it: the text question drops out of the route.
    for path in ("victim", "why_big", "staff"):
        page.keyboard.press("PageUp")
        on_question(page, path)
    expect(page.locator("#answer-input")).to_have_value("12")
    page.fill("#answer-input", "3")
    page.keyboard.press("Enter")
    on_question(page, "victim")
    expect(page.locator(".special")).to_have_text("Current answer: don't know")

    # Reload mid-interview: the same question, every answer kept, on the server too.
    page.reload()
    on_question(page, "victim")
    expect(page.locator(".special")).to_have_text("Current answer: don't know")
    expect(page.locator("#progress-text")).to_have_text("Question 3 of about 3")
    interview.refresh_from_db()
    assert interview.answers == {"trading": "1", "staff": 3, "victim": -8}
    assert interview.cursor == "victim"
    assert interview_answers_replay(interview=interview) == interview.answers
    kinds = list(interview.events.values_list("path", "kind"))
    assert kinds == [("trading", "answer"), ("staff", "answer"), ("why_big", "answer"),
                     ("victim", "dont_know"), ("staff", "answer"), ("why_big", "dropped")]
    page.keyboard.press("Alt+ArrowLeft")
    on_question(page, "staff")
    expect(page.locator("#answer-input")).to_have_value("3")
    page.keyboard.press("Enter")  # keep 3
    on_question(page, "victim")

    # Answer the last question, complete with Enter.
    page.keyboard.press("2")
    expect(page.locator("#complete")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#done-screen")).to_contain_text("Interview complete")
    expect(page.locator("#next-case")).to_be_focused()
    screenshot(page, "interviewing-complete")
    interview.refresh_from_db()
    case = Case.objects.get(pk=second)
    assert interview.status == Interview.Status.COMPLETE
    assert interview.answers == {"trading": "1", "staff": 3, "victim": "2"}
    assert (case.status, case.final_code) == (Case.Status.FINAL, "1.1")

    # The only console errors are the browser's logs of the failures made on purpose.
    unexpected = [e for e in page.errors if not NETWORK_LOG.match(e)]
    assert unexpected == []
    assert len(page.errors) <= 3  # two lost saves and one refused answer (400)


LISTS_SURVEY = [
    ["type", "name", "label", "hint", "required", "dont_know", "refused"],
    ["select_multiple crimes", "crimes", "Which crimes has the business suffered?",
     "Read out the list", "yes", "", ""],
    ["select_one borough", "borough", "In which borough is the business?", "", "yes", "yes",
     "yes"],
    ["date", "opened", "When did the business open here?", "", "yes", "", "yes"],
]
LISTS_CHOICES = [["list_name", "name", "label"],
                 *[["crimes", c, c.title()] for c in ("burglary", "theft", "vandalism")],
                 *[["borough", f"b{n}", f"Borough {n}"] for n in range(1, 13)]]


@pytest.fixture
def lists_wave(interviewer):
    from questionnaires.services import questionnaire_version_upload
    from survey.services.waves import wave_create, wave_open_field
    from tests.questionnaires.helpers import build_xlsx
    from tests.survey.fieldwork_factories import sample_with_cases

    workbook = build_xlsx(LISTS_SURVEY, LISTS_CHOICES,
                          [["form_id", "form_title", "version"], ["lists", "Lists", "1"]])
    version = questionnaire_version_upload(workbook=workbook, filename="lists.xlsx")
    wave = wave_create(name="Lists wave", questionnaire_version=version,
                       sample=sample_with_cases(1), agency=interviewer.agency,
                       target_interviews=2, business_hours=ALWAYS_OPEN)
    return wave_open_field(wave=wave)


def test_multiple_choice_long_lists_and_dates_by_keyboard(page, live_server, interviewer,
                                                          lists_wave):
    log_in(page, live_server, interviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/interviewing/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    screenshot(page, "interviewing-case")
    page.keyboard.press("i")
    page.wait_for_url(re.compile(r"/interviewing/interviews/\d+/$"))
    interview = Interview.objects.get(case__wave=lists_wave)

    on_question(page, "crimes")
    expect(page.locator("#q-hint")).to_have_text("Read out the list")
    page.keyboard.press("d")  # not allowed here: said so, nothing saved
    expect(page.locator("#answer-error")).to_contain_text("Don't know is not allowed")
    for key in ("1", "3", "1", "2"):  # toggles: burglary on, vandalism on, burglary off, theft
        page.keyboard.press(key)
    page.keyboard.press("Enter")
    on_question(page, "borough")

    page.keyboard.type("12")  # more than 9 choices: the number, then Enter
    expect(page.locator("#typed")).to_have_text("Choice: 12 (Enter)")
    page.keyboard.press("Enter")
    on_question(page, "opened")
    page.keyboard.type("2019-02-30")
    page.keyboard.press("Enter")
    expect(page.locator("#answer-error")).to_contain_text("opened:")
    page.keyboard.press("r")  # refused works in a date box (letters mean nothing there)
    expect(page.locator("#complete")).to_be_focused()
    interview.refresh_from_db()
    assert interview.answers == {"crimes": ["theft", "vandalism"], "borough": "b12",
                                 "opened": -9}
    assert interview.events.last().kind == "refused"

    page.keyboard.press("PageUp")
    on_question(page, "opened")
    expect(page.locator(".special")).to_have_text("Current answer: refused")
    page.keyboard.press("PageUp")
    on_question(page, "borough")
    expect(page.locator("#choice-12")).to_be_checked()
    page.keyboard.press("PageUp")
    on_question(page, "crimes")
    expect(page.locator("#choice-2")).to_be_checked()
    expect(page.locator("#choice-3")).to_be_checked()
    expect(page.locator("#choice-1")).not_to_be_checked()
    unexpected = [e for e in page.errors if not NETWORK_LOG.match(e)]
    assert unexpected == []


def test_a_final_outcome_needs_a_confirmation(page, live_server, interviewer, wave):
    """A stray "x" asks first: Esc goes back with nothing recorded, "y" records the refusal.
    While the interview is open, the refusal button is disabled and "x" does nothing."""
    log_in(page, live_server, interviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/interviewing/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    first = case_id(page)
    page.fill("#outcome-notes", "owner said no")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("x")
    expect(page.locator("#confirm-outcome")).to_be_visible()
    expect(page.locator("#confirm-title")).to_have_text("Record \u201cRefused\u201d (2.11)?")
    expect(page.locator("#confirm-no")).to_be_focused()
    screenshot(page, "interviewing-confirm-final")
    assert not CallAttempt.objects.exists()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(rf"/interviewing/cases/{first}/(\?.*)?$"))
    expect(page.locator("#confirm-outcome")).to_have_count(0)
    assert not CallAttempt.objects.exists()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("x")
    expect(page.locator("#confirm-outcome")).to_be_visible()
    page.keyboard.press("y")
    page.wait_for_url(f"{live_server.url}/interviewing/")
    expect(page.locator(".messages")).to_contain_text("recorded 2.11 Refused")
    attempt = CallAttempt.objects.get(case_id=first)
    assert (attempt.outcome, attempt.notes) == ("refusal", "")
    assert Case.objects.get(pk=first).final_code == "2.11"
    expect(page.locator("#calls-today")).to_contain_text("Refused")

    # With the interview open, "x" is refused on the page (disabled) and by the service.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    second = case_id(page)
    page.keyboard.press("i")
    page.wait_for_url(re.compile(r"/interviewing/interviews/\d+/$"))
    on_question(page, "trading")
    page.goto(f"{live_server.url}/interviewing/cases/{second}/")
    expect(page.locator("#interview-open")).to_be_visible()
    expect(page.locator("button[value=refusal]")).to_be_disabled()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("x")
    expect(page.locator("#confirm-outcome")).to_have_count(0)
    assert not CallAttempt.objects.filter(case_id=second).exists()
    assert Interview.objects.get(case_id=second).status == Interview.Status.IN_PROGRESS


EN, FR = "English (en)", "Français (fr)"
FEATURES_SURVEY = [
    ["type", "name", f"label::{EN}", f"label::{FR}", "default"],
    ["select_one yn", "trading", "Is the business trading?", "L'entreprise est-elle active ?",
     "1"],
    ["integer", "staff", "How many staff?", "Combien d'employés ?", "12"],
    ["rank worries", "worries", "Rank these worries", "Classez ces soucis", "c a b"],
]
FEATURES_CHOICES = [["list_name", "name", f"label::{EN}", f"label::{FR}"],
                    ["yn", "1", "Yes", "Oui"], ["yn", "2", "No", "Non"],
                    ["worries", "a", "Theft", "Vol"], ["worries", "b", "Fraud", "Fraude"],
                    ["worries", "c", "Cyber crime", "Cybercriminalité"]]


@pytest.fixture
def features_wave(interviewer):
    from tests.survey.fieldwork_factories import wave_with_form

    return wave_with_form(interviewer.agency, FEATURES_SURVEY, FEATURES_CHOICES,
                          [["form_id", "default_language"], ["features", EN]],
                          business_hours=ALWAYS_OPEN)


def test_defaults_language_switch_and_ranking_by_keyboard(page, live_server, interviewer,
                                                          features_wave):
    """Issue 15: the default is proposed in the answer box (nothing saved until sent), the
    language is switched mid-interview and kept over a reload, and a ranking is ordered with
    the keyboard and sent as the engine takes it."""
    log_in(page, live_server, interviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/interviewing/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    page.keyboard.press("i")
    page.wait_for_url(re.compile(r"/interviewing/interviews/\d+/$"))
    interview = Interview.objects.get(case__wave=features_wave)

    on_question(page, "trading")
    expect(page.locator("#choice-1")).to_be_checked()  # the default, proposed
    expect(page.locator("#language-select")).to_have_value(EN)
    assert not interview.events.exists()

    # Switch to French: the question and its choices come back in French, stored.
    page.select_option("#language-select", FR)
    expect(page.locator("#q-label")).to_contain_text("L'entreprise est-elle active ?")
    expect(page.locator("label[for=choice-2]")).to_contain_text("Non")
    expect(page.locator("#choice-1")).to_be_checked()
    page.reload()
    on_question(page, "trading")
    expect(page.locator("#q-label")).to_contain_text("L'entreprise est-elle active ?")
    expect(page.locator("#language-select")).to_have_value(FR)
    interview.refresh_from_db()
    assert (interview.language, interview.answers) == (FR, {})

    page.locator("#choice-1").focus()
    page.keyboard.press("Enter")  # accept the proposal
    on_question(page, "staff")
    expect(page.locator("#answer-input")).to_have_value("12")
    page.fill("#answer-input", "7")
    page.keyboard.press("Enter")

    # The ranking: the default order, moved with Shift+arrows and the buttons.
    on_question(page, "worries")
    items = page.locator("#rank-list .rank-item")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("Cybercriminalité")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("Shift+ArrowDown")  # c to second place: a c b
    expect(items.nth(1)).to_have_attribute("data-name", "c")
    expect(items.nth(1)).to_be_focused()
    expect(page.locator(".rank-live")).to_have_text("Cybercriminalité: place 2 of 3")
    page.click("#rank-list .rank-item[data-name=b] .rank-up")  # b up: a b c
    expect(items.nth(1)).to_have_attribute("data-name", "b")
    page.locator("#rank-list .rank-item[data-name=a]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#complete")).to_be_focused()
    interview.refresh_from_db()
    assert interview.answers == {"trading": "1", "staff": 7, "worries": ["a", "b", "c"]}
    unexpected = [e for e in page.errors if not NETWORK_LOG.match(e)]
    assert unexpected == []


TRIGGER_SURVEY = [
    ["type", "name", "label", "calculation", "trigger"],
    ["integer", "staff", "How many staff?", "", ""],
    ["calculate", "first", "", "once(${staff})", ""],
    ["calculate", "latest", "", "${staff}", "${staff}"],
    ["integer", "sites", "How many sites?", "", ""],
    ["text", "check", "You first said ${first} staff, now ${latest}: why the change?", "", ""],
]


def test_trigger_and_once_pipe_their_stored_values(page, live_server, interviewer):
    """A calculate with a trigger follows its trigger question; once() keeps the first
    answer, also after a reload (the values are stored with the interview)."""
    from tests.survey.fieldwork_factories import wave_with_form

    wave = wave_with_form(interviewer.agency, TRIGGER_SURVEY, business_hours=ALWAYS_OPEN)
    log_in(page, live_server, interviewer.username, PASSWORD)
    page.goto(f"{live_server.url}/interviewing/")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    page.keyboard.press("i")
    page.wait_for_url(re.compile(r"/interviewing/interviews/\d+/$"))
    on_question(page, "staff")
    page.keyboard.type("20")
    page.keyboard.press("Enter")
    on_question(page, "sites")
    page.keyboard.press("PageUp")
    on_question(page, "staff")
    page.fill("#answer-input", "12")
    page.keyboard.press("Enter")
    on_question(page, "sites")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    on_question(page, "check")
    expect(page.locator("#q-label")).to_contain_text("You first said 20 staff, now 12")
    page.reload()
    on_question(page, "check")
    expect(page.locator("#q-label")).to_contain_text("You first said 20 staff, now 12")
    interview = Interview.objects.get(case__wave=wave)
    assert (interview.values["first"], interview.values["latest"]) == (20, 12)
