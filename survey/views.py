from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from survey import selectors
from survey.permissions import role_required, user_roles
from survey.roles import Role


@login_required
def home(request):
    return render(request, "home.html", {"user_roles": sorted(user_roles(request.user))})


@role_required(Role.SUPERVISOR, Role.ADMIN)
def team(request):
    """A supervisor's team: the users of their agency and their roles."""
    return render(request, "survey/team.html", {"members": selectors.team_list(user=request.user)})


@role_required(Role.ANALYST, Role.ADMIN)
def agencies(request):
    """MOPAC's view of the contracted agencies."""
    return render(
        request, "survey/agencies.html", {"agencies": selectors.agency_list(user=request.user)}
    )
