"""Demo competences (O6): one fictional advisor per organisation with published offers, whose competences are the
needs of those offers in their zones. The advisors are labelled « démo » and cannot log in."""

from django.db import transaction

from maille.accounts.enums import MemberRole
from maille.accounts.models import Membership, User

from .enums import OrganisationKind, PublicationStatus
from .models import Competence, Offer, Organisation

ADVISOR_KINDS = (OrganisationKind.ESS_NETWORK, OrganisationKind.CREATION_NETWORK, OrganisationKind.TIERS_LIEU)


@transaction.atomic
def load() -> dict[str, int]:
    created = 0
    organisations = Organisation.objects.filter(kind__in=ADVISOR_KINDS, is_demo=False).order_by("slug")
    for organisation in organisations:
        offers = Offer.objects.filter(
            organisation=organisation, status=PublicationStatus.PUBLISHED
        ).prefetch_related("zones")
        if not offers:
            continue
        advisor, new = User.objects.get_or_create(
            email=f"conseil-{organisation.slug}@demo.maille.fr",
            defaults={"first_name": "Conseillère ou conseiller", "last_name": f"{organisation.name} (démo)"},
        )
        if new:
            advisor.set_unusable_password()
            advisor.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=advisor, organisation=organisation, defaults={"role": MemberRole.ADVISOR}
        )
        for offer in offers:
            zone = offer.zones.all()[0]
            for need in offer.needs:
                _, made = Competence.objects.get_or_create(
                    advisor=advisor,
                    organisation=organisation,
                    need=need,
                    zone_level=zone.zone_level,
                    zone_code=zone.zone_code,
                    defaults={"criteria": f"D'après l'offre « {offer.name} » (démo)."},
                )
                created += made
    return {"compétences de démo": created}
