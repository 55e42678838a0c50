"""The demo's agency and users, one per role (synthetic people, printed logins)."""

from dataclasses import dataclass

from django.contrib.auth.models import Group

from accounts.models import Agency, User
from accounts.roles import Role
from accounts.services import agency_create, user_create

DEMO_AGENCY_NAME = "Northbank Research Ltd (synthetic demo agency)"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    agency: str


DEMO_PEOPLE = [
    ("demo_interviewer", "Ivy", "Interviewer", Role.INTERVIEWER),
    ("demo_supervisor", "Sam", "Supervisor", Role.SUPERVISOR),
    ("demo_analyst", "Ana", "Analyst", Role.ANALYST),
    ("demo_admin", "Ada", "Admin", Role.ADMIN),
]


def ensure_demo_users() -> list[DemoLogin]:
    """Create (or reset) the demo agency and one user per role; return their logins."""
    agency = Agency.objects.filter(name=DEMO_AGENCY_NAME).first() or agency_create(
        name=DEMO_AGENCY_NAME, code="northbank-demo"
    )
    mopac = Agency.objects.filter(is_commissioner=True).first() or agency_create(
        name="Mayor's Office for Policing and Crime", code="mopac", is_commissioner=True)
    for role in Role:  # created by a migration; recreated if the database was flushed
        Group.objects.get_or_create(name=role.value)
    logins = []
    for username, first, last, role in DEMO_PEOPLE:
        home = mopac if role in (Role.ANALYST, Role.ADMIN) else agency
        password = f"{username}-2026!"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username, agency=home, roles=[role], password=password,
                first_name=first, last_name=last,
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        logins.append(DemoLogin(username, password, role, home.name))
    return logins
