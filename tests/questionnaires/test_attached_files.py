"""Issue 15: questionnaire uploads (web and API) attach CSV files besides the workbook, for
select_one_from_file, select_multiple_from_file and pulldata(): each bounded, stored with the
version and used in interviews; a file a row names but not attached is an error naming the row
and column, an attached file no row reads a warning."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from questionnaires.attached_files import AttachedFileError
from questionnaires.models import QuestionnaireFile, QuestionnaireVersion
from questionnaires.services import QuestionnaireUploadError, questionnaire_version_upload
from tests.questionnaires.helpers import YES_NO, build_xlsx

pytestmark = pytest.mark.django_db

SURVEY = [["type", "name", "label", "calculation"],
          ["select_one_from_file areas.csv", "area", "Which area?", ""],
          ["calculate", "area_code", "", "pulldata('codes', 'code', 'name', ${area})"],
          ["text", "why", "Why ${area_code}?", ""]]
AREAS = b"name,label\nnorth,North of the river\nsouth,South of the river\n"
CODES = b"name,code\nnorth,N1\nsouth,S2\n"
SETTINGS = [["form_id", "version"], ["with_files", "1"]]
WORKBOOK = build_xlsx(SURVEY, YES_NO, SETTINGS)


def csv(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx() -> SimpleUploadedFile:
    return SimpleUploadedFile("with_files.xlsx", WORKBOOK)


@pytest.fixture
def analyst_client(client, users):
    client.force_login(users[Role.ANALYST])
    return client


def test_the_upload_page_takes_several_csv_files(analyst_client):
    response = analyst_client.post(reverse("questionnaire-upload"), {
        "workbook": xlsx(), "files": [csv("areas.csv", AREAS), csv("codes.csv", CODES)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    version = QuestionnaireVersion.objects.get()
    assert {(f.filename, bytes(f.content)) for f in version.files.all()} == {
        ("areas.csv", AREAS), ("codes.csv", CODES)}
    assert version.summary["warnings"] == []
    page = analyst_client.get(reverse("questionnaire-version", args=[version.pk]))
    assert "<code>areas.csv</code>" in page.content.decode()
    assert 'multiple' in analyst_client.get(reverse("questionnaire-upload")).content.decode()


def test_the_api_takes_a_multipart_upload_with_extra_files(analyst_client):
    response = analyst_client.post(reverse("api-questionnaire-upload"), {
        "workbook": xlsx(), "files": [csv("areas.csv", AREAS), csv("codes.csv", CODES)]})
    assert response.status_code == 201, response.content
    assert sorted(f["filename"] for f in response.json()["files"]) == ["areas.csv", "codes.csv"]


def test_a_file_named_but_not_attached_is_an_error_at_its_row_and_column(analyst_client):
    response = analyst_client.post(reverse("api-questionnaire-upload"), {
        "workbook": xlsx(), "files": [csv("areas.csv", AREAS)]})
    assert response.status_code == 400
    problems = response.json()["errors"][0]["problems"]
    assert [(p["code"], p["row"], p["column"]) for p in problems] == [
        ("missing_file", 3, "calculation")]
    assert "'codes.csv' is not attached" in problems[0]["message"]
    assert not QuestionnaireVersion.objects.exists()
    page = analyst_client.post(reverse("questionnaire-upload"), {"workbook": xlsx()})
    assert page.status_code == 400
    text = page.content.decode()
    assert "&#x27;areas.csv&#x27; is not attached" in text
    assert "&#x27;codes.csv&#x27; is not attached" in text


def test_an_attached_file_no_row_reads_is_a_warning():
    version = questionnaire_version_upload(
        workbook=WORKBOOK, filename="w.xlsx",
        files=[("areas.csv", AREAS), ("codes.csv", CODES), ("spare.csv", b"a,b\n1,2\n")])
    warnings = version.summary["warnings"]
    assert [(w["code"], w["sheet"]) for w in warnings] == [("unused_file", "spare.csv")]
    assert "attached but no row reads it" in warnings[0]["message"]
    assert QuestionnaireFile.objects.filter(version=version).count() == 3


@pytest.mark.parametrize(("files", "code"), [
    ([("areas.txt", AREAS)], "invalid_attached_file"),
    ([("areas.csv", AREAS), ("sub/areas.csv", AREAS)], "invalid_attached_file"),
    ([("areas.csv", b"x" + b",x" * 300 + b"\n")], "upload_limit"),
    ([(f"f{n}.csv", b"a\n") for n in range(21)], "too_many_files"),
])
def test_each_file_is_bounded_and_named_once(files, code):
    with pytest.raises(Exception) as caught:
        questionnaire_version_upload(workbook=WORKBOOK, filename="w.xlsx", files=files)
    assert caught.value.code == code
    assert not QuestionnaireVersion.objects.exists()


def test_a_bad_file_through_the_api_is_a_400_naming_it(analyst_client):
    response = analyst_client.post(reverse("api-questionnaire-upload"), {
        "workbook": xlsx(), "files": [csv("areas.exe", AREAS)]})
    assert response.status_code == 400
    assert "areas.exe" in response.json()["errors"][0]["message"]


def test_interviews_read_the_attached_files(agency, users, monkeypatch):
    from survey.services.interviews import answer_submit, interview_start_or_resume
    from tests.survey.fieldwork_factories import OPEN_NOW, take_case, wave_with_form

    monkeypatch.setattr(timezone, "now", lambda: OPEN_NOW)
    me = users[Role.INTERVIEWER]
    wave = wave_with_form(agency, SURVEY, YES_NO, SETTINGS,
                          files={"areas.csv": AREAS, "codes.csv": CODES})
    state, _ = interview_start_or_resume(case=take_case(wave, me), user=me, now=OPEN_NOW)
    assert [(c.name, c.label) for c in state.prompt.choices] == [
        ("north", "North of the river"), ("south", "South of the river")]
    saved = answer_submit(interview=state.interview, user=me, event_id=uuid.uuid4(),
                          path="area", value="south", now=OPEN_NOW)
    assert saved.state.prompt.label == "Why S2?"


def test_errors_are_the_projects_errors():
    assert issubclass(AttachedFileError, Exception)
    with pytest.raises(QuestionnaireUploadError):
        questionnaire_version_upload(workbook=WORKBOOK, filename="w.xlsx")
