"""Demo accounts: one per role, in fictional organisations marked as demo. Passwords exist only here."""

from django.db import transaction

from maille.directory.enums import OrganisationKind
from maille.directory.models import Organisation
from maille.territories.models import Epci

from .enums import MemberRole, Role
from .models import Membership, User

DEMO_PASSWORD = "maille-demo-2026"  # noqa: S105 - demo accounts only, listed in the README


# role, e-mail, first name, last name, and for members: (organisation slug, name, kind, EPCI SIREN)
DEMO_ACCOUNTS = [
    (Role.PROJECT_HOLDER, "porteur@demo.maille.fr", "Camille", "Porteur (démo)", None),
    (
        Role.ADVISOR,
        "accompagnateur@demo.maille.fr",
        "Dominique",
        "Conseil (démo)",
        ("demo-reseau-accompagnement", "Réseau d'accompagnement (démo)", OrganisationKind.ESS_NETWORK, None),
    ),
    (
        Role.FUNDER,
        "financeur@demo.maille.fr",
        "Alex",
        "Finance (démo)",
        ("demo-financeur-solidaire", "Financeur solidaire (démo)", OrganisationKind.FUNDER, None),
    ),
    (
        Role.EPCI_AGENT,
        "epci@demo.maille.fr",
        "Sacha",
        "Territoire (démo)",
        (
            "demo-service-ess-alm",
            "Service ESS d'Angers Loire Métropole (démo)",
            OrganisationKind.EPCI,
            "244900015",
        ),
    ),
    (
        Role.PILOT,
        "pilote@demo.maille.fr",
        "Claude",
        "Pilotage (démo)",
        ("demo-comite-pilotage", "Comité de pilotage de la stratégie (démo)", OrganisationKind.OTHER, None),
    ),
    (Role.STAFF, "equipe@demo.maille.fr", "Morgan", "Équipe (démo)", None),
]


@transaction.atomic
def load() -> dict[str, int]:
    created = 0
    for role, email, first, last, organisation in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last)
            created += 1
        if role == Role.STAFF and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if organisation:
            slug, name, kind, epci_code = organisation
            org, _ = Organisation.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "kind": kind,
                    "epci": Epci.objects.filter(code=epci_code).first() if epci_code else None,
                    "is_demo": True,
                    "description": "Organisation fictive créée pour la démonstration.",
                },
            )
            Membership.objects.get_or_create(
                user=user, organisation=org, defaults={"role": MemberRole(role.value), "is_admin": True}
            )
    return {"comptes de démo": created}
