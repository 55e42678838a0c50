"""The supervision API: report, release, reassign, close; role and agency checks."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from survey.models import Case, Wave
from tests.factories import make_user
from tests.survey.fieldwork_factories import take_case, wave_in_field
from tests.survey.test_supervision_selectors import A, constructed  # noqa: F401 - fixture
from tests.survey.test_supervision_services import with_replicates

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def staged(agency):
    return with_replicates(wave_in_field(agency, n_per_stratum=3, replicates=2, released=1))


def test_report_gives_rates_counts_and_productivity(constructed, users):  # noqa: F811
    response = api(users[Role.SUPERVISOR]).get(f"/api/waves/{constructed.pk}/supervision/")
    assert response.status_code == 200
    body = response.json()
    assert body["overall"]["rates"]["RR1"] == pytest.approx(1 / 3)
    assert body["overall"]["rates"]["RR3"] == pytest.approx(0.35)
    assert body["overall"]["rates"]["COOP1"] == pytest.approx(0.6)
    assert body["overall"]["rates"]["REF1"] == pytest.approx(1 / 9)
    assert body["overall"]["rates"]["CON1"] == pytest.approx(5 / 9)
    assert (body["overall"]["issued"], body["overall"]["completed"]) == (10, 3)
    strata = {row["key"]: row for row in body["by_stratum"]}
    assert (strata[A]["completed"], strata[A]["target"], strata[A]["achieved"]) == (2, 4, 0.5)
    boroughs = {row["key"]: row["label"] for row in body["by_borough"]}
    assert boroughs == {"E09000001": "City of London", "E09000033": "Westminster"}
    people = {row["username"]: row for row in body["interviewers"]}
    assert people["interviewer_a"]["calls_per_hour"] == pytest.approx(1.5)
    assert people["interviewer_a"]["refusal_rate"] == pytest.approx(1 / 3)
    assert people["interviewer_b"]["average_minutes"] == pytest.approx(40)


@pytest.mark.parametrize("role, status", [(Role.SUPERVISOR, 200), (Role.ANALYST, 200),
                                          (Role.ADMIN, 200), (Role.INTERVIEWER, 403)])
def test_report_by_role(staged, users, role, status):
    assert api(users[role]).get(f"/api/waves/{staged.pk}/supervision/").status_code == status


def test_report_needs_login_and_hides_other_agencies(staged, other_agency):
    assert APIClient().get(f"/api/waves/{staged.pk}/supervision/").status_code in (401, 403)
    outsider = make_user(Role.SUPERVISOR, agency=other_agency)
    assert api(outsider).get(f"/api/waves/{staged.pk}/supervision/").status_code == 404
    assert api(outsider).post(f"/api/waves/{staged.pk}/release-replicate/").status_code == 404
    case = staged.cases.first()
    assert api(outsider).post(f"/api/cases/{case.pk}/close/").status_code == 404


def test_release_through_the_api(staged, users):
    response = api(users[Role.SUPERVISOR]).post(f"/api/waves/{staged.pk}/release-replicate/")
    assert response.status_code == 200
    assert (response.json()["replicate"], response.json()["cases_added"]) == (2, 6)
    assert staged.cases.count() == 12
    again = api(users[Role.SUPERVISOR]).post(f"/api/waves/{staged.pk}/release-replicate/")
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "no_replicate_left"
    assert api(users[Role.INTERVIEWER]).post(
        f"/api/waves/{staged.pk}/release-replicate/").status_code == 403


def test_reassign_through_the_api(staged, users, agency, other_agency):
    second = make_user(Role.INTERVIEWER, agency=agency)
    case = take_case(staged, users[Role.INTERVIEWER])
    url = f"/api/cases/{case.pk}/reassign/"
    response = api(users[Role.SUPERVISOR]).post(url, {"interviewer": second.pk}, format="json")
    assert response.status_code == 200
    assert response.json()["reserved_for"] == second.pk and response.json()["claim_cleared"]
    outsider = make_user(Role.INTERVIEWER, agency=other_agency)
    bad = api(users[Role.SUPERVISOR]).post(url, {"interviewer": outsider.pk}, format="json")
    assert bad.status_code == 400 and "interviewer" in bad.json()
    assert api(users[Role.SUPERVISOR]).post(url, {}, format="json").status_code == 400
    assert api(users[Role.ANALYST]).post(url, {"interviewer": None},
                                         format="json").status_code == 403
    cleared = api(users[Role.ADMIN]).post(url, {"interviewer": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["reserved_for"] is None


def test_close_case_and_wave_through_the_api(staged, users):
    case = staged.cases.first()
    response = api(users[Role.SUPERVISOR]).post(f"/api/cases/{case.pk}/close/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["final_code"]) == ("final", "3.11")
    assert api(users[Role.SUPERVISOR]).post(f"/api/cases/{case.pk}/close/").status_code == 409
    response = api(users[Role.SUPERVISOR]).post(f"/api/waves/{staged.pk}/close/")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert set(Case.objects.filter(wave=staged).values_list("status", flat=True)) \
        == {"final", "closed"}


def test_open_a_wave_through_the_api(agency, users):
    wave = wave_in_field(agency, open_field=False)
    assert api(users[Role.INTERVIEWER]).post(f"/api/waves/{wave.pk}/open/").status_code == 403
    response = api(users[Role.ADMIN]).post(f"/api/waves/{wave.pk}/open/")
    assert response.status_code == 200
    wave.refresh_from_db()
    assert wave.status == Wave.Status.IN_FIELD


def test_the_schema_documents_the_supervision_endpoints(users):
    response = api(users[Role.ADMIN]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/waves/{id}/supervision/", "/api/waves/{id}/release-replicate/",
                 "/api/cases/{id}/reassign/", "/api/cases/{id}/close/"):
        assert path in paths, path
