"""The Content-Security-Policy of every response: scripts, styles, fonts and connections from
this site only (the pages load local static files: no inline script, style or event handler;
a form asks before it is sent through data-confirm and bas/static/bas/confirm.js)."""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy",
                                    settings.CONTENT_SECURITY_POLICY)
        return response
