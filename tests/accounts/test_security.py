"""Logins are throttled on every path in the shared cache, the back-office uses the site's login, and staff and
pilots must activate a second factor before using their account."""

import importlib

from allauth.mfa.models import Authenticator
from django.test import override_settings

from maille.accounts.enums import MemberRole
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "mot-de-passe-test"


def login(client, email, password):
    return client.post("/comptes/login/", {"login": email, "password": password})


def test_the_cache_is_shared_between_processes():
    base = importlib.import_module("config.settings.base")
    assert base.CACHES["default"]["BACKEND"] in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


def test_the_back_office_login_is_the_sites_login(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith("/comptes/login/")


def test_wrong_passwords_are_throttled_then_even_the_right_one_is_refused(client, db):
    staff = UserFactory(is_staff=True, email="equipe@maille.example")
    for _ in range(5):
        response = login(client, staff.email, "mauvais")
        assert response.status_code in (200, 400)
    response = login(client, staff.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 400, 429)
    # The back-office stays closed too.
    assert client.get("/admin/").status_code == 302


def test_a_right_password_logs_in_before_the_limit(client, db):
    staff = UserFactory(is_staff=True)
    login(client, staff.email, "mauvais")
    assert login(client, staff.email, PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


@override_settings(MAILLE_REQUIRE_MFA=True)
def test_staff_and_pilots_must_activate_a_second_factor(client, db):
    staff = UserFactory(is_staff=True)
    pilot = MembershipFactory(role=MemberRole.PILOT).user
    advisor = MembershipFactory(role=MemberRole.ADVISOR).user
    for user in (staff, pilot):
        client.force_login(user)
        response = client.get("/mon-espace/")
        assert response.status_code == 302 and response.url == "/comptes/2fa/totp/activate/"
        assert client.get("/pilotage/").status_code == 302
        activate = client.get("/comptes/2fa/totp/activate/")  # reachable (after confirming the password)
        assert activate.status_code == 200 or activate.url.startswith("/comptes/reauthenticate/")
    client.force_login(advisor)
    assert client.get("/mon-espace/").status_code == 200
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(staff)
    assert client.get("/mon-espace/").status_code == 200
