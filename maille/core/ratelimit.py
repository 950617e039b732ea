"""Limits on forms that send e-mail (nobody floods an address through Maille): counters in the shared cache.

`allow(kind, email, ip)` counts one request for the address and one for the client's IP and says whether both stay
within their limit over the window (`settings.MAILLE_EMAIL_RATE_LIMITS`). Each process sees the same counters, as
the cache is the database's or Redis's.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMITS = {"email": (3, 600), "ip": (20, 600)}  # (requests, seconds)


def client_ip(request) -> str:
    """The client's address as the reverse proxy gives it (`X-Forwarded-For` only behind a trusted proxy)."""
    if getattr(settings, "MAILLE_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _count(key: str, seconds: int) -> int:
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return 1


def allow(kind: str, email: str, request) -> bool:
    limits = {**DEFAULT_LIMITS, **getattr(settings, "MAILLE_EMAIL_RATE_LIMITS", {})}
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]
    ip = client_ip(request)
    email_limit, email_window = limits["email"]
    ip_limit, ip_window = limits["ip"]
    by_email = _count(f"maille:rl:{kind}:e:{digest}", email_window) if email else 0
    by_ip = _count(f"maille:rl:{kind}:ip:{ip}", ip_window) if ip else 0
    return by_email <= email_limit and by_ip <= ip_limit
