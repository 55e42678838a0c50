"""Errors on the web pages: one place turns them into responses.

- A BasError raised by a page re-renders that page with the error when the view said how
  (`rerender_on_error`), as a form shows its own problems; otherwise a POST goes back to the
  page it came from with the message, and a GET shows the styled error page with its status.
- Http404, PermissionDenied and an address no URL matches show the styled 404 and 403
  pages, with DEBUG on too (the demo runs with it on, and its users are not developers).
- Anything else is logged with its traceback and shows the styled 500 page. API requests get
  JSON in the API's error shape instead of a page.

No view catches an error itself.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from bas.errors import BasError

logger = logging.getLogger("bas.errors")

ErrorRenderer = Callable[[BasError], HttpResponse]

PAGES = {
    400: ("The request could not be done", "Check what you entered and try again."),
    403: ("You cannot open this page", "Your role does not include this page. If you need it, "
          "ask your supervisor or MOPAC's administrator to change your role."),
    404: ("Page not found", "The page or record does not exist, or it belongs to another "
          "agency. Check the address, or start again from the home page."),
    409: ("Someone else changed this first", "Reload the page to see the current state, "
          "then try again."),
    500: ("Something went wrong on our side", "The error was logged. Try again in a minute; "
          "if it happens again, tell MOPAC's administrator the time it happened."),
}


def rerender_on_error(request: HttpRequest, renderer: ErrorRenderer) -> None:
    """Declare how this page shows an error raised by the service it calls (e.g. the form
    again, with the error): the middleware calls `renderer(error)` if one is raised."""
    request.bas_error_renderer = renderer


def error_page(request: HttpRequest, status: int, detail: str = "") -> HttpResponse:
    if _is_api(request):
        code = {403: "permission_denied", 404: "not_found", 500: "server_error"}.get(
            status, "invalid")
        return JsonResponse({"errors": [{"code": code, "message": detail or PAGES[status][0]}]},
                            status=status)
    title, advice = PAGES.get(status, PAGES[400])
    return render(request, "errors/error.html",
                  {"status": status, "title": title, "advice": advice, "detail": detail},
                  status=status)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _back(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure())
    return referer if referer and safe else "/"


class ErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (settings.DEBUG and response.status_code == 404
                and getattr(request, "resolver_match", None) is None):
            # An address no URL matched: Django shows its debug page with DEBUG on.
            return error_page(request, 404)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, BasError):
            return self._domain_error(request, exception)
        if isinstance(exception, Http404):
            return error_page(request, 404)
        if isinstance(exception, PermissionDenied):
            return error_page(request, 403)
        if getattr(settings, "DEBUG_PROPAGATE_EXCEPTIONS", False):
            return None
        logger.exception("Internal error on %s %s", request.method, request.path)
        return error_page(request, 500)

    def _domain_error(self, request: HttpRequest, error: BasError) -> HttpResponse:
        renderer = getattr(request, "bas_error_renderer", None)
        if renderer is not None:
            return renderer(error)
        if _is_api(request):
            return JsonResponse({"errors": [error.as_dict()]}, status=error.http_status)
        if request.method == "POST":
            messages.error(request, error.message)
            return redirect(_back(request))
        return error_page(request, error.http_status, error.message)
