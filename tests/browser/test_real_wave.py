"""Issue 14's acceptance walk: a real wave from an empty system, each step done by the person
whose job it is, in a real headless Chromium (one browser context per person).

It starts from what `migrate` leaves (the role groups and MOPAC, restored here by the
migration's own function because a transactional test's flush removes them) and the install's
first account, a superuser made as `manage.py createsuperuser` makes it. No demo, no factory.

1. The admin creates an agency, a supervisor and an analyst in the Django admin; the supervisor
   adds two interviewers on /team/.
2. The analyst uploads the shipped BAS questionnaire (questionnaires/forms_data/
   bas_questionnaire.xlsx: the real one, since weighting, estimates and publication read its
   variables), imports a 3,000-business frame (.csv from sampling.core.make_synthetic_frame,
   with its contact columns), previews the allocation and draws a sample of 80 in two
   replicates.
3. The analyst sets up a wave on /waves/new/ (every field of the page; calling hours every day
   from 00:00 to 23:59:59 so that the queue is open whenever the test runs), opens it
   (releasing replicate 1) and extends it.
4. The supervisor releases replicate 2 (accepting the confirmation) and watches progress; the
   first interviewer works the queue on /interviewing/: a no-answer by its key, one interview
   by the keyboard and one by clicks; the second interviewer, as an external CATI client,
   takes the rest through the JSON API with HTTP Basic (next case, call outcomes, interview,
   answers, complete) until the wave has 30 completes; the supervisor approves them (the
   wave is reviewed by the agency, the set-up page's default: one on the review page, the
   rest through the API) and closes the wave.
5. The analyst weights the closed wave with options (frame counts, raked on sector group and
   size band, sector-group classes, trimming bounds), reads the diagnostics and accepts.
6. The analyst estimates, filters the estimates, downloads the CSV, and publishes from the
   preview page with the confirmation.
7. The public (a new, logged-out context) sees the wave on /results/ and every download
   (workbook, open-data CSV, metadata) answers 200 with content.

Screenshots of each step are written to test-artifacts/real-wave-*.png.
"""

import importlib
import json
import re
import uuid
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import requests
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from sampling.core import make_synthetic_frame
from survey.models import Case, Interview, Wave
from tests.browser.conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAS_WORKBOOK = django_settings.BASE_DIR / "questionnaires" / "forms_data" / "bas_questionnaire.xlsx"
AGENCY = "Thameside Research Ltd"
PASSWORDS = {"admin": "Admin-walk-5832", "sup": "Supervisor-walk-3917",
             "analyst": "Analyst-walk-6254", "int1": "Interviewer-walk-4471",
             "int2": "Interviewer-walk-8826"}
COMPLETES_WANTED = 30
NETWORK_LOG = re.compile(r"^Failed to load resource")


def after_migrate() -> None:
    """What `migrate` leaves in an empty database: the role groups and MOPAC (the data
    migration's own function; a transactional test's flush removed them)."""
    from django.apps import apps

    initial = importlib.import_module("accounts.migrations.0001_initial")
    initial.create_roles_and_mopac(apps, None)


