"""Questionnaire versions: upload (web and API), immutability, codebook, diff, by role."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from questionnaires.models import Questionnaire, QuestionnaireVersion
from questionnaires.services import (
    QuestionnaireUploadError,
    questionnaire_version_lock,
    questionnaire_version_upload,
)

pytestmark = pytest.mark.django_db

BAS = (Path(__file__).resolve().parents[2] / "questionnaires" / "forms_data"
       / "bas_questionnaire.xlsx")


def workbook_bytes(survey_rows, choices_rows=(), form_id="tiny", version="1") -> bytes:
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    for row in survey_rows:
        survey.append(list(row))
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for row in choices_rows:
        choices.append(list(row))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"])
    settings.append([f"Form {form_id}", form_id, version])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_V1 = [
    ("type", "name", "label", "relevant"),
    ("integer", "employees", "How many employees?", ""),
    ("select_one yn", "victim", "Any crime?", ""),
    ("integer", "incidents", "How many incidents?", "${victim} = 'yes'"),
]
GOOD_V2 = [*GOOD_V1[:3], ("integer", "incidents", "Number of incidents?", "${victim} = 'yes'"),
           ("text", "notes", "Anything else?", "")]
YES_NO = [("yn", "yes", "Yes"), ("yn", "no", "No")]
BROKEN = [
    ("type", "name", "label", "relevant"),
    ("integer", "employees", "How many employees?", "${nowhere} > 1"),
    ("select_one missing_list", "victim", "Any crime?", ""),
    ("colour", "favourite", "Favourite?", ""),
    ("integer", "employees", "Again?", "(("),
]


def test_the_shipped_bas_workbook_uploads_clean():
    version = questionnaire_version_upload(workbook=BAS.read_bytes(), filename=BAS.name)
    assert version.number == 1
    assert version.summary["questions"] >= 30
    assert version.sha256 and bytes(version.workbook) == BAS.read_bytes()


def test_versions_are_numbered_per_questionnaire_and_diffed(client, users):
    v1 = questionnaire_version_upload(workbook=workbook_bytes(GOOD_V1, YES_NO), filename="t.xlsx")
    v2 = questionnaire_version_upload(workbook=workbook_bytes(GOOD_V2, YES_NO, version="2"),
                                      filename="t.xlsx")
    assert (v1.number, v2.number) == (1, 2)
    assert Questionnaire.objects.count() == 1
    client.force_login(users[Role.ANALYST])
    body = client.get(reverse("api-questionnaire-diff", args=[v2.pk, v1.pk])).json()
    assert body["added"] == ["notes"]
    assert body["removed"] == []
    assert "label" in body["changed"]["incidents"]
    page = client.get(reverse("questionnaire-diff", args=[v2.pk, v1.pk]))
    assert page.status_code == 200 and "notes" in page.content.decode()


def test_a_broken_workbook_reports_every_problem_and_stores_nothing():
    with pytest.raises(QuestionnaireUploadError) as caught:
        questionnaire_version_upload(workbook=workbook_bytes(BROKEN, YES_NO), filename="b.xlsx")
    problems = caught.value.fields["problems"]
    codes = {p["code"] for p in problems}
    assert len(problems) >= 4
    assert all(p["sheet"] == "survey" and p["row"] >= 2 for p in problems)
    lines = [p["line"] for p in problems]
    assert any(line.startswith("b.xlsx:survey:2:relevant:") for line in lines)
    assert any(line.startswith("b.xlsx:survey:4:type:") for line in lines)
    assert len(codes) >= 4
    assert QuestionnaireVersion.objects.count() == 0


def test_a_version_is_immutable_once_used():
    version = questionnaire_version_upload(workbook=workbook_bytes(GOOD_V1, YES_NO),
                                           filename="t.xlsx")
    version.notes = "still editable"
    version.save()
    questionnaire_version_lock(version=version)
    assert version.is_locked
    version.notes = "changed after use"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert QuestionnaireVersion.objects.get(pk=version.pk).notes == "still editable"


def test_web_upload_shows_every_problem_with_its_place(client, users):
    client.force_login(users[Role.ANALYST])
    upload = SimpleUploadedFile("b.xlsx", workbook_bytes(BROKEN, YES_NO))
    response = client.post(reverse("questionnaire-upload"), {"workbook": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "problems" in html and "relevant" in html and "nowhere" in html
    assert QuestionnaireVersion.objects.count() == 0


def test_web_upload_then_version_page_and_codebook_downloads(client, users):
    client.force_login(users[Role.ANALYST])
    upload = SimpleUploadedFile("t.xlsx", workbook_bytes(GOOD_V1, YES_NO))
    response = client.post(reverse("questionnaire-upload"), {"workbook": upload})
    version = QuestionnaireVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("questionnaire-version", args=[version.pk])
    page = client.get(response["Location"]).content.decode()
    assert "incidents" in page and "${victim} = &#x27;yes&#x27;" in page
    book = client.get(reverse("questionnaire-codebook", args=[version.pk, "json"])).json()
    assert [v["name"] for v in book["variables"]] == ["employees", "victim", "incidents"]
    xlsx = client.get(reverse("questionnaire-codebook", args=[version.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["codebook"]
    assert sheet.cell(row=2, column=1).value == "employees"
    original = client.get(reverse("questionnaire-workbook", args=[version.pk]))
    assert original.content == bytes(version.workbook)
    listing = client.get(reverse("questionnaire-list")).content.decode()
    assert "Form tiny" in listing


def test_api_upload_and_detail(client, users):
    client.force_login(users[Role.ANALYST])
    upload = SimpleUploadedFile("t.xlsx", workbook_bytes(GOOD_V1, YES_NO))
    response = client.post(reverse("api-questionnaire-upload"), {"workbook": upload})
    assert response.status_code == 201, response.content
    detail = client.get(reverse("api-questionnaire-version", args=[response.json()["id"]]))
    body = detail.json()
    assert body["summary"]["questions"] == 3
    assert {v["name"] for v in body["codebook"]["variables"]} == {
        "employees", "victim", "incidents"}
    assert client.get(reverse("api-questionnaires")).json()[0]["form_id"] == "tiny"


def test_api_upload_of_a_broken_workbook_is_400_with_every_problem(client, users):
    client.force_login(users[Role.ADMIN])
    upload = SimpleUploadedFile("b.xlsx", workbook_bytes(BROKEN, YES_NO))
    response = client.post(reverse("api-questionnaire-upload"), {"workbook": upload})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "invalid_workbook" and len(error["problems"]) >= 4
    not_xlsx = SimpleUploadedFile("x.xlsx", b"this is not a workbook")
    response = client.post(reverse("api-questionnaire-upload"), {"workbook": not_xlsx})
    assert response.status_code == 400
    assert QuestionnaireVersion.objects.count() == 0


@pytest.mark.parametrize("role", list(Role))
def test_who_may_read_and_upload(client, users, role):
    client.force_login(users[role])
    readers = {Role.ANALYST, Role.ADMIN, Role.SUPERVISOR}
    authors = {Role.ANALYST, Role.ADMIN}
    assert client.get(reverse("questionnaire-list")).status_code == (
        200 if role in readers else 403)
    assert client.get(reverse("api-questionnaires")).status_code == (
        200 if role in readers else 403)
    assert client.get(reverse("questionnaire-upload")).status_code == (
        200 if role in authors else 403)
    upload = SimpleUploadedFile("t.xlsx", workbook_bytes(GOOD_V1, YES_NO))
    response = client.post(reverse("api-questionnaire-upload"), {"workbook": upload})
    assert response.status_code == (201 if role in authors else 403)


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("questionnaire-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("api-questionnaires")).status_code in (401, 403)


def test_api_upload_of_deeply_nested_groups_is_400_not_500(client, users):
    client.force_login(users[Role.ANALYST])
    depth = 1000
    survey = [["type", "name", "label"], *[["begin group", f"g{i}", "G"] for i in range(depth)],
              ["integer", "q", "Q?"], *[["end group", "", ""] for _ in range(depth)]]
    upload = SimpleUploadedFile("deep.xlsx", workbook_bytes(survey, YES_NO))
    response = client.post(reverse("api-questionnaire-upload"), {"workbook": upload})
    assert response.status_code == 400
    assert [p["code"] for p in response.json()["errors"][0]["problems"]] == ["too_deep"]


def test_warnings_do_not_stop_an_upload_and_are_kept_with_the_version():
    survey = [["type", "name", "label", "appearance"], ["integer", "n", "N?", "minimal"]]
    version = questionnaire_version_upload(workbook=workbook_bytes(survey, YES_NO),
                                           filename="w.xlsx")
    (warning,) = version.summary["warnings"]
    assert (warning["code"], warning["level"], warning["column"]) == (
        "no_effect_column", "warning", "appearance")


def test_analysts_simulate_interviews_on_the_version_page(client, users):
    version = questionnaire_version_upload(workbook=workbook_bytes(GOOD_V1, YES_NO),
                                           filename="t.xlsx")
    client.force_login(users[Role.ANALYST])
    url = reverse("questionnaire-simulation", args=[version.pk])
    assert url in client.get(reverse("questionnaire-version", args=[version.pk])).content.decode()
    assert client.get(url).status_code == 200  # the form, nothing simulated yet
    page = client.get(url, {"interviews": 20, "seed": 1, "dont_know_rate": 0.1,
                            "refused_rate": 0, "seconds_per_question": 30})
    assert page.status_code == 200
    text = page.content.decode()
    assert "20 interviews" in text and "Expected interview length" in text
    csv = client.get(url, {"interviews": 20, "seed": 1, "dont_know_rate": 0.1,
                           "refused_rate": 0, "seconds_per_question": 30, "format": "csv"})
    assert csv["Content-Type"] == "text/csv" and len(csv.content.decode().splitlines()) == 21
    assert client.get(url, {"interviews": 100000}).status_code == 200  # refused by the form
    client.force_login(users[Role.SUPERVISOR])
    assert client.get(url).status_code == 403
