from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import roles, selectors
from accounts.permissions import role_required, user_roles
from accounts.views.team import team_page


@login_required
def home(request):
    return render(request, "home.html", {"user_roles": sorted(user_roles(request.user))})


@role_required(*roles.SUPERVISORS)
def team(request):
    """A supervisor's team: the users of their agency and their roles, and the forms that
    add, deactivate and reset the passwords of its interviewers."""
    return team_page(request)


@role_required(*roles.ANALYSTS)
def agencies(request):
    """MOPAC's view of the contracted agencies."""
    return render(
        request, "accounts/agencies.html", {"agencies": selectors.agency_list(user=request.user)}
    )
