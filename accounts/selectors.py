"""Read queries for agencies and users."""

from django.db.models import Count, QuerySet

from accounts.models import Agency, User
from accounts.permissions import scope_to_agency


def agency_list(*, user: User) -> QuerySet[Agency]:
    """Agencies the user may see, with their number of users."""
    visible = Agency.objects.all()
    if not (user.is_superuser or user.groups.filter(name__in=["analyst", "admin"]).exists()):
        visible = visible.filter(pk=user.agency_id)
    return visible.annotate(user_count=Count("users")).order_by("name")


def team_list(*, user: User, include_inactive: bool = False) -> QuerySet[User]:
    """The users of the agencies the viewer may see, with their roles prefetched."""
    users = User.objects.all() if include_inactive else User.objects.filter(is_active=True)
    return (
        scope_to_agency(users, user)
        .select_related("agency")
        .prefetch_related("groups")
        .order_by("agency__name", "-is_active", "username")
    )


def team_member_get(*, user: User, member_id: int) -> User | None:
    """A user of an agency the viewer may see (None: not there, or another agency's)."""
    return team_list(user=user, include_inactive=True).filter(pk=member_id).first()


def agency_fieldwork_choices() -> QuerySet[Agency]:
    return Agency.objects.filter(is_commissioner=False).order_by("name")
