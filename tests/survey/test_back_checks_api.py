"""The back-check API and pages: the share per interviewer shown, the draw (button and
endpoint, once a day), settings, who may check (never the original interviewer: 403; other
agency: 404), taking, outcomes, escalation, and contact details only on need-to-know."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.models import BackCheck, BackCheckDraw, Interview
from tests.factories import make_user
from tests.survey.fieldwork_factories import OPEN_NOW, wave_in_field
from tests.survey.test_back_checks import completes

pytestmark = pytest.mark.django_db

EVENING = OPEN_NOW + timedelta(hours=10)
SCRIPT = {"happened": "yes", "respondent_role": "owner", "minutes": 30,
          "answers": {"trading": "2", "victim": "2"}}


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.now", return_value=EVENING):
        yield


@pytest.fixture
def wave(agency):
    return wave_in_field(agency, n_per_stratum=10)


@pytest.fixture
def team(agency, users):
    return [users[Role.INTERVIEWER], make_user(Role.INTERVIEWER, agency=agency)]


@pytest.fixture
def drawn(client, wave, team, users):
    """team[0] has 11 completes, team[1] one; the supervisor draws through the API."""
    completes(wave, team[0], 11)
    completes(wave, team[1], 1)
    client.force_login(users[Role.SUPERVISOR])
    response = client.post(reverse("api-wave-back-check-draw", args=[wave.pk]), {},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_draw_endpoint_draws_once_a_day(client, drawn, wave):
    assert drawn["new"] and len(drawn["selected"]) == 3
    assert drawn["draw"]["day"] == "2025-06-11"
    again = client.post(reverse("api-wave-back-check-draw", args=[wave.pk]), {},
                        content_type="application/json").json()
    assert not again["new"] and again["selected"] == []
    assert BackCheck.objects.count() == 3 and BackCheckDraw.objects.count() == 1
    future = client.post(reverse("api-wave-back-check-draw", args=[wave.pk]),
                         {"day": "2025-06-12"}, content_type="application/json")
    assert future.status_code == 400
    assert future.json()["errors"][0]["code"] == "back_check_day_future"


def test_the_share_per_interviewer_is_shown(client, drawn, wave, team):
    body = client.get(reverse("api-wave-back-checks", args=[wave.pk])).json()
    rows = {row["username"]: row for row in body["interviewers"]}
    assert (rows[team[0].username]["completes"], rows[team[0].username]["selected"]) == (11, 2)
    assert rows[team[0].username]["share"] == pytest.approx(100 * 2 / 11)
    assert (rows[team[1].username]["selected"], rows[team[1].username]["share"]) == (1, 100.0)
    assert body["plan"] == {"share_percent": 10, "seed": wave.sample.design.seed,
                            "key_questions": []}
    phone = wave.cases.first().sampled_business.business.phone
    assert phone not in str(body)  # contact details never in a list
    page = client.get(reverse("back-check-wave", args=[wave.pk])).content.decode()
    assert "18.2%" in page and "100.0%" in page and 'id="draw-back-checks"' in page


def test_analysts_set_the_share(client, wave, users):
    client.force_login(users[Role.ANALYST])
    url = reverse("api-wave-back-check-plan", args=[wave.pk])
    ok = client.post(url, {"share_percent": 20, "seed": 5, "key_questions": ["victim"]},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["share_percent"] == 20
    bad = client.post(url, {"share_percent": 0, "seed": 5, "key_questions": ["nope"]},
                      content_type="application/json")
    assert bad.status_code == 400
    assert {p["field"] for p in bad.json()["errors"][0]["problems"]} == {
        "back_check_share", "back_check_questions"}
    assert AuditEvent.objects.filter(object_type="survey.BackCheckPlan").count() == 1


def _check_of(interviewer) -> BackCheck:
    return BackCheck.objects.filter(interviewer=interviewer).first()


def test_the_original_interviewer_gets_403(client, drawn, team):
    check = _check_of(team[0])
    client.force_login(team[0])
    for name, method in (("api-back-check", "get"), ("api-back-check-take", "post"),
                         ("api-back-check-outcome", "post")):
        response = getattr(client, method)(reverse(name, args=[check.pk]),
                                           content_type="application/json")
        assert response.status_code == 403, name
        assert response.json()["errors"][0]["code"] == "own_interview"
    for name in ("back-check-detail", "back-check-take", "back-check-record"):
        call = client.get if name == "back-check-detail" else client.post
        assert call(reverse(name, args=[check.pk])).status_code == 403, name
    assert check.pk not in [c["id"] for c in client.get(reverse("api-my-back-checks")).json()]


def test_another_agency_gets_404(client, drawn, other_agency):
    check = BackCheck.objects.first()
    for role in (Role.SUPERVISOR, Role.INTERVIEWER):
        client.force_login(make_user(role, agency=other_agency))
        assert client.get(reverse("api-back-check", args=[check.pk])).status_code == 404
        assert client.post(reverse("api-back-check-take", args=[check.pk])).status_code == 404


def test_a_colleague_takes_checks_and_a_discrepancy_goes_to_review(client, drawn, team,
                                                                    users):
    check = _check_of(team[0])
    phone = check.interview.case.sampled_business.business.phone
    client.force_login(team[1])
    assert [c["id"] for c in client.get(reverse("api-my-back-checks")).json()] == [
        c.pk for c in BackCheck.objects.filter(interviewer=team[0])]
    before = client.get(reverse("api-back-check", args=[check.pk])).json()
    assert before["contacts"] is None and before["may_check"]
    assert [q["name"] for q in before["script"]["key_questions"]] == ["trading", "victim"]
    taken = client.post(reverse("api-back-check-take", args=[check.pk])).json()
    assert taken["contacts"]["phone"] == phone
    client.force_login(users[Role.SUPERVISOR])
    clash = client.post(reverse("api-back-check-take", args=[check.pk]))
    assert clash.status_code == 409 and clash.json()["errors"][0]["code"] == "back_check_taken"
    client.force_login(team[1])
    done = client.post(reverse("api-back-check-outcome", args=[check.pk]),
                       {"outcome": "discrepancy", "note": "Interview said to be 5 minutes.",
                        "script": {**SCRIPT, "minutes": 5, "answers": {"trading": "1"}}},
                       content_type="application/json").json()
    assert done["back_check"]["outcome"] == "discrepancy" and done["back_check"]["escalated"]
    assert done["agreement"] == {"trading": False, "victim": None}
    assert done["contacts"] is None  # done: no more need to know
    check.interview.refresh_from_db()
    assert check.interview.review_status == Interview.Review.COMPLETED
    assert not any(phone in str(e.detail) for e in AuditEvent.objects.all())


def test_an_outcome_is_checked(client, drawn, team):
    check = _check_of(team[1])
    client.force_login(team[0])
    url = reverse("api-back-check-outcome", args=[check.pk])
    for body, code in (({"outcome": "discrepancy", "note": "", "script": SCRIPT},
                        "note_required"),
                       ({"outcome": "confirmed", "script": {**SCRIPT, "minutes": 900}},
                        "back_check_script")):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400 and response.json()["errors"][0]["code"] == code
    wrong = client.post(url, {"outcome": "maybe", "script": SCRIPT},
                        content_type="application/json")
    assert wrong.status_code == 400
    assert not BackCheck.objects.get(pk=check.pk).outcome


# --- pages ----------------------------------------------------------------------------------

def test_the_supervision_page_links_and_draws(client, wave, team, users):
    completes(wave, team[0], 3)
    client.force_login(users[Role.SUPERVISOR])
    page = client.get(reverse("supervision-wave", args=[wave.pk])).content.decode()
    assert reverse("back-check-wave", args=[wave.pk]) in page
    assert reverse("back-check-draw", args=[wave.pk]) in page
    response = client.post(reverse("back-check-draw", args=[wave.pk]), follow=True)
    assert "Drew 1 back-check for" in response.content.decode()
    again = client.post(reverse("back-check-draw", args=[wave.pk]), follow=True)
    assert "nothing new was drawn" in again.content.decode()


def test_the_settings_form_shows_each_problem(client, wave, users):
    client.force_login(users[Role.ANALYST])
    url = reverse("back-check-plan", args=[wave.pk])
    bad = client.post(url, {"share_percent": "150", "seed": "x", "key_questions": "staff"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "from 1 to 100 (you entered 150)" in text and "seed must be a whole number" in text
    assert 'value="150"' in text
    ok = client.post(url, {"share_percent": "25", "seed": "3", "key_questions": "victim"})
    assert ok.status_code == 302
    page = client.get(reverse("back-check-wave", args=[wave.pk])).content.decode()
    assert 'id="share-setting">25%' in page


def test_a_checker_runs_the_script_on_the_page(client, drawn, team):
    check = _check_of(team[0])
    phone = check.interview.case.sampled_business.business.phone
    client.force_login(team[1])
    assert f"Back-check {check.pk}" in client.get(reverse("back-check-to-do")).content.decode()
    page = client.get(reverse("back-check-detail", args=[check.pk])).content.decode()
    assert 'id="take-check"' in page and phone not in page
    client.post(reverse("back-check-take", args=[check.pk]))
    page = client.get(reverse("back-check-detail", args=[check.pk])).content.decode()
    assert phone in page and 'name="answer-trading"' in page and "25 minutes" in page
    form = {"happened": "yes", "respondent_role": "manager", "minutes": "abc",
            "answer-trading": "2", "answer-victim": "2", "outcome": "confirmed", "note": ""}
    bad = client.post(reverse("back-check-record", args=[check.pk]), form)
    assert bad.status_code == 400 and "minutes" in bad.content.decode()
    assert 'value="manager" checked' in bad.content.decode()
    done = client.post(reverse("back-check-record", args=[check.pk]),
                       {**form, "minutes": "25"}, follow=True).content.decode()
    assert "recorded: Confirmed" in done and phone not in done
    assert BackCheck.objects.get(pk=check.pk).outcome == "confirmed"


def test_an_interviewer_sees_a_colleagues_check_only_to_take_it_or_once_theirs(
        client, drawn, team, agency, users):
    check = _check_of(team[0])
    third = make_user(Role.INTERVIEWER, agency=agency)
    client.force_login(team[1])
    client.post(reverse("api-back-check-take", args=[check.pk]))
    client.force_login(third)
    refused = client.get(reverse("api-back-check", args=[check.pk]))
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "back_check_taken"
    assert client.get(reverse("back-check-detail", args=[check.pk])).status_code == 403
    clash = client.post(reverse("api-back-check-take", args=[check.pk]))
    assert clash.status_code == 409
    for user in (team[1], users[Role.SUPERVISOR], users[Role.ANALYST]):
        client.force_login(user)
        assert client.get(reverse("api-back-check", args=[check.pk])).status_code == 200
