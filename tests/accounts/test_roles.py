"""What each role may see, and what it gets when it may not (403, or login for anonymous)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Agency
from accounts.permissions import can_see_agency, has_role, scope_to_agency, user_roles
from accounts.roles import Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PAGES = {
    "home": {Role.INTERVIEWER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN},
    "team": {Role.SUPERVISOR, Role.ADMIN},
    "agencies": {Role.ANALYST, Role.ADMIN},
    "admin:index": {Role.ADMIN},
}
APIS = {
    "api-me": {Role.INTERVIEWER, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN},
    "api-agencies": {Role.ANALYST, Role.ADMIN},
}


def test_data_migration_creates_the_four_roles_and_mopac():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    assert Agency.objects.filter(is_commissioner=True).count() == 1


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_pages_by_role(client, users, role, name):
    client.force_login(users[role])
    response = client.get(reverse(name))
    if role in PAGES[name]:
        assert response.status_code == 200
    elif name == "admin:index":
        # Django's admin sends users it refuses to its own login page.
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", ["home", "team", "agencies"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", APIS)
@pytest.mark.parametrize("role", list(Role))
def test_api_by_role(client, users, role, name):
    client.force_login(users[role])
    response = client.get(reverse(name))
    assert response.status_code == (200 if role in APIS[name] else 403)


@pytest.mark.parametrize("name", APIS)
def test_api_refuses_anonymous(client, name):
    assert client.get(reverse(name)).status_code in (401, 403)


def test_user_without_role_sees_home_but_nothing_else(client, agency):
    user = make_user(None, agency=agency)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("team")).status_code == 403
    assert client.get(reverse("api-agencies")).status_code == 403


def test_login_and_logout_pages(client, users):
    user = users[Role.INTERVIEWER]
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused(client, users):
    response = client.post(
        reverse("login"), {"username": users[Role.ANALYST].username, "password": "nope"}
    )
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_api_me_names_agency_and_roles(client, users):
    client.force_login(users[Role.SUPERVISOR])
    body = client.get(reverse("api-me")).json()
    assert body["roles"] == ["supervisor"]
    assert body["agency"] == users[Role.SUPERVISOR].agency.name


def test_supervisor_team_shows_only_own_agency(client, users, other_agency):
    outsider = make_user(Role.INTERVIEWER, agency=other_agency, username="outsider")
    client.force_login(users[Role.SUPERVISOR])
    content = client.get(reverse("team")).content.decode()
    assert users[Role.INTERVIEWER].username in content
    assert outsider.username not in content


def test_agency_scope_helpers(users, agency, other_agency):
    interviewer, analyst = users[Role.INTERVIEWER], users[Role.ANALYST]
    assert can_see_agency(interviewer, agency.id)
    assert not can_see_agency(interviewer, other_agency.id)
    assert can_see_agency(analyst, other_agency.id)
    from accounts.models import User

    everyone = User.objects.all()
    assert {u.agency_id for u in scope_to_agency(everyone, interviewer)} == {agency.id}
    assert scope_to_agency(everyone, analyst).count() == everyone.count()
    assert scope_to_agency(everyone, make_user(None, agency=agency)).count() == 0
    assert has_role(users[Role.ADMIN], Role.ADMIN)
    assert user_roles(users[Role.ANALYST]) == {Role.ANALYST}


def test_superuser_counts_as_admin(db):
    from accounts.models import User

    root = User.objects.create_superuser("root", password=PASSWORD)
    assert root.agency.is_commissioner
    assert has_role(root, Role.ADMIN)


def test_admin_group_holds_every_permission():
    from django.contrib.auth.models import Permission

    assert Group.objects.get(name="admin").permissions.count() == Permission.objects.count()
