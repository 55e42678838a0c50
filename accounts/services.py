"""Services that write: agencies and users."""

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from accounts.audit import audit_record
from accounts.errors import AccountsError, NotManagedBySupervisor, TeamMemberNotFound
from accounts.models import Agency, AuditEvent, User
from accounts.permissions import has_role
from accounts.roles import Role
from bas.row_locks import lock_row, retry_when_locked


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


# --- a supervisor's team: their agency's interviewers ---------------------------------------

def _problems_in_words(exc: ValidationError) -> list[tuple[str, str]]:
    words = {"username": "Username", "email": "Email address", "first_name": "First name",
             "last_name": "Last name", "password": "Password"}
    found = []
    for field, messages in exc.message_dict.items():
        for message in messages:
            if message == "A user with that username already exists.":
                message = "That username is already taken; choose another."
            found.append((field, f"{words.get(field, field)}: {message}"))
    return found


def _raise_problems(problems: list[tuple[str, str]]) -> None:
    if problems:
        field = problems[0][0]
        raise AccountsError(" ".join(message for _, message in problems),
                            code="invalid_team_member",
                            fields={"field": field,
                                    "problems": [{"field": f, "message": m}
                                                 for f, m in problems]})


def _check_password(password: str, user: User) -> list[tuple[str, str]]:
    if not password:
        return [("password", "Password: enter a password for the interviewer's first login.")]
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [("password", f"Password: {' '.join(exc.messages)}")]
    return []


def _manager_agency(by: User) -> Agency:
    if not has_role(by, Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied("Your role does not allow this.")
    return by.agency


@transaction.atomic
def team_interviewer_add(
    *, by: User, username: str, password: str, first_name: str = "", last_name: str = "",
    email: str = "", agency: Agency | None = None,
) -> User:
    """A supervisor adds an interviewer to their own agency (an admin may name the agency)."""
    home = _manager_agency(by)
    if agency is None or not has_role(by, Role.ADMIN):
        agency = home
    user = User(username=username.strip(), agency=agency, first_name=first_name.strip(),
                last_name=last_name.strip(), email=email.strip())
    problems = []
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        problems += _problems_in_words(exc)
    problems += _check_password(password, user)
    _raise_problems(problems)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same username taken at the same moment by someone else
        _raise_problems([("username", "Username: That username is already taken; choose "
                                      "another.")])
    user.groups.set(Group.objects.filter(name=Role.INTERVIEWER.value))
    _audit(by, "interviewer_add", user)
    return user


def _managed(by: User, user_id: int) -> User:
    """The interviewer `user_id` of `by`'s agency, locked; another agency's user is a 404
    and a supervisor, analyst or admin account a 403."""
    home = _manager_agency(by)
    try:
        user = lock_row(User, user_id)  # before anything of it is read
    except User.DoesNotExist:
        user = None
    if user is None or (user.agency_id != home.pk and not has_role(by, Role.ADMIN)):
        raise TeamMemberNotFound(f"user {user_id} not found in {home}",
                                 fields={"user": user_id})
    roles = set(user.groups.values_list("name", flat=True))
    if roles - {Role.INTERVIEWER.value} or user.is_superuser or user.is_staff:
        raise NotManagedBySupervisor(
            f"{user.get_username()} is not only an interviewer: supervisors manage "
            "interviewers' accounts; ask MOPAC's administrator to change this account.",
            fields={"user": user_id})
    return user


@retry_when_locked
@transaction.atomic
def team_interviewer_set_active(*, by: User, user_id: int, active: bool) -> User:
    """Deactivate an interviewer (they can no longer log in; their work is kept) or bring
    them back."""
    user = _managed(by, user_id)
    if user.pk == by.pk:
        raise AccountsError("You cannot deactivate your own account.", code="own_account")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        _audit(by, "interviewer_activate" if active else "interviewer_deactivate", user)
        if not active:
            _release_held_cases(user)
    return user


def _release_held_cases(user: User) -> None:
    """A deactivated interviewer's claimed cases go back to the queue (survey reacts)."""
    from accounts.signals import interviewer_deactivated

    interviewer_deactivated.send(sender=User, user=user)


@retry_when_locked
@transaction.atomic
def team_interviewer_password_reset(*, by: User, user_id: int, password: str) -> User:
    """Give an interviewer a new password (e.g. when they forgot theirs)."""
    user = _managed(by, user_id)
    _raise_problems(_check_password(password, user))
    user.set_password(password)
    user.save(update_fields=["password"])
    _audit(by, "interviewer_password_reset", user)
    return user


def _audit(by: User, action: str, user: User) -> None:
    audit_record(action=AuditEvent.Action.CHANGED, user=by, obj=user,
                 detail={"team": action, "username": user.get_username(),
                         "agency": user.agency_id})
