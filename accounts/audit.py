"""The audit log: logins (and failed or blocked logins) and data changes, who and when.

Data changes are recorded from model signals for the models in AUDITED_MODELS; the user is
the one of the current request (a context variable set by CurrentUserMiddleware, so nothing
is kept in the process between requests). Failed logins in the log also drive the login rate
limit, so the limit holds across several app servers sharing the database.
"""

from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.addresses import client_ip, http_request
from accounts.models import AuditEvent

AUDITED_MODELS = {
    "accounts.Agency", "accounts.User", "survey.Wave",
    "questionnaires.Questionnaire", "questionnaires.QuestionnaireVersion",
    "sampling.Frame", "sampling.SampleDesign", "sampling.Sample",
    "analysis.WeightingRun", "analysis.EstimateSet", "analysis.SmallAreaRun",
    "analysis.BoroughTable",
}
_current_request = ContextVar("bas_current_request", default=None)


class CurrentUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def audit_record(*, action: str, request=None, user=None, username: str = "", obj=None,
                 detail: dict | None = None) -> AuditEvent:
    # The HttpRequest, never a DRF Request: its `.user` would authenticate again (and a
    # failed login, recorded from inside authentication, would recurse).
    request = http_request(request if request is not None else _current_request.get())
    if user is None and request is not None:
        current = getattr(request, "user", None)
        user = current if current is not None and current.is_authenticated else None
    return AuditEvent.objects.create(
        action=action, user=user, username=username or (user.get_username() if user else ""),
        ip_address=client_ip(request),
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
    )


def mark_login_blocked(request) -> None:
    if request is not None:
        http_request(request).bas_login_blocked = True


def login_was_blocked(request) -> bool:
    return request is not None and getattr(http_request(request), "bas_login_blocked", False)


def recent_login_failures(*, username: str, ip: str | None) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, at__gte=since)
    by_user = failures.filter(username=username).count() if username else 0
    by_ip = failures.filter(ip_address=ip).count() if ip else 0
    return max(by_user, by_ip // 4)  # one address may serve a whole call centre


# Signal receivers (connected in SurveyConfig.ready)

def on_logged_in(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs) -> None:
    audit_record(action=AuditEvent.Action.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    if login_was_blocked(request):
        return  # recorded as blocked by the login limit, not as one more failure
    audit_record(action=AuditEvent.Action.LOGIN_FAILED, request=request,
                 username=str(credentials.get("username", ""))[:150])


def _audited(sender) -> bool:
    # Migrations save historical models (module "__fake__"): the log may not exist yet.
    return sender.__module__ != "__fake__" and sender._meta.label in AUDITED_MODELS


def on_saved(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not _audited(sender) or update_fields == frozenset({"last_login"}):
        return  # a login's last_login stamp is logged as the login itself
    audit_record(action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
                 obj=instance, detail={"repr": str(instance)[:200]})


def on_deleted(sender, instance, **kwargs) -> None:
    if _audited(sender):
        audit_record(action=AuditEvent.Action.DELETED, obj=instance,
                     detail={"repr": str(instance)[:200]})


def connect_audit_receivers() -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
    from django.db.models.signals import post_delete, post_save

    user_logged_in.connect(on_logged_in, dispatch_uid="bas_audit_login")
    user_logged_out.connect(on_logged_out, dispatch_uid="bas_audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="bas_audit_login_failed")
    post_save.connect(on_saved, dispatch_uid="bas_audit_saved")
    post_delete.connect(on_deleted, dispatch_uid="bas_audit_deleted")
