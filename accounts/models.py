"""Accounts: agencies, users (roles are Django groups) and the audit log.

The tables keep the names they had when these models lived in `survey` (db_table), so the
move to this app changed no data.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class Agency(models.Model):
    """A contracted market-research company, or MOPAC itself (for analysts and admins)."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True)
    is_commissioner = models.BooleanField(
        default=False, help_text="True for MOPAC, the body that commissions the survey."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "survey_agency"
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BasUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        if extra_fields.get("agency") is None and extra_fields.get("agency_id") is None:
            extra_fields["agency"] = Agency.objects.filter(is_commissioner=True).first()
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Every user belongs to exactly one agency; roles are Django groups."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="users")

    objects = BasUserManager()

    class Meta(AbstractUser.Meta):
        db_table = "survey_user"
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEvent(models.Model):
    """Append-only log of logins and data changes, readable by admins."""

    class Action(models.TextChoices):
        LOGIN = "login"
        LOGIN_FAILED = "login_failed"
        LOGIN_BLOCKED = "login_blocked"
        LOGOUT = "logout"
        CREATED = "created"
        CHANGED = "changed"
        DELETED = "deleted"
        PURGED = "purged"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    username = models.CharField(max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "survey_auditevent"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "username", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.username} {self.object_type}"
