"""Factories for people, organisations, offers and funding schemes (territories come from the real reference data)."""

import factory
from django.utils import timezone

from maille.accounts.enums import MemberRole
from maille.accounts.models import Membership, User
from maille.directory.enums import OrganisationKind, PublicationStatus
from maille.directory.models import Offer, OfferZone, Organisation
from maille.directory.services import offer_search_text
from maille.funding.enums import FundingType, Recurrence
from maille.funding.models import FundingScheme, SchemeZone


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = "Prénom"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password("mot-de-passe-test")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.ESS_NETWORK


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.ADVISOR
    is_admin = False


class OfferFactory(factory.django.DjangoModelFactory):
    """A published offer; pass `zones=[("departement", "53")]` to place it (default: the whole region)."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"offre-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Offre {n}")
    description = "Accompagnement de test."
    stages = factory.LazyFunction(lambda: ["creation"])
    needs = factory.LazyFunction(lambda: ["modele_economique"])
    status = PublicationStatus.PUBLISHED

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        for level, code in extracted if extracted is not None else [("region", "52")]:
            OfferZone.objects.create(offer=self, zone_level=level, zone_code=code)
        self.search_text = offer_search_text(self)
        self.save(update_fields=["search_text"])


class FundingSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingScheme
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"dispositif-{n}")
    name = factory.Sequence(lambda n: f"Dispositif {n}")
    kind = FundingType.GRANT
    description = "Subvention de test."
    stages = factory.LazyFunction(lambda: ["creation"])
    recurrence = Recurrence.PERMANENT
    status = PublicationStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def zones(self, create, extracted, **kwargs):
        for level, code in extracted if extracted is not None else [("region", "52")]:
            SchemeZone.objects.create(scheme=self, zone_level=level, zone_code=code)

    @factory.post_generation
    def funders(self, create, extracted, **kwargs):
        self.funders.set(
            extracted if extracted is not None else [OrganisationFactory(kind=OrganisationKind.FUNDER)]
        )


def _laval():
    from maille.territories.models import Commune

    return Commune.objects.get(code="53130")


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in Laval (53130) whose holder consented to share the file; `consent_to_share=False` to refuse."""

    class Meta:
        model = "projects.Project"

    holder_name = factory.Sequence(lambda n: f"Porteuse {n}")
    holder_email = factory.Sequence(lambda n: f"porteur{n}@example.org")
    consent_to_share = True
    consented_at = factory.LazyAttribute(lambda o: timezone.now() if o.consent_to_share else None)
    name = factory.Sequence(lambda n: f"Projet {n}")
    description = "Un projet de test."
    commune = factory.LazyFunction(_laval)
    legal_form = "association"
    stage = "creation"
    needs = factory.LazyFunction(lambda: ["modele_economique"])


class ReferralFactory(factory.django.DjangoModelFactory):
    """A pending referral of a project to an offer (the organisation is the offer's)."""

    class Meta:
        model = "referrals.Referral"

    project = factory.SubFactory(ProjectFactory)
    offer = factory.SubFactory(OfferFactory)
    organisation = factory.SelfAttribute("offer.organisation")
