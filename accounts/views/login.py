"""Login page. The limit on failed logins is the authentication backend's
(accounts/login_limit.py); this page only shows a refusal as 429 with its message."""

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS

from accounts.audit import login_was_blocked
from accounts.login_limit import lock_minutes


class LimitedAuthenticationForm(AuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if login_was_blocked(self.request):
                raise forms.ValidationError(
                    f"Too many failed logins: try again in {lock_minutes()} minutes.",
                    code="login_blocked") from None
            raise


class RateLimitedLoginView(auth_views.LoginView):
    authentication_form = LimitedAuthenticationForm

    def form_invalid(self, form):
        blocked = form.has_error(NON_FIELD_ERRORS, "login_blocked")
        return self.render_to_response(self.get_context_data(form=form, blocked=blocked),
                                       status=429 if blocked else 200)
