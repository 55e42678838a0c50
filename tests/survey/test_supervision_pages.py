"""Supervisors' pages: who may see them, what they show, and the actions (POST, CSRF)."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.roles import Role
from survey.models import Case, Wave
from tests.factories import make_user
from tests.survey.fieldwork_factories import take_case, wave_in_field
from tests.survey.test_supervision_selectors import A, constructed  # noqa: F401 - fixture
from tests.survey.test_supervision_services import with_replicates

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staged(agency):
    return with_replicates(wave_in_field(agency, n_per_stratum=3, replicates=2, released=1))


@pytest.fixture
def elsewhere(other_agency):
    return wave_in_field(other_agency, name="Elsewhere wave", n_per_stratum=1)


def test_index_lists_the_waves_a_user_may_supervise(staged, elsewhere, users, other_agency):
    page = client_for(users[Role.SUPERVISOR]).get(reverse("supervision-home"))
    assert page.status_code == 200
    assert staged.name in page.text and elsewhere.name not in page.text
    page = client_for(users[Role.ANALYST]).get(reverse("supervision-home"))
    assert staged.name in page.text and elsewhere.name in page.text


@pytest.mark.parametrize("role, status", [(Role.SUPERVISOR, 200), (Role.ANALYST, 200),
                                          (Role.ADMIN, 200), (Role.INTERVIEWER, 403)])
def test_wave_page_by_role(staged, users, role, status):
    url = reverse("supervision-wave", args=[staged.pk])
    assert client_for(users[role]).get(url).status_code == status
    assert client_for(users[role]).get(reverse("supervision-home")).status_code == status
    cases = reverse("supervision-cases", args=[staged.pk])
    assert client_for(users[role]).get(cases).status_code == status


def test_another_agency_wave_is_not_found(elsewhere, users):
    for name in ("supervision-wave", "supervision-cases"):
        url = reverse(name, args=[elsewhere.pk])
        assert client_for(users[Role.SUPERVISOR]).get(url).status_code == 404


def test_anonymous_users_go_to_the_login_page(staged):
    response = Client().get(reverse("supervision-wave", args=[staged.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_wave_page_shows_counts_rates_and_interviewers(constructed, users):  # noqa: F811
    page = client_for(users[Role.SUPERVISOR]).get(
        reverse("supervision-wave", args=[constructed.pk])).text
    assert '<tr data-rate="RR1"><th>RR1</th><td>33.3%</td>' in page
    assert '<tr data-rate="RR3"><th>RR3</th><td>35.0%</td>' in page
    assert '<tr data-rate="COOP1"><th>COOP1</th><td>60.0%</td>' in page
    assert '<tr data-rate="CON1"><th>CON1</th><td>55.6%</td>' in page
    assert f'<tr data-key="{A}">' in page and "City of London" in page
    assert "interviewer_a" in page and "25.0 min" in page
    assert "Release replicate" not in page  # every replicate is out


def test_release_via_the_page_adds_cases_to_the_wave(staged, users):
    client = client_for(users[Role.SUPERVISOR])
    page = client.get(reverse("supervision-wave", args=[staged.pk])).text
    assert "Release replicate 2" in page
    response = client.post(reverse("supervision-release", args=[staged.pk]), follow=True)
    assert "Released replicate 2: 6 new cases." in response.text
    assert staged.cases.count() == 12
    assert "replicate_release" in response.text  # the supervision log
    response = client.post(reverse("supervision-release", args=[staged.pk]), follow=True)
    assert "already released" in response.text and staged.cases.count() == 12


def test_actions_need_post_and_csrf(staged, users):
    url = reverse("supervision-release", args=[staged.pk])
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.SUPERVISOR])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert staged.cases.count() == 6


def test_interviewers_may_not_act_and_analysts_only_release(staged, users):
    case = staged.cases.first()
    interviewer = client_for(users[Role.INTERVIEWER])
    for url in (reverse("supervision-release", args=[staged.pk]),
                reverse("supervision-wave-close", args=[staged.pk]),
                reverse("supervision-case-close", args=[case.pk]),
                reverse("supervision-case-reassign", args=[case.pk])):
        assert interviewer.post(url).status_code == 403
    analyst = client_for(users[Role.ANALYST])
    assert analyst.post(reverse("supervision-case-close", args=[case.pk])).status_code == 403
    assert analyst.post(reverse("supervision-release", args=[staged.pk])).status_code == 302
    assert staged.cases.count() == 12


def test_acting_on_another_agency_is_not_found(elsewhere, users):
    client = client_for(users[Role.SUPERVISOR])
    case = elsewhere.cases.first()
    assert client.post(reverse("supervision-release", args=[elsewhere.pk])).status_code == 404
    assert client.post(reverse("supervision-case-close", args=[case.pk])).status_code == 404
    assert client.post(reverse("supervision-case-reassign", args=[case.pk]),
                       {"interviewer": ""}).status_code == 404


def test_reassign_via_the_page(staged, users, agency, other_agency):
    second = make_user(Role.INTERVIEWER, agency=agency)
    case = take_case(staged, users[Role.INTERVIEWER])
    client = client_for(users[Role.SUPERVISOR])
    url = reverse("supervision-case-reassign", args=[case.pk])
    cases_page = reverse("supervision-cases", args=[staged.pk])
    response = client.post(url, {"interviewer": second.pk, "next": cases_page + "?page=1"})
    assert response.status_code == 302 and response.url == cases_page + "?page=1"
    case.refresh_from_db()
    assert case.reserved_for == second and case.assigned_to is None
    outsider = make_user(Role.INTERVIEWER, agency=other_agency)
    response = client.post(url, {"interviewer": outsider.pk}, follow=True)
    assert "is not an interviewer of" in response.text
    case.refresh_from_db()
    assert case.reserved_for == second
    client.post(url, {"interviewer": "", "next": "https://example.org/"})
    case.refresh_from_db()
    assert case.reserved_for is None


def test_close_a_case_and_the_wave_via_the_page(staged, users):
    client = client_for(users[Role.SUPERVISOR])
    case = staged.cases.order_by("pk").first()
    response = client.post(reverse("supervision-case-close", args=[case.pk]), follow=True)
    assert f"Case {case.pk} closed as 3.11." in response.text
    case.refresh_from_db()
    assert (case.status, case.final_code) == (Case.Status.FINAL, "3.11")
    response = client.post(reverse("supervision-wave-close", args=[staged.pk]), follow=True)
    assert "is closed" in response.text
    staged.refresh_from_db()
    assert staged.status == Wave.Status.CLOSED
    assert AuditEvent.objects.filter(detail__supervision="wave_close",
                                     user=users[Role.SUPERVISOR]).count() == 1


def test_cases_page_filters_and_offers_reassign_to_agency_interviewers(staged, users):
    page = client_for(users[Role.SUPERVISOR]).get(
        reverse("supervision-cases", args=[staged.pk]), {"stratum": A}).text
    assert page.count("<tr data-case=") == 3
    assert f">{users[Role.INTERVIEWER].username}</option>" in page
    page = client_for(users[Role.ANALYST]).get(
        reverse("supervision-cases", args=[staged.pk])).text
    assert page.count("<tr data-case=") == 6 and "Reassign</button>" not in page


@pytest.mark.parametrize("first_name", ["Bob {Smith}", "{result.__class__.__init__}",
                                        "{0}", "%(x)s"])
def test_a_name_with_braces_is_shown_as_written_never_formatted(staged, users, agency,
                                                               first_name):
    """Issue 18, item 2: the reassignment message built a template from the name."""
    named = make_user(Role.INTERVIEWER, agency=agency, first_name=first_name, last_name="")
    case = take_case(staged, users[Role.INTERVIEWER])
    client = client_for(users[Role.SUPERVISOR])
    response = client.post(reverse("supervision-case-reassign", args=[case.pk]),
                           {"interviewer": named.pk}, follow=True)
    assert response.status_code == 200
    assert f"reserved for {first_name}." in response.text.replace("&#x27;", "'")
    assert "function" not in response.text and "SECRET" not in response.text
