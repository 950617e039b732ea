"""API throttles, counted in the shared cache (the database cache, or Redis with REDIS_URL): one rate for anonymous
callers (per IP address), one for people logged in and partner tokens (per account).

The rates come from `settings.MAILLE_API_THROTTLE_RATES` when a request is checked (not when the class is defined),
so that each deployment sets them by environment and a test can change them; a missing rate means no limit.
"""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from maille.core.ratelimit import client_ip


class _SettingsRateThrottle(SimpleRateThrottle):
    def __init__(self):  # the rate is read per request, not from DRF's import-time settings
        pass

    def allow_request(self, request, view):
        self.rate = (getattr(settings, "MAILLE_API_THROTTLE_RATES", None) or {}).get(self.scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_ident(self, request):
        # The same address as every other limit of the site: X-Forwarded-For only behind a trusted proxy.
        return client_ip(request) or "unknown"


class AnonymousThrottle(_SettingsRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None  # counted by AuthenticatedThrottle
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class AuthenticatedThrottle(_SettingsRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
