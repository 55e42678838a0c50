from accounts.permissions import user_roles


def roles(request) -> dict:
    """Expose the user's roles to templates as `roles` (a set of role names)."""
    return {"roles": {role.value for role in user_roles(getattr(request, "user", None))}}
