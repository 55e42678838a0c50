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

    def __str__(self) -> str:
        return self.get_full_name() or self.username
