"""A supervisor's team: adding, deactivating and resetting the passwords of their own agency's
interviewers, on the page and through the API; never another agency's users (404), never a
supervisor's, analyst's or admin's account (403); every change audited."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.errors import AccountsError, NotManagedBySupervisor, TeamMemberNotFound
from accounts.models import AuditEvent, User
from accounts.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db
GOOD = "Tangerine-Lamp-73"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_supervisor_adds_an_interviewer_to_their_own_agency(users, agency, other_agency):
    boss = users[Role.SUPERVISOR]
    user = services.team_interviewer_add(by=boss, username="new_int", password=GOOD,
                                         first_name="Ada", agency=other_agency)
    assert user.agency == agency  # a supervisor cannot place them elsewhere
    assert sorted(user.groups.values_list("name", flat=True)) == ["interviewer"]
    assert user.check_password(GOOD) and user.is_active and not user.is_staff
    event = AuditEvent.objects.get(detail__team="interviewer_add")
    assert event.username == boss.username and event.object_id == str(user.pk)
    assert GOOD not in str(event.detail)


@pytest.mark.parametrize(("username", "password", "message"), [
    ("", GOOD, "Username: This field cannot be blank."),
    ("user with spaces", GOOD, "Username: Enter a valid username."),
    ("fresh", "", "Password: enter a password for the interviewer's first login."),
    ("fresh", "short", "Password: This password is too short. It must contain at least 8 "
                       "characters."),
    ("fresh", "12345678", "Password: This password is too common. This password is entirely "
                          "numeric."),
])
def test_adding_reports_each_problem_in_plain_words(users, username, password, message):
    with pytest.raises(AccountsError) as caught:
        services.team_interviewer_add(by=users[Role.SUPERVISOR], username=username,
                                      password=password)
    assert caught.value.message.startswith(message.split(" Enter")[0])
    assert message.split(":")[0] in caught.value.message
    assert not User.objects.filter(username=username or "fresh").exists()


def test_a_taken_username_is_said_plainly(users):
    with pytest.raises(AccountsError) as caught:
        services.team_interviewer_add(by=users[Role.SUPERVISOR],
                                      username=users[Role.ANALYST].username, password=GOOD)
    assert caught.value.message == "Username: That username is already taken; choose another."


def test_deactivate_reactivate_and_reset_the_password(users):
    boss, member = users[Role.SUPERVISOR], users[Role.INTERVIEWER]
    services.team_interviewer_set_active(by=boss, user_id=member.pk, active=False)
    member.refresh_from_db()
    assert not member.is_active
    services.team_interviewer_set_active(by=boss, user_id=member.pk, active=True)
    services.team_interviewer_password_reset(by=boss, user_id=member.pk, password=GOOD)
    member.refresh_from_db()
    assert member.is_active and member.check_password(GOOD)
    assert [e.detail["team"] for e in AuditEvent.objects.filter(
        detail__team__isnull=False).order_by("pk")] == [
        "interviewer_deactivate", "interviewer_activate", "interviewer_password_reset"]


def test_never_another_agencys_user_nor_a_staff_account(users, other_agency):
    boss = users[Role.SUPERVISOR]
    outsider = make_user(Role.INTERVIEWER, agency=other_agency)
    with pytest.raises(TeamMemberNotFound):
        services.team_interviewer_set_active(by=boss, user_id=outsider.pk, active=False)
    with pytest.raises(TeamMemberNotFound):
        services.team_interviewer_password_reset(by=boss, user_id=outsider.pk, password=GOOD)
    colleague = make_user(Role.SUPERVISOR, agency=boss.agency)
    for target in (colleague, users[Role.ANALYST], users[Role.ADMIN]):
        with pytest.raises((NotManagedBySupervisor, TeamMemberNotFound)):
            services.team_interviewer_password_reset(by=boss, user_id=target.pk, password=GOOD)
    with pytest.raises(NotManagedBySupervisor) as caught:
        services.team_interviewer_set_active(by=boss, user_id=colleague.pk, active=False)
    assert caught.value.http_status == 403
    assert all(u.is_active for u in User.objects.all())


def test_deactivating_frees_the_interviewers_cases(users, agency):
    from tests.survey.fieldwork_factories import take_case, wave_in_field

    member = users[Role.INTERVIEWER]
    case = take_case(wave_in_field(agency), member)
    services.team_interviewer_set_active(by=users[Role.SUPERVISOR], user_id=member.pk,
                                         active=False)
    case.refresh_from_db()
    assert case.assigned_to_id is None


def test_the_team_page_adds_and_manages_interviewers(users, other_agency):
    boss = client_for(users[Role.SUPERVISOR])
    page = boss.get(reverse("team"))
    assert page.status_code == 200 and "Add an interviewer" in page.text
    response = boss.post(reverse("team-add"), {"username": "int_new", "password": GOOD,
                                               "first_name": "Grace"})
    assert response.status_code == 302
    new = User.objects.get(username="int_new")
    page = boss.post(reverse("team-add"), {"username": "int_new", "password": "x"})
    assert page.status_code == 400
    assert "That username is already taken" in page.text and "too short" in page.text
    assert 'value="int_new"' in page.text  # what was typed is kept
    boss.post(reverse("team-deactivate", args=[new.pk]))
    assert not User.objects.get(pk=new.pk).is_active
    assert "deactivated" in boss.get(reverse("team")).text
    boss.post(reverse("team-activate", args=[new.pk]))
    boss.post(reverse("team-password", args=[new.pk]), {"password": "Other-Lamp-99"})
    new.refresh_from_db()
    assert new.is_active and new.check_password("Other-Lamp-99")
    outsider = make_user(Role.INTERVIEWER, agency=other_agency)
    assert boss.post(reverse("team-deactivate", args=[outsider.pk])).status_code == 404
    colleague = make_user(Role.SUPERVISOR, agency=users[Role.SUPERVISOR].agency)
    assert boss.post(reverse("team-deactivate", args=[colleague.pk])).status_code == 403
    assert User.objects.get(pk=colleague.pk).is_active


def test_the_team_api(users, other_agency):
    boss = client_for(users[Role.SUPERVISOR])
    created = boss.post(reverse("api-team"), {"username": "api_int", "password": GOOD},
                        content_type="application/json")
    assert created.status_code == 201
    assert created.json()["roles"] == ["interviewer"] and "password" not in created.json()
    listed = {m["username"] for m in boss.get(reverse("api-team")).json()}
    assert {"api_int", users[Role.INTERVIEWER].username} <= listed
    pk = created.json()["id"]
    gone = boss.post(reverse("api-team-deactivate", args=[pk]))
    assert gone.status_code == 200 and gone.json()["is_active"] is False
    bad = boss.post(reverse("api-team-password", args=[pk]), {"password": "short"},
                    content_type="application/json")
    assert bad.status_code == 400 and "too short" in bad.json()["errors"][0]["message"]
    outsider = make_user(Role.INTERVIEWER, agency=other_agency)
    assert boss.post(reverse("api-team-activate", args=[outsider.pk])).status_code == 404
    interviewer = client_for(users[Role.INTERVIEWER])
    assert interviewer.post(reverse("api-team"), {"username": "x", "password": GOOD},
                            content_type="application/json").status_code == 403


def test_one_username_taken_twice_at_once_is_said_plainly(users, monkeypatch):
    services.team_interviewer_add(by=users[Role.SUPERVISOR], username="twin", password=GOOD)
    monkeypatch.setattr(User, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(AccountsError) as caught:
        services.team_interviewer_add(by=users[Role.SUPERVISOR], username="twin",
                                      password=GOOD)
    assert caught.value.message == "Username: That username is already taken; choose another."
    assert User.objects.filter(username="twin").count() == 1
