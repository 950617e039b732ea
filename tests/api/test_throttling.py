"""API throttling: anonymous callers per IP, accounts and tokens per account, counted in the shared cache; 429 in
French with Retry-After."""

import pytest
from django.core.cache import cache

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_rates(settings):
    settings.MAILLE_API_THROTTLE_RATES = {"anon": "3/min", "user": "5/min"}
    cache.clear()
    yield
    cache.clear()


def test_anonymous_callers_get_a_french_429_beyond_their_rate(api, low_rates):
    statuses = [api.get("/api/v1/vocabulary").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/vocabulary")
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Trop de requêtes : réessayez dans")
    assert int(response["Retry-After"]) >= 1


def test_the_rate_is_per_address(api, low_rates):
    for _ in range(3):
        api.get("/api/v1/vocabulary", REMOTE_ADDR="192.0.2.1")
    assert api.get("/api/v1/vocabulary", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert api.get("/api/v1/vocabulary", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(api, low_rates):
    for n in range(3):
        api.get("/api/v1/vocabulary", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert api.get("/api/v1/vocabulary", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_a_token_has_its_own_higher_rate(api, low_rates, token_x, token_y):
    key_x, key_y = token_x[1], token_y[1]
    statuses = [api.get("/api/v1/referrals/", **bearer(key_x)).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    assert api.get("/api/v1/referrals/", **bearer(key_y)).status_code == 200


def test_throttle_counts_live_in_the_shared_cache(api, low_rates):
    api.get("/api/v1/vocabulary")
    assert any(key.startswith("throttle_anon_") for key in _cache_keys())


def _cache_keys():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM maille_cache")
        return [row[0].split(":", 2)[-1] for row in cursor.fetchall()]
