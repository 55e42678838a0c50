from django.apps import AppConfig
from django.db.models.signals import post_migrate


def grant_admin_role_every_permission(sender, **kwargs) -> None:
    """The admin group may change everything in the Django admin.

    Permissions only exist after post_migrate (app by app), so this runs after every app
    rather than in the data migration.
    """
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.filter(name="admin").first()
    if group is not None:
        group.permissions.set(Permission.objects.all())


class AccountsConfig(AppConfig):
    """Users, agencies, roles, permissions, the audit log and login limits.

    The ground floor: every other app may import it; it imports none of them.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        post_migrate.connect(
            grant_admin_role_every_permission, dispatch_uid="bas_admin_role_permissions"
        )
        from accounts.audit import connect_audit_receivers

        connect_audit_receivers()