def person(chromium, name: str):
    """A browser context of its own for one person, recording console and page errors."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900},
                                   accept_downloads=True)
    page = context.new_page()
    page.errors = []
    page.person = name
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def no_console_errors(page) -> None:
    unexpected = [e for e in page.errors if not NETWORK_LOG.match(e)]
    assert unexpected == [], f"{page.person}: {unexpected}"


def shot(page, step: str) -> None:
    screenshot(page, f"real-wave-{step}")


def submit(page, selector: str, url_pattern, confirm: bool = False) -> None:
    """Click a submit button and wait for the page it leads to; with `confirm`, accept the
    confirmation it asks for, which must be asked exactly once."""
    asked = []

    def accept(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    if confirm:
        page.on("dialog", accept)
    try:
        with page.expect_navigation(url=url_pattern):
            page.click(selector)
    finally:
        if confirm:
            page.remove_listener("dialog", accept)
    assert len(asked) == (1 if confirm else 0), asked


# --- step 1: the admin and the supervisor ---------------------------------------------------

def admin_sets_up_people(chromium, live_server) -> None:
    User.objects.create_superuser("admin", "admin@example.invalid", PASSWORDS["admin"])
    page = person(chromium, "admin")
    log_in(page, live_server, "admin", PASSWORDS["admin"])
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_contain_text("BAS survey system administration")

    page.click("a[href='/admin/accounts/agency/add/']")
    page.fill("#id_name", AGENCY)
    page.fill("#id_code", "thameside")
    submit(page, "input[name=_save]", re.compile(r"/admin/accounts/agency/$"))
    expect(page.locator(".messagelist")).to_contain_text(AGENCY)
    shot(page, "1-admin-agency")

    for username, first, agency, role in (
            ("sup", "Sam", AGENCY, "supervisor"),
            ("analyst", "Ana", "Mayor's Office for Policing and Crime", "analyst")):
        page.goto(f"{live_server.url}/admin/accounts/user/add/")
        page.fill("#id_username", username)
        page.fill("#id_password1", PASSWORDS[username])
        page.fill("#id_password2", PASSWORDS[username])
        page.select_option("#id_agency", label=agency)
        page.select_option("#id_groups_from", label=role)
        page.click("#id_groups_add")
        expect(page.locator("#id_groups_to option")).to_have_text([role])
        submit(page, "input[name=_save]", re.compile(r"/admin/accounts/user/\d+/change/$"))
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
        page.fill("#id_first_name", first)
        page.fill("#id_last_name", "Walker")
        submit(page, "input[name=_save]", re.compile(r"/admin/accounts/user/$"))
    shot(page, "1-admin-users")
    made = {u.username: (u.agency.name, [g.name for g in u.groups.all()])
            for u in User.objects.exclude(username="admin")}
    assert made == {"sup": (AGENCY, ["supervisor"]),
                    "analyst": ("Mayor's Office for Policing and Crime", ["analyst"])}
    no_console_errors(page)
    page.context.close()


def supervisor_adds_interviewers(chromium, live_server):
    page = person(chromium, "supervisor")
    log_in(page, live_server, "sup", PASSWORDS["sup"])
    page.goto(f"{live_server.url}/team/")
    for username, first in (("int1", "Ivy"), ("int2", "Ian")):
        page.fill("#new-username", username)
        page.fill("#new-first-name", first)
        page.fill("#new-last-name", "Caller")
        page.fill("#new-password", PASSWORDS[username])
        submit(page, "#add-interviewer button[type=submit]", f"{live_server.url}/team/")
        expect(page.locator(".messages")).to_contain_text(
            f"{username} can now log in as an interviewer of {AGENCY}")
        expect(page.locator(f"#team tr[data-username={username}]")).to_contain_text(
            "interviewer")
    shot(page, "1-team")
    no_console_errors(page)
    return page


# --- step 2: questionnaire, frame, sample ---------------------------------------------------

def analyst_prepares_sample(page, live_server, tmp_path) -> None:
    page.goto(f"{live_server.url}/questionnaires/upload/")
    page.set_input_files("input[name=workbook]", str(BAS_WORKBOOK))
    page.fill("textarea[name=notes]", "BAS questionnaire for the first wave")
    submit(page, "button:text('Check and upload')",
           re.compile(r"/questionnaires/versions/\d+/$"))
    shot(page, "2-questionnaire")

    frame_csv = tmp_path / "london_frame.csv"
    make_synthetic_frame(3000, seed=14).to_csv(frame_csv, index=False)
    page.goto(f"{live_server.url}/sampling/")
    page.set_input_files("#id_upload-file", str(frame_csv))
    page.fill("#id_upload-name", "London businesses 2026")
    submit(page, "button:text('Check and import')", re.compile(r"/sampling/frames/\d+/$"))
    expect(page.locator("h1")).to_have_text("London businesses 2026")
    expect(page.locator("main")).to_contain_text("3000 businesses")

    page.fill("#id_name", "Wave 1 sample")
    page.fill("#id_n", "80")
    page.select_option("#id_allocation", "proportional")
    page.fill("#id_min_stratum_size", "200")  # few strata for a small sample
    page.fill("#id_seed", "14")
    page.fill("#id_replicates", "2")
    submit(page, "button[value=preview]", re.compile(r"/sampling/frames/\d+/$"))
    preview = page.locator("#allocation-preview")
    expect(preview).to_contain_text("Preview: 80 businesses")
    for by in ("borough", "sector", "size-band"):
        assert preview.locator(f"table[data-by={by}] tbody tr").count() > 1
    shot(page, "2-sample-preview")
    submit(page, "#draw-and-store", re.compile(r"/sampling/samples/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Drew and stored 80 businesses")


# --- step 3: the wave -------------------------------------------------------------------------

def analyst_sets_up_wave(page, live_server) -> Wave:
    today = timezone.localdate()
    page.goto(f"{live_server.url}/waves/")
    page.click("#new-wave")
    page.wait_for_url(f"{live_server.url}/waves/new/")
    page.fill("#name", "BAS wave 1")
    page.select_option("#questionnaire_version", index=1)
    page.select_option("#sample", index=1)
    page.select_option("#agency", label=AGENCY)
    page.fill("#starts_on", today.isoformat())
    page.fill("#ends_on", (today + timedelta(days=28)).isoformat())
    for day in page.locator("input[name=calling_days]").all():
        day.check()
    page.fill("#calling_start", "00:00")
    page.fill("#calling_end", "23:59:59")
    page.fill("#timezone", "Europe/London")
    page.fill("#max_attempts", "6")
    page.fill("#gap-no_answer", "90")
    page.fill("#gap-busy", "10")
    page.fill("#target_interviews", "60")
    page.check("input[name=targets_by][value=stratum]")
    page.fill("#replicates_at_start", "1")
    expect(page.locator("#review_levels")).to_have_value("agency")  # reviewed by default
    submit(page, "#save-wave", re.compile(r"/waves/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("Wave BAS wave 1 is set up")
    shot(page, "3-wave-set-up")

    submit(page, "#open-wave", re.compile(r"/waves/\d+/$"), confirm=True)
    expect(page.locator(".messages")).to_contain_text("is in the field")
    expect(page.locator("#wave-status")).to_have_text("In field")
    page.fill("#extend-ends-on", (today + timedelta(days=35)).isoformat())
    submit(page, "#extend-wave", re.compile(r"/waves/\d+/$"))
    ends = today + timedelta(days=35)
    expect(page.locator(".messages")).to_contain_text(f"now ends on {ends.day} {ends:%B %Y}")
    shot(page, "3-wave-open")
    wave = Wave.objects.get(name="BAS wave 1")
    assert wave.sample.released_replicates == [1]
    assert wave.business_hours == {"days": [0, 1, 2, 3, 4, 5, 6], "start": "00:00",
                                   "end": "23:59:59"}
    assert wave.retry_gaps == {"no_answer": 90, "busy": 10}
    assert wave.stratum_targets and sum(wave.stratum_targets.values()) == 60
    return wave


# --- step 4: fieldwork ------------------------------------------------------------------------

def supervisor_releases(page, live_server, wave: Wave) -> None:
    page.goto(f"{live_server.url}/supervision/waves/{wave.pk}/")
    before = wave.cases.count()
    release = page.locator("#release-next")
    expect(release).to_contain_text("Release replicate 2")
    submit(page, "#release-next", re.compile(rf"/supervision/waves/{wave.pk}/$"), confirm=True)
    expect(page.locator(".messages")).to_contain_text("Released replicate 2")
    assert wave.cases.count() > before
    expect(page.locator(".headline")).to_contain_text(f"{wave.cases.count()} cases issued")
    shot(page, "4-supervisor-release")
    # Paused while the interviewers work: the live server's threads share one in-memory
    # SQLite connection, so a reload at the same moment as an API call can find a table
    # locked (never the case on a database of its own). Reloading by hand shows progress.
    page.uncheck("#auto-refresh")


def wanted_value(path: str, business) -> str | None:
    """The answer the first interviewer gives (None: the first choice, or '1' typed)."""
    name = path.rsplit("/", 1)[-1]
    return {"right_person": "1", "london_address": "1", "borough": business.borough,
            "sector": business.sector, "employees": str(business.employees or 4),
            "crime_types": "none", "prevention_measures": "cctv", "advice_received": "2",
            "comments": "Quiet street, no trouble"}.get(name)


def next_screen(page, previous: str) -> None:
    """Wait for the next question or the complete button; an answer refused fails here."""
    page.wait_for_function("""(previous) => {
        const error = document.querySelector('#answer-error:not([hidden]), #error:not([hidden])');
        if (error && error.textContent.trim()) return true;
        if (document.querySelector('#complete, #done-screen')) return true;
        const form = document.querySelector('#answer-form');
        return form && form.dataset.path !== previous;
    }""", arg=previous)
    error = page.locator("#answer-error:not([hidden]), #error:not([hidden])")
    assert error.count() == 0 or not error.first.inner_text().strip(), (
        f"{previous}: {error.first.inner_text()}")


def interview_on_screen(page, business, by_keyboard: bool) -> int:
    """Answer every question the route asks, by keys or by clicks; complete. Returns the
    number of questions answered."""
    asked = 0
    while page.locator("#complete").count() == 0:
        form = page.locator("#answer-form")
        path = form.get_attribute("data-path")
        wanted = wanted_value(path, business)
        choices = form.locator("input[name=value]:not(.answer-input)")
        if choices.count():
            values = [c.get_attribute("value") for c in choices.all()]
            number = values.index(wanted) + 1 if wanted in values else 1
            multiple = choices.first.get_attribute("type") == "checkbox"
            if by_keyboard:
                if len(values) <= 9:
                    page.keyboard.press(str(number))
                else:
                    page.keyboard.type(str(number))
                    page.keyboard.press("Enter")
                if multiple:
                    page.keyboard.press("Enter")
            else:
                page.check(f"#choice-{number}")
                page.click("#answer-form button.primary")
        else:
            text = wanted or "1"
            if by_keyboard:
                expect(page.locator("#answer-input")).to_be_focused()
                page.keyboard.type(text)
                page.keyboard.press("Enter")
            else:
                page.fill("#answer-input", text)
                page.click("#answer-form button.primary")
        asked += 1
        assert asked < 80, "the interview never ends"
        next_screen(page, path)
    expect(page.locator("#progress-text")).to_contain_text("questions answered")
    if by_keyboard:
        expect(page.locator("#complete")).to_be_focused()
        page.keyboard.press("Enter")
    else:
        page.click("#complete")
    expect(page.locator("#done-screen")).to_contain_text("Interview complete")
    return asked


def case_on_page(page) -> Case:
    return Case.objects.select_related("sampled_business__business").get(
        pk=int(re.search(r"/cases/(\d+)/", page.url).group(1)))


def interviewer_works_queue(chromium, live_server, wave: Wave):
    page = person(chromium, "interviewer 1")
    log_in(page, live_server, "int1", PASSWORDS["int1"])
    page.click("nav a:text('Interviewing')")
    page.wait_for_url(f"{live_server.url}/interviewing/")
    expect(page.locator("h3", has_text=wave.name)).to_be_visible()

    # The first business does not answer: its key records it.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
    no_answer = case_on_page(page)
    page.keyboard.press("n")
    page.wait_for_url(f"{live_server.url}/interviewing/")
    expect(page.locator(".messages")).to_contain_text("No answer")

    for by_keyboard in (True, False):
        if by_keyboard:
            page.keyboard.press("Enter")
        else:
            page.click("button:text('Next case')")
        page.wait_for_url(re.compile(r"/interviewing/cases/\d+/$"))
        case = case_on_page(page)
        assert case.pk != no_answer.pk
        shot(page, "4-interviewer-case")
        assert page.evaluate("""() => [...document.querySelectorAll('.case-grid .panel')]
            .every(panel => panel.scrollWidth <= panel.clientWidth)"""), "business panel"
        if by_keyboard:
            page.keyboard.press("i")
        else:
            page.click("button:text('Start interview')")
        page.wait_for_url(re.compile(r"/interviewing/interviews/\d+/$"))
        asked = interview_on_screen(page, case.sampled_business.business, by_keyboard)
        assert asked >= 20
        if by_keyboard:
            shot(page, "4-interview-complete")
            page.click("#next-case")
            page.wait_for_url(f"{live_server.url}/interviewing/")
        else:
            page.goto(f"{live_server.url}/interviewing/")
    expect(page.locator("#calls-today")).to_contain_text("2 interviews completed")
    shot(page, "4-interviewer-home")
    no_console_errors(page)
    done = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE)
    assert done.count() == 2
    return page


class CatiClient:
    """An external CATI client: the fieldwork API with HTTP Basic, as another program would."""

    def __init__(self, live_server, username: str, password: str) -> None:
        self.base = f"{live_server.url}/api"
        self.http = requests.Session()
        self.http.auth = (username, password)
        self.http.headers["Accept"] = "application/json"

    def post(self, path: str, body: dict | None = None, expected=(200, 201)) -> dict:
        response = self.http.post(f"{self.base}{path}", json=body or {}, timeout=30)
        assert response.status_code in expected, (path, response.status_code, response.text)
        return response.json()

    def get(self, path: str) -> dict:
        response = self.http.get(f"{self.base}{path}", timeout=30)
        assert response.status_code == 200, (path, response.status_code, response.text)
        return response.json()


def api_answer(prompt: dict, business: dict, rng: np.random.Generator):
    """A plausible answer to the prompt the API sent, in the API's value format."""
    names = [c["name"] for c in prompt["choices"]]
    fixed = {"right_person": "1", "london_address": "1", "borough": business["borough"],
             "sector": business["sector"]}
    kind = prompt["type"]
    if prompt["name"] in fixed and fixed[prompt["name"]] in names:
        return fixed[prompt["name"]]
    if prompt["name"] == "crime_types":
        return ["none"] if rng.random() < 0.7 else [str(rng.choice(names[:-1]))]
    if kind == "select_one":
        return str(rng.choice(names))
    if kind == "select_multiple":
        return [names[0]]
    if kind == "integer":
        return int(business.get("employees") or 3) if prompt["name"] == "employees" \
            else int(rng.integers(1, 6))
    if kind == "decimal":
        return float(rng.integers(0, 2000))
    if kind == "date":
        return timezone.localdate().isoformat()
    return "Nothing to add"


