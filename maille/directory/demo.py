"""Demo competences (O6): one fictional advisor per organisation with published offers, whose competences are the
needs of those offers in their zones. The advisors are labelled « démo » and cannot log in.

The demo advisor's own organisation (« Réseau d'accompagnement (démo) », made by `accounts.demo`) gets a few
published demo offers and the demo advisor's competences, so that referrals can reach it."""

from django.db import transaction

from maille.accounts.enums import MemberRole
from maille.accounts.models import Membership, User

from .enums import OrganisationKind, PublicationStatus
from .models import Competence, Offer, Organisation
from .services import save_offer

DEMO_NETWORK = "demo-reseau-accompagnement"
DEMO_ADVISOR = "accompagnateur@demo.maille.fr"
# slug, name, description, stages, needs, zones
DEMO_NETWORK_OFFERS = [
    (
        "demo-reseau-diagnostic-modele-economique",
        "Diagnostic de modèle économique (démo)",
        "Offre fictive de démonstration : un diagnostic en trois rendez-vous du modèle économique d'une "
        "structure de l'ESS, avec un plan d'action.",
        ["developpement", "consolidation"],
        ["modele_economique", "emploi"],
        [("region", "52")],
    ),
    (
        "demo-reseau-creation-maine-et-loire",
        "Accompagnement à la création en Maine-et-Loire (démo)",
        "Offre fictive de démonstration : un parcours collectif de six mois pour créer une association ou une "
        "coopérative en Maine-et-Loire.",
        ["emergence", "creation"],
        ["juridique", "gouvernance", "financement"],
        [("departement", "49")],
    ),
    (
        "demo-reseau-locaux-cooperation",
        "Appui aux locaux partagés et à la coopération (démo)",
        "Offre fictive de démonstration : trouver des locaux partagés et organiser la mutualisation entre "
        "structures voisines.",
        ["developpement", "changement_echelle"],
        ["locaux", "cooperation"],
        [("region", "52")],
    ),
]

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
    offers_created, competences_created = _demo_network()
    return {"offres de démo": offers_created, "compétences de démo": created + competences_created}


def _demo_network() -> tuple[int, int]:
    """Published demo offers of the demo advisor's organisation, and that advisor's competences on them."""
    organisation = Organisation.objects.filter(slug=DEMO_NETWORK).first()
    if organisation is None:  # the demo accounts are not loaded
        return 0, 0
    offers = competences = 0
    for slug, name, description, stages, needs, zones in DEMO_NETWORK_OFFERS:
        if Offer.objects.filter(slug=slug).exists():
            continue
        offer = Offer(
            slug=slug,
            organisation=organisation,
            name=name,
            description=description,
            stages=stages,
            needs=needs,
            status=PublicationStatus.PUBLISHED,
            is_demo=True,
        )
        save_offer(offer, zones)
        offers += 1
    advisor = User.objects.filter(email=DEMO_ADVISOR).first()
    if advisor is not None:
        for _slug, name, _description, _stages, needs, zones in DEMO_NETWORK_OFFERS:
            level, code = zones[0]
            for need in needs:
                _, made = Competence.objects.get_or_create(
                    advisor=advisor,
                    organisation=organisation,
                    need=need,
                    zone_level=level,
                    zone_code=code,
                    defaults={"criteria": f"D'après l'offre « {name} » (démo)."},
                )
                competences += made
    return offers, competences
