"""A supervisor's team page actions: add an interviewer to their agency, deactivate or bring
back an interviewer, give one a new password. Each calls one service in accounts.services;
another agency's user is a 404, a supervisor's, analyst's or admin's account a 403.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import roles, selectors, services
from accounts.errors import AccountsError
from accounts.permissions import has_role, role_required, user_roles
from accounts.roles import Role
from bas.errors import BasError
from bas.web_errors import rerender_on_error

MANAGERS = roles.SUPERVISORS


def team_page(request, *, error: BasError | None = None, form: dict | None = None,
              failed_member: int | None = None) -> HttpResponse:
    members = selectors.team_list(user=request.user, include_inactive=True)
    rows = []
    for member in members:
        held = sorted(group.name for group in member.groups.all())
        rows.append({"user": member, "roles": held,
                     "manageable": held == [Role.INTERVIEWER.value] and not member.is_staff
                     and member.pk != request.user.pk})
    problems = []
    if isinstance(error, AccountsError) and "problems" in error.fields:
        problems = [p["message"] for p in error.fields["problems"]]
    elif error is not None:
        problems = [error.message]
    return render(request, "accounts/team.html", {
        "members": rows, "form": form or {}, "problems": problems,
        "failed_member": failed_member, "is_admin": has_role(request.user, Role.ADMIN),
        "agencies": selectors.agency_fieldwork_choices(),
        "viewer_roles": sorted(user_roles(request.user)),
    }, status=error.http_status if error is not None else 200)


def _member(request, user_id: int):
    member = selectors.team_member_get(user=request.user, member_id=user_id)
    if member is None:
        raise Http404(f"user {user_id} not found")
    return member


@require_POST
@role_required(*MANAGERS)
def interviewer_add(request):
    form = {key: request.POST.get(key, "") for key in (
        "username", "first_name", "last_name", "email", "agency")}
    rerender_on_error(request, lambda error: team_page(request, error=error, form=form))
    agency = None
    if has_role(request.user, Role.ADMIN) and form["agency"].isdigit():
        agency = selectors.agency_fieldwork_choices().filter(pk=int(form["agency"])).first()
    user = services.team_interviewer_add(
        by=request.user, username=form["username"], password=request.POST.get("password", ""),
        first_name=form["first_name"], last_name=form["last_name"], email=form["email"],
        agency=agency)
    messages.success(request, f"{user.username} can now log in as an interviewer of "
                              f"{user.agency}.")
    return redirect("team")


def _set_active(request, user_id: int, *, active: bool, done: str):
    member = _member(request, user_id)
    rerender_on_error(request, lambda error: team_page(request, error=error))
    services.team_interviewer_set_active(by=request.user, user_id=member.pk, active=active)
    messages.success(request, member.username + done)
    return redirect("team")


@require_POST
@role_required(*MANAGERS)
def interviewer_deactivate(request, user_id: int):
    return _set_active(request, user_id, active=False,
                       done=" can no longer log in; the cases they held are back in the queue "
                            "and their interviews are kept.")


@require_POST
@role_required(*MANAGERS)
def interviewer_activate(request, user_id: int):
    return _set_active(request, user_id, active=True, done=" can log in again.")


@require_POST
@role_required(*MANAGERS)
def interviewer_password(request, user_id: int):
    member = _member(request, user_id)
    rerender_on_error(request, lambda error: team_page(request, error=error,
                                                       failed_member=member.pk))
    services.team_interviewer_password_reset(by=request.user, user_id=member.pk,
                                             password=request.POST.get("password", ""))
    messages.success(request, f"{member.username} has a new password: give it to them in "
                              "person, never by email.")
    return redirect("team")
