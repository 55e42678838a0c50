"""The client's address: the one function the login limit, the audit log and the public API's
rate limit all use.

Behind `NUM_PROXIES` trusted proxies the client is the address the outermost trusted proxy
saw, i.e. the NUM_PROXIES-th address from the right of X-Forwarded-For (each proxy appends the
address it received the request from); addresses further left were written by the client and
are not believed. With NUM_PROXIES = 0 (no proxy) X-Forwarded-For is ignored altogether, so a
forged header changes nothing.
"""

import ipaddress

from django.conf import settings


def http_request(request):
    """The Django HttpRequest under a DRF Request (or the request itself).

    Reading `.user` on a DRF Request runs its authentication again; code that runs during
    authentication (the failed-login signal) must read the HttpRequest only.
    """
    return getattr(request, "_request", request)


def _valid(address: str | None) -> str | None:
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address, or None when there is no request (or no valid address)."""
    if request is None:
        return None
    meta = http_request(request).META
    remote = _valid(meta.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    return _valid(hops[-min(proxies, len(hops))]) or remote
