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


def team_list(*, user: User) -> QuerySet[User]:
    """The users of the agencies the viewer may see, with their roles prefetched."""
    return (
        scope_to_agency(User.objects.filter(is_active=True), user)
        .select_related("agency")
        .prefetch_related("groups")
        .order_by("agency__name", "username")
    )
