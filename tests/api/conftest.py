"""Fixtures of the API tests: two organisations, a pending referral addressed to the first, a token for each."""

import pytest
from rest_framework.test import APIClient

from maille.accounts.enums import MemberRole
from maille.api.services import issue_token
from tests.factories import OfferFactory, OrganisationFactory, ProjectFactory, ReferralFactory, UserFactory


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, email="equipe@maille.example")


@pytest.fixture
def organisation_x(db):
    return OrganisationFactory(name="Réseau X", email="accueil@x.example")


@pytest.fixture
def organisation_y(db):
    return OrganisationFactory(name="Réseau Y", email="accueil@y.example")


@pytest.fixture
def referral(organisation_x):
    offer = OfferFactory(organisation=organisation_x, name="Diagnostic X")
    return ReferralFactory(project=ProjectFactory(name="La Recyclerie"), offer=offer, message="Un appui ?")


@pytest.fixture
def token_x(organisation_x, staff):
    return issue_token(organisation_x, MemberRole.ADVISOR, "Portail X", created_by=staff)


@pytest.fixture
def token_y(organisation_y, staff):
    return issue_token(organisation_y, MemberRole.ADVISOR, "Portail Y", created_by=staff)


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
