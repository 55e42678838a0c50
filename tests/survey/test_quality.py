"""Interviewer quality indicators on a constructed team: five honest interviewers and one
who speeds, straight-lines the grid and answers 'no' to the filter; the page and the API,
and who may see them."""

import io
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import Role
from questionnaires.services import questionnaire_version_upload
from survey.selectors.quality import wave_quality
from survey.services.calls import call_attempt_record
from survey.services.interviews import (
    answer_submit,
    interview_complete,
    interview_start_or_resume,
)
from survey.services.waves import wave_create, wave_open_field
from tests.factories import make_user
from tests.questionnaires.helpers import build_xlsx
from tests.survey.fieldwork_factories import OPEN_NOW, sample_with_cases, take_case, wave_in_field

pytestmark = pytest.mark.django_db

SURVEY = [["type", "name", "label", "relevant", "required", "dont_know", "refused"],
          ["select_one agree", "a1", "Agree 1?", "", "yes", "yes", "yes"],
          ["select_one agree", "a2", "Agree 2?", "", "yes", "yes", "yes"],
          ["select_one agree", "a3", "Agree 3?", "", "yes", "yes", "yes"],
          ["select_one yn", "crime", "Any crime?", "", "yes", "", ""],
          *[["integer", f"n{i}", f"How many {i}?", "${crime} = 1", "yes", "yes", "yes"]
            for i in range(1, 6)],
          ["select_one yn", "recontact", "May we call again?", "", "yes", "", ""]]
CHOICES = [["list_name", "name", "label"], ["yn", "1", "Yes"], ["yn", "2", "No"],
           *[["agree", str(i), f"Point {i}"] for i in range(1, 6)]]
SETTINGS = [["form_id", "form_title", "version"], ["quality_test", "Quality test", "1"]]
HONEST = ("honest1", "honest2", "honest3", "honest4", "honest5")


def _interview(wave, user, seconds: float, fast: bool, number: int) -> None:
    case = take_case(wave, user)
    start = OPEN_NOW + timedelta(minutes=20 * number)
    state = interview_start_or_resume(case=case, user=user, now=start)[0]
    moment = start
    while state.prompt is not None:
        name, moment = state.prompt.name, moment + timedelta(seconds=seconds)
        value = {"crime": "2" if fast else "1", "recontact": "1"}.get(name)
        if name.startswith("a"):
            value = "3" if fast else str(1 + (number + int(name[1])) % 5)
        if name.startswith("n"):
            value = 2
        state = answer_submit(interview=state.interview, user=user, event_id=uuid.uuid4(),
                              path=state.prompt.path, value=value, now=moment).state
    interview_complete(interview=state.interview, user=user, now=moment)


@pytest.fixture
def team_wave(agency, users):
    workbook = build_xlsx(SURVEY, CHOICES, SETTINGS)
    version = questionnaire_version_upload(workbook=workbook, filename="quality.xlsx")
    wave = wave_open_field(wave=wave_create(
        name="Quality wave", questionnaire_version=version, sample=sample_with_cases(13),
        agency=agency, target_interviews=20))
    team = {name: make_user(Role.INTERVIEWER, agency=agency, username=name)
            for name in (*HONEST, "speedy")}
    for number in range(3):
        for position, (name, user) in enumerate(team.items()):
            fast = name == "speedy"
            _interview(wave, user, 3.0 if fast else 20.0 + position, fast, number)
    for user in team.values():  # one refusal each
        call_attempt_record(case=take_case(wave, user), user=user, outcome="refusal",
                            event_id=uuid.uuid4(), called_at=OPEN_NOW)
    return wave


def test_structure_finds_the_grid_and_the_filter(team_wave):
    structure = wave_quality(wave=team_wave).structure
    assert structure.grids == [("a1", "a2", "a3")]
    assert [(f.name, f.opens, f.no_choices) for f in structure.filters] == [
        ("crime", 5, ("2",))]


def test_the_fast_interviewer_is_flagged_and_the_honest_ones_are_not(team_wave):
    report = wave_quality(wave=team_wave)
    rows = {row.username: row for row in report.interviewers}
    speedy = rows["speedy"]
    assert speedy.completes == 3
    assert speedy.values["seconds_per_question"] == 3.0
    assert speedy.values["straightlining_rate"] == 1.0
    assert speedy.values["filter_no_rate"] == 1.0
    assert set(speedy.flags) == {"seconds_per_question", "interview_minutes",
                                 "straightlining_rate", "filter_no_rate"}
    assert speedy.z["seconds_per_question"] <= -3.5
    for name in HONEST:
        assert rows[name].flags == [] and rows[name].values["straightlining_rate"] == 0
        assert rows[name].values["refusal_rate"] == pytest.approx(0.25)
    # honest 20, 21, 22, 23, 24 s and speedy 3 s: the median is 21.5
    assert report.team_medians["seconds_per_question"] == pytest.approx(21.5)


