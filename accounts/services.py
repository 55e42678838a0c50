"""Services that write: agencies and users."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from accounts.models import Agency, User
from accounts.roles import Role


def agency_create(*, name: str, code: str = "", is_commissioner: bool = False) -> Agency:
    agency = Agency(name=name, code=code or slugify(name)[:40], is_commissioner=is_commissioner)
    agency.full_clean()
    agency.save()
    return agency


@transaction.atomic
def user_create(
    *,
    username: str,
    agency: Agency,
    roles: list[Role | str],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a user in `agency` holding `roles`; an admin may use the Django admin."""
    wanted = [Role(role) for role in roles]
    user = User(
        username=username,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=Role.ADMIN in wanted,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[role.value for role in wanted]))
    return user
