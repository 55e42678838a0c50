"""The public API's rate limit: requests per client address, counted in a cache table in the
database, so the limit holds across every app server (nothing is kept in process)."""

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import AnonRateThrottle

from accounts.addresses import client_ip


class PublicRateThrottle(AnonRateThrottle):
    """PUBLIC_API_RATE requests per client ("120/min"; None for no limit). The client is
    the address `accounts.addresses.client_ip` gives (the one the login limit and the audit
    log use): REMOTE_ADDR, or behind NUM_PROXIES trusted proxies the address they forwarded."""

    scope = "public"

    @property
    def cache(self):
        return caches["shared"]

    def get_rate(self) -> str | None:
        return settings.PUBLIC_API_RATE

    def get_ident(self, request) -> str:
        return client_ip(request) or ""