def test_one_complete_is_shown_but_not_scored(team_wave, agency):
    newcomer = make_user(Role.INTERVIEWER, agency=agency, username="newcomer")
    _interview(team_wave, newcomer, 2.0, True, 5)
    rows = {row.username: row for row in wave_quality(wave=team_wave).interviewers}
    assert rows["newcomer"].values["seconds_per_question"] == 2.0
    assert rows["newcomer"].z["seconds_per_question"] is None
    assert rows["newcomer"].flags == [] and "seconds_per_question" in rows["speedy"].flags


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_page_shows_the_table_with_flags_explained(team_wave, users):
    page = client_for(users[Role.SUPERVISOR]).get(
        reverse("supervision-quality", args=[team_wave.pk]))
    assert page.status_code == 200
    assert 'data-username="speedy" class="flagged"' in page.text
    assert "Flagged:</strong>\n  speedy." in page.text
    assert "1.4826" in page.text and "3.5" in page.text and "a1, a2, a3" in page.text
    wave_page = client_for(users[Role.SUPERVISOR]).get(
        reverse("supervision-wave", args=[team_wave.pk]))
    assert reverse("supervision-quality", args=[team_wave.pk]) in wave_page.text
    assert reverse("supervision-paradata", args=[team_wave.pk]) in wave_page.text


def test_api_gives_values_z_and_flags(team_wave, users):
    response = api(users[Role.ANALYST]).get(f"/api/waves/{team_wave.pk}/quality/")
    assert response.status_code == 200
    body = response.json()
    rows = {row["username"]: row for row in body["interviewers"]}
    assert "filter_no_rate" in rows["speedy"]["flags"] and rows["honest1"]["flags"] == []
    assert body["threshold"] == 3.5 and body["grids"] == [["a1", "a2", "a3"]]
    assert [i["key"] for i in body["indicators"]][0] == "seconds_per_question"


def test_paradata_downloads_from_page_and_api(team_wave, users):
    for response in (
            client_for(users[Role.SUPERVISOR]).get(
                reverse("supervision-paradata", args=[team_wave.pk])),
            api(users[Role.ANALYST]).get(f"/api/waves/{team_wave.pk}/paradata/")):
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        assert sorted(archive.namelist()) == ["README.txt", "events.csv", "paradata.csv"]
        assert "attachment" in response["Content-Disposition"]


@pytest.fixture
def elsewhere(other_agency):
    return wave_in_field(other_agency, name="Elsewhere wave", n_per_stratum=1)


@pytest.mark.parametrize("name", ["supervision-quality", "supervision-paradata"])
def test_page_access(name, elsewhere, agency, users, other_agency):
    own = wave_in_field(agency, name="Own wave", n_per_stratum=1)
    for role, status in ((Role.SUPERVISOR, 200), (Role.ANALYST, 200), (Role.ADMIN, 200),
                         (Role.INTERVIEWER, 403)):
        assert client_for(users[role]).get(reverse(name, args=[own.pk])).status_code == status
    assert client_for(users[Role.SUPERVISOR]).get(
        reverse(name, args=[elsewhere.pk])).status_code == 404
    outsider = make_user(Role.SUPERVISOR, agency=other_agency)
    assert client_for(outsider).get(reverse(name, args=[own.pk])).status_code == 404


@pytest.mark.parametrize("endpoint", ["quality", "paradata"])
def test_api_access(endpoint, elsewhere, agency, users):
    own = wave_in_field(agency, name="Own wave", n_per_stratum=1)
    for role, status in ((Role.SUPERVISOR, 200), (Role.ANALYST, 200),
                         (Role.INTERVIEWER, 403)):
        url = f"/api/waves/{own.pk}/{endpoint}/"
        assert api(users[role]).get(url).status_code == status
    assert api(users[Role.SUPERVISOR]).get(
        f"/api/waves/{elsewhere.pk}/{endpoint}/").status_code == 404
    assert APIClient().get(f"/api/waves/{own.pk}/{endpoint}/").status_code in (401, 403)
