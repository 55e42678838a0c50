"""Factories for synthetic agencies and users (no personal data)."""

import factory
from django.contrib.auth.models import Group

from accounts.models import Agency, User
from accounts.roles import Role

PASSWORD = "synthetic-pass-4821"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Synthetic Research {n} Ltd")
    code = factory.Sequence(lambda n: f"synthetic-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            role = Role(extracted)
            # get_or_create: a transactional test's flush removes the migration's groups
            self.groups.add(Group.objects.get_or_create(name=role.value)[0])
            if role is Role.ADMIN:
                self.is_staff = True
        if create:
            self.save()


def mopac() -> Agency:
    return Agency.objects.get_or_create(
        is_commissioner=True, defaults={"name": "Mayor's Office for Policing and Crime",
                                        "code": "mopac"})[0]


def make_user(role: Role | None, agency: Agency | None = None, **kwargs) -> User:
    """A user holding `role` (analysts and admins default to MOPAC)."""
    if agency is None and role in (Role.ANALYST, Role.ADMIN):
        agency = mopac()
    if agency is not None:
        kwargs["agency"] = agency
    return UserFactory(role=role.value if role else None, **kwargs)