def api_takes_the_rest(live_server, wave: Wave, completes_wanted: int) -> dict:
    """The second interviewer's shift through the fieldwork API: some calls not answered or
    refused, the rest interviewed in full, until the wave has enough completes."""
    cati = CatiClient(live_server, "int2", PASSWORDS["int2"])
    assert any(w["id"] == wave.pk for w in cati.get("/waves/"))
    rng = np.random.default_rng(14)
    tally = {"no_answer": 0, "refusal": 0, "complete": 0}
    done = Interview.objects.filter(case__wave=wave, status=Interview.Status.COMPLETE).count()
    for number in range(200):
        if done >= completes_wanted:
            break
        found = cati.post(f"/waves/{wave.pk}/next-case/")
        assert found["case"] is not None, found
        case_id = found["case"]["id"]
        detail = cati.get(f"/cases/{case_id}/")
        if number % 6 == 2 or number % 11 == 7:
            outcome = "no_answer" if number % 6 == 2 else "refusal"
            recorded = cati.post(f"/cases/{case_id}/calls/",
                                 {"event_id": str(uuid.uuid4()), "outcome": outcome}, (201,))
            assert recorded["attempt"]["outcome"] == outcome
            tally[outcome] += 1
            continue
        state = cati.post(f"/cases/{case_id}/interview/", expected=(201,))
        interview_id = state["id"]
        while state["prompt"] is not None:
            prompt = state["prompt"]
            body = {"event_id": str(uuid.uuid4()), "path": prompt["path"],
                    "value": api_answer(prompt, detail["business"], rng)}
            state = cati.post(f"/interviews/{interview_id}/answers/", body, (201,))["state"]
        assert state["can_complete"], state
        state = cati.post(f"/interviews/{interview_id}/complete/",
                          {"event_id": str(uuid.uuid4())})
        assert state["status"] == "complete"
        tally["complete"] += 1
        done += 1
    assert done >= completes_wanted, tally
    return tally


