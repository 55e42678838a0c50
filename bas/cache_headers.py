"""One rule for shared caches: a response a view marks `Cache-Control: public` varies on the
cookie, and for a logged-in user it is private (the page carries their name and CSRF token;
a proxy must never hand it to someone else)."""

from django.utils.cache import patch_cache_control, patch_vary_headers


class PrivateForUsersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" not in response.get("Cache-Control", ""):
            return response
        patch_vary_headers(response, ("Cookie",))
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            del response["Cache-Control"]
            patch_cache_control(response, private=True, no_cache=True)
        return response
