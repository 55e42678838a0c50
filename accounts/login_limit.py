"""The login limit, enforced in the one place every login goes through: the authentication
backend. The login page, the admin's login, HTTP Basic on the API and anything else calling
`django.contrib.auth.authenticate()` are refused alike while a user name or a client address
has too many recent failures (counted from the audit log, so across app servers).

A refused attempt is recorded as `login_blocked` (not as one more failure) and marks the
request, so the login page can answer 429 and the API 429 with Retry-After.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts.addresses import client_ip
from accounts.audit import audit_record, mark_login_blocked, recent_login_failures
from accounts.models import AuditEvent


def login_locked(*, username: str, request) -> bool:
    failures = recent_login_failures(username=username, ip=client_ip(request))
    return failures >= settings.LOGIN_MAX_FAILURES


def lock_minutes() -> int:
    return max(1, settings.LOGIN_FAILURE_WINDOW_SECONDS // 60)


class LoginLimitedModelBackend(ModelBackend):
    """Django's model backend behind the login limit."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        name = str(username or "")[:150]
        if login_locked(username=name, request=request):
            audit_record(action=AuditEvent.Action.LOGIN_BLOCKED, request=request, username=name)
            mark_login_blocked(request)
            raise PermissionDenied("too many failed logins")  # stops every backend
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # the only backend that checks passwords: stop here (Django's ModelBackend is
            # listed after this one only so that sessions made before it still resolve)
            raise PermissionDenied("invalid credentials")
        return user