def supervisor_reviews(page, live_server, wave: Wave, completes: int) -> None:
    """A reviewed wave: completes count only once the supervisor approves them; one on the
    review page, the rest through the API."""
    page.goto(f"{live_server.url}/supervision/waves/{wave.pk}/")
    expect(page.locator("#review-counts")).to_contain_text(f"{completes} completed")
    expect(page.locator("#review-counts")).to_contain_text("0 approved")
    page.click("#review-link")
    page.click("#review-queue a:text('Review')")
    page.click("#approve")
    expect(page.locator(".messages")).to_contain_text("approved")
    reviewer = CatiClient(live_server, "sup", PASSWORDS["sup"])
    waiting = Interview.objects.filter(case__wave=wave, review_status="completed")
    assert waiting.count() == completes - 1
    for interview_id in waiting.values_list("pk", flat=True):
        reviewer.post(f"/interviews/{interview_id}/approve/", {})
    page.goto(f"{live_server.url}/supervision/waves/{wave.pk}/")
    expect(page.locator("#review-counts")).to_contain_text(f"{completes} approved")
    shot(page, "4-supervisor-reviewed")


def supervisor_watches_and_closes(page, live_server, wave: Wave, completes: int) -> None:
    page.goto(f"{live_server.url}/supervision/waves/{wave.pk}/")
    expect(page.locator("#wave-progress")).to_have_attribute("value", str(completes))
    expect(page.locator(".big-progress")).to_contain_text(
        f"{completes} of {wave.target_interviews} interviews")
    expect(page.locator("#interviewers")).to_contain_text("int2")
    assert page.locator("#by-borough tbody tr").count() > 1
    shot(page, "4-supervisor-progress")
    submit(page, "button:text('Close the wave')",
           re.compile(rf"/supervision/waves/{wave.pk}/$"), confirm=True)
    expect(page.locator("#wave-status")).to_have_text("Closed")
    shot(page, "4-wave-closed")
    no_console_errors(page)
    wave.refresh_from_db()
    assert wave.status == Wave.Status.CLOSED
    assert not wave.cases.filter(final_code="").exists()


