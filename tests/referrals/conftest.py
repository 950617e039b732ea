"""Fixtures of the referral tests: an organisation with two advisors, its offer, a project and a pending referral."""

import pytest

from tests.factories import (
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    ProjectFactory,
    ReferralFactory,
)


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        name="Réseau test", email="accueil@reseau-test.example", phone="02 43 00 00 00"
    )


@pytest.fixture
def advisor(organisation):
    return MembershipFactory(
        organisation=organisation, user__email="conseillere@reseau-test.example", user__first_name="Camille"
    ).user


@pytest.fixture
def second_advisor(organisation):
    return MembershipFactory(organisation=organisation, user__email="conseiller2@reseau-test.example").user


@pytest.fixture
def offer(organisation):
    return OfferFactory(
        organisation=organisation, name="Diagnostic test", contact="Écrire à offre@reseau-test.example"
    )


@pytest.fixture
def stranger(db):
    """An advisor of another organisation."""
    return MembershipFactory(user__email="ailleurs@autre.example").user


@pytest.fixture
def project(db):
    return ProjectFactory(
        name="La Recyclerie", holder_email="porteuse@example.org", description="Réemploi d'objets."
    )


@pytest.fixture
def referral(project, offer):
    return ReferralFactory(project=project, offer=offer, message="Nous cherchons un appui.")


@pytest.fixture
def staff(db):
    from tests.factories import UserFactory

    return UserFactory(is_staff=True, email="equipe@maille.example")
