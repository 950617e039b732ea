"""Partner tokens: a token acts for its own organisation only, with a member's rights; revoked or expired → 401;
stored hashed, shown once in the back-office."""

import datetime
import json

import pytest
from django.utils import timezone

from maille.accounts.enums import MemberRole
from maille.api.models import ApiToken
from maille.api.services import hash_key, issue_token, revoke_token
from maille.core.models import AuditEntry
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import Referral
from tests.api.conftest import bearer
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def accept(api, referral, key):
    return api.post(f"/api/v1/referrals/{referral.pk}/accept", **bearer(key))


def test_a_token_answers_its_organisations_referral_without_session_or_csrf(api, referral, token_x):
    api.enforce_csrf_checks = True
    token, key = token_x
    response = accept(api, referral, key)
    assert response.status_code == 200, response.content
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_lists_only_its_organisations_referrals(api, referral, token_x, token_y):
    assert api.get("/api/v1/referrals/", **bearer(token_x[1])).json()["count"] == 1
    assert api.get("/api/v1/referrals/", **bearer(token_y[1])).json()["count"] == 0


def test_a_token_of_another_organisation_cannot_answer(api, referral, token_y):
    response = accept(api, referral, token_y[1])
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


def test_a_revoked_token_is_refused_with_a_401(api, referral, token_x, staff):
    token, key = token_x
    revoke_token(token, by=staff)
    response = accept(api, referral, key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "révoqué" in response.json()["detail"]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING
    assert AuditEntry.objects.filter(action="api_token.revoked", target_id=str(token.pk)).exists()


def test_an_expired_token_is_refused(api, referral, organisation_x):
    _, key = issue_token(
        organisation_x, MemberRole.ADVISOR, "Ancien", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert accept(api, referral, key).status_code == 401
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer maille_inconnu", "Bearer é"])
def test_a_malformed_or_unknown_token_is_a_401_in_french(api, referral, header):
    response = api.post(
        f"/api/v1/referrals/{referral.pk}/accept", HTTP_AUTHORIZATION=header.encode().decode("latin-1")
    )
    assert response.status_code == 401
    assert response.json()["detail"]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.PENDING


def test_without_any_credentials_the_answer_stays_a_403(api, referral):
    assert accept(api, referral, "").status_code in (401, 403)
    response = api.post(f"/api/v1/referrals/{referral.pk}/accept")
    assert response.status_code == 403
    assert response.json()["detail"] == "Authentification requise."


def test_the_key_is_stored_hashed_only(token_x):
    token, key = token_x
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in json.dumps(stored, default=str)
    assert stored["key_hash"] == hash_key(key)
    assert key.startswith("maille_") and len(key) > 40


def test_a_token_account_gets_no_email_and_no_staff_rights(token_x):
    token, _ = token_x
    assert not token.user.is_staff and not token.user.has_usable_password()
    assert token.user.email.endswith(".invalid")
    assert list(token.user.memberships.values_list("organisation_id", flat=True)) == [token.organisation_id]


def test_a_pilot_token_writes_the_strategy_and_an_advisor_token_cannot(api, staff):
    organisation = OrganisationFactory()
    _, pilot_key = issue_token(organisation, MemberRole.PILOT, "Outil du comité")
    _, advisor_key = issue_token(organisation, MemberRole.ADVISOR, "Portail")
    body = json.dumps({"kind": "copil", "date": "2026-03-01", "agenda": "Point d'étape"})
    refused = api.post(
        "/api/v1/strategy/committees", body, content_type="application/json", **bearer(advisor_key)
    )
    assert refused.status_code == 403
    created = api.post(
        "/api/v1/strategy/committees", body, content_type="application/json", **bearer(pilot_key)
    )
    assert created.status_code == 201, created.content


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True, email="admin@maille.example")


def test_staff_create_a_token_in_the_back_office_and_see_the_key_once(client, superuser, organisation_x):
    client.force_login(superuser)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"organisation": organisation_x.pk, "role": MemberRole.ADVISOR, "name": "Portail X"},
    )
    assert response.status_code == 200, response.content[:2000]
    token = ApiToken.objects.get(name="Portail X")
    key = response.context["key"]
    assert hash_key(key) == token.key_hash and token.created_by == superuser
    assert "no-store" in response["Cache-Control"]
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert key not in page and token.prefix in page
    listing = client.get("/admin/api/apitoken/").content.decode()
    assert key not in listing


def test_staff_revoke_tokens_from_the_back_office(client, superuser, token_x, api, referral):
    token, key = token_x
    client.force_login(superuser)
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert accept(api, referral, key).status_code == 401