# --- step 5: weighting ----------------------------------------------------------------------

def analyst_weights(page, live_server, wave: Wave) -> None:
    page.goto(f"{live_server.url}/analysis/")
    with page.expect_navigation(url=f"{live_server.url}/analysis/waves/{wave.pk}/weighting/"):
        page.click(f"a[href='/analysis/waves/{wave.pk}/weighting/']")
    page.check("input[name=population][value=frame]")
    page.uncheck("input[name=rake_variables][value=borough]")
    page.check("input[name=rake_variables][value=sector_group]")
    page.check("input[name=rake_variables][value=size_band]")
    page.select_option("select[name=classes]", "sector_group")
    page.fill("input[name=trim_lower]", "0.3")
    page.fill("input[name=median_cap]", "5")
    shot(page, "5-weighting-options")
    submit(page, "button:text('Weight and show the diagnostics')",
           re.compile(r"/analysis/weightings/\d+/$"))
    diagnostics = page.locator("table.diagnostics")
    expect(diagnostics).to_contain_text("Design effect from weighting")
    expect(diagnostics).to_contain_text("Effective sample size")
    expect(diagnostics).to_contain_text("Weight range")
    assert page.locator("table.margins tbody tr").count() > 3
    expect(page.locator("main")).to_contain_text("draft, not yet accepted")
    shot(page, "5-weighting-diagnostics")
    submit(page, "button:text('Accept this weighting run')",
           re.compile(r"/analysis/weightings/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("accepted")


# --- step 6: estimates and publication ------------------------------------------------------

def analyst_reviews_and_publishes(page, live_server, wave: Wave) -> None:
    submit(page, "button:text('Estimate')", re.compile(r"/analysis/estimates/\d+/$"))
    rows = page.locator("table.estimates tbody tr")
    every = rows.count()
    assert every > 10
    measure = page.locator("select[name=measure] option").nth(1).get_attribute("value")
    page.select_option("select[name=measure]", measure)
    page.select_option("select[name=by]", "borough")
    submit(page, "form.filters button[type=submit]", re.compile(r"/analysis/estimates/\d+/\?"))
    assert 0 < rows.count() < every
    expect(rows.first).not_to_contain_text("E090000")  # borough names, not codes
    shot(page, "6-estimates")
    with page.expect_download() as download:
        page.click("a:text('Download CSV')")
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = content.strip().splitlines()
    assert len(lines) == rows.count() + 1, lines[:3]

    with page.expect_navigation(url=f"{live_server.url}/results/publish/{wave.pk}/"):
        page.click(f"a[href='/results/publish/{wave.pk}/']")
    preview = page.locator("section.preview")
    expect(preview).to_contain_text(wave.name)
    expect(preview).to_contain_text("Methodology note")
    expect(preview).to_contain_text("change needs two waves")
    shot(page, "6-publish-preview")
    page.check("input[name=confirm]")
    submit(page, f"button:text('Publish {wave.name}')",
           f"{live_server.url}/results/publications/")
    expect(page.locator(".messages")).to_contain_text(f"{wave.name} is published")
    shot(page, "6-published")
    no_console_errors(page)


# --- step 7: the public -----------------------------------------------------------------------

def public_sees_results(chromium, live_server, wave: Wave) -> None:
    page = person(chromium, "the public")
    page.goto(f"{live_server.url}/results/")
    published = page.locator("main")
    expect(published).to_contain_text(wave.name)
    expect(published).to_contain_text(f"Published {timezone.localdate():%-d %B %Y}")
    expect(published).to_contain_text("Methodology note")
    expect(published).to_contain_text("Change needs two published waves")
    links = page.locator("a[href*='/results/downloads/']")
    hrefs = {link.get_attribute("href") for link in links.all()}
    kinds = {href.rsplit(".", 1)[-1] for href in hrefs}
    assert {"xlsx", "csv", "json"} <= kinds, hrefs
    for href in hrefs:
        response = page.context.request.get(f"{live_server.url}{href}"
                                            if href.startswith("/") else href)
        assert response.status == 200, (href, response.status)
        body = response.body()
        assert len(body) > 100, href
        if href.endswith(".xlsx"):
            assert body.startswith(b"PK"), href  # a zip, as every .xlsx is
        elif href.endswith(".json"):
            assert json.loads(body), href
        else:
            assert body.decode("utf-8-sig").count("\n") > 10, href
    shot(page, "7-public-dashboard")
    no_console_errors(page)
    page.context.close()


def test_a_real_wave_from_an_empty_system(chromium, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    after_migrate()

    admin_sets_up_people(chromium, live_server)
    supervisor = supervisor_adds_interviewers(chromium, live_server)

    analyst = person(chromium, "analyst")
    log_in(analyst, live_server, "analyst", PASSWORDS["analyst"])
    analyst_prepares_sample(analyst, live_server, tmp_path)
    wave = analyst_sets_up_wave(analyst, live_server)

    supervisor_releases(supervisor, live_server, wave)
    interviewer = interviewer_works_queue(chromium, live_server, wave)
    interviewer.context.close()
    tally = api_takes_the_rest(live_server, wave, COMPLETES_WANTED)
    assert tally["complete"] == COMPLETES_WANTED - 2 and tally["no_answer"] > 0
    supervisor_reviews(supervisor, live_server, wave, COMPLETES_WANTED)
    supervisor_watches_and_closes(supervisor, live_server, wave, COMPLETES_WANTED)

    analyst_weights(analyst, live_server, wave)
    analyst_reviews_and_publishes(analyst, live_server, wave)
    supervisor.context.close()
    analyst.context.close()

    public_sees_results(chromium, live_server, wave)
