"""HTTP Basic on the API under the login limit: a refused login answers 429 with
Retry-After, as the login page does (the limit itself is the authentication backend's)."""

from django.conf import settings
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication

from accounts.audit import login_was_blocked


class LimitedBasicAuthentication(BasicAuthentication):
    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if login_was_blocked(request):
                raise exceptions.Throttled(
                    wait=settings.LOGIN_FAILURE_WINDOW_SECONDS,
                    detail="Too many failed logins: try again later.") from None
            raise


class LimitedBasicScheme(BasicScheme):
    """The OpenAPI schema's description of it: plain HTTP Basic."""

    target_class = LimitedBasicAuthentication
