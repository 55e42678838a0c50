"""The one place where roles and agency scope are checked.

Every view, API endpoint and service asks here: `has_role` for what a user may do,
`can_see_agency` / `scope_to_agency` for whose data they may see. Views use
`role_required` (functions) or `RoleRequiredMixin` (classes); the API uses `HasRole`.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from rest_framework.permissions import BasePermission

from accounts.roles import MOPAC_ROLES, Role


def user_roles(user: Any) -> frozenset[Role]:
    """The roles a user holds (a superuser holds the admin role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_bas_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        if user.is_superuser:
            cached = cached | {Role.ADMIN}
        user._bas_roles = cached
    return cached


def has_role(user: Any, *roles: Role | str) -> bool:
    """True when the user holds at least one of `roles`."""
    wanted = {Role(role) for role in roles}
    return bool(user_roles(user) & wanted)


def can_see_all_agencies(user: Any) -> bool:
    """MOPAC's analysts and admins see every agency's data; fieldwork roles only their own."""
    return bool(user_roles(user) & MOPAC_ROLES)


def can_see_agency(user: Any, agency_id: int | None) -> bool:
    if not user_roles(user):
        return False
    return can_see_all_agencies(user) or agency_id == user.agency_id


def scope_to_agency(queryset: QuerySet, user: Any, agency_field: str = "agency") -> QuerySet:
    """Restrict a queryset to the rows the user's agency may see."""
    if not user_roles(user):
        return queryset.none()
    if can_see_all_agencies(user):
        return queryset
    return queryset.filter(**{f"{agency_field}_id": user.agency_id})


def require_role(user: Any, *roles: Role | str) -> None:
    """Raise PermissionDenied unless the user holds one of `roles` (for services)."""
    if not has_role(user, *roles):
        raise PermissionDenied("Your role does not allow this.")


def role_required(*roles: Role | str) -> Callable:
    """View decorator: anonymous users go to the login page; other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_role(request.user, *roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based view mixin: set `allowed_roles`."""

    allowed_roles: Iterable[Role] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require_role(request.user, *self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


class HasRole(BasePermission):
    """DRF permission: `permission_classes = [HasRole.of(Role.ANALYST, Role.ADMIN)]`."""

    roles: frozenset[Role] = frozenset()
    message = "Your role does not allow this."

    @classmethod
    def of(cls, *roles: Role | str) -> type["HasRole"]:
        names = "".join(Role(r).value.title() for r in roles)
        return type(f"HasRole{names}", (cls,), {"roles": frozenset(Role(r) for r in roles)})

    def has_permission(self, request, view) -> bool:
        return has_role(request.user, *self.roles)

    def has_object_permission(self, request, view, obj) -> bool:
        agency_id = getattr(obj, "agency_id", None)
        return agency_id is None or can_see_agency(request.user, agency_id)
