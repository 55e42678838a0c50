"""The styled error pages Django serves itself (a failed CSRF check, and the 400/403/404/500
handlers when DEBUG is off); see bas.web_errors."""

from bas.errors import BasError
from bas.web_errors import error_page


def bad_request(request, exception=None):
    # e.g. an upload over its size, cut off while a middleware read the request body
    detail = exception.message if isinstance(exception, BasError) else ""
    return error_page(request, 400, detail)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    return error_page(request, 500)


def csrf_failure(request, reason: str = ""):
    return error_page(request, 403, "The form had expired or was sent from another site: "
                      "reload the page and send it again.")
