"""Demo accounts: one per role, in fictional organisations marked as demo. Passwords exist only here."""

from django.db import transaction

from maille.territories.models import Epci

from .enums import OrganisationKind, Role
from .models import Membership, Organisation, User

DEMO_PASSWORD = "maille-demo-2026"  # noqa: S105 - demo accounts only, listed in the README

# (role, e-mail, first name, last name, organisation name, organisation kind, EPCI SIREN)
DEMO_ACCOUNTS = [
    (Role.PROJECT_HOLDER, "porteur@demo.maille.fr", "Camille", "Porteur (démo)", None, None, None),
    (
        Role.ADVISOR,
        "accompagnateur@demo.maille.fr",
        "Dominique",
        "Conseil (démo)",
        "Réseau d'accompagnement (démo)",
        OrganisationKind.SUPPORT,
        None,
    ),
    (
        Role.FUNDER,
        "financeur@demo.maille.fr",
        "Alex",
        "Finance (démo)",
        "Financeur solidaire (démo)",
        OrganisationKind.FUNDER,
        None,
    ),
    (
        Role.EPCI_AGENT,
        "epci@demo.maille.fr",
        "Sacha",
        "Territoire (démo)",
        "Service ESS d'Angers Loire Métropole (démo)",
        OrganisationKind.EPCI,
        "244900015",
    ),
    (
        Role.PILOT,
        "pilote@demo.maille.fr",
        "Claude",
        "Pilotage (démo)",
        "Comité de pilotage de la stratégie (démo)",
        OrganisationKind.PILOT,
        None,
    ),
    (Role.STAFF, "equipe@demo.maille.fr", "Morgan", "Équipe (démo)", None, None, None),
]


@transaction.atomic
def load() -> dict[str, int]:
    created = 0
    for role, email, first, last, org_name, kind, epci_code in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first, last_name=last)
            created += 1
        if role == Role.STAFF and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if org_name:
            epci = Epci.objects.filter(code=epci_code).first() if epci_code else None
            organisation, _ = Organisation.objects.get_or_create(
                name=org_name, defaults={"kind": kind, "epci": epci, "is_demo": True}
            )
            Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"is_admin": True}
            )
    return {"comptes de démo": created}
