"""Login with a rate limit on failed attempts (per user name, and per address)."""

from django.conf import settings
from django.contrib.auth import views as auth_views

from accounts.audit import audit_record, client_ip, recent_login_failures
from accounts.models import AuditEvent


class RateLimitedLoginView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")[:150]
        failures = recent_login_failures(username=username, ip=client_ip(request))
        if failures >= settings.LOGIN_MAX_FAILURES:
            audit_record(action=AuditEvent.Action.LOGIN_BLOCKED, request=request,
                         username=username)
            form = self.get_form()
            minutes = settings.LOGIN_FAILURE_WINDOW_SECONDS // 60
            form.add_error(None, f"Too many failed logins: try again in {minutes} minutes.")
            return self.render_to_response(self.get_context_data(form=form, blocked=True),
                                           status=429)
        return super().post(request, *args, **kwargs)
