"""Vocabularies of accounts: organisation kinds and the roles a member holds in an organisation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SUPPORT = "support", _("Structure d'accompagnement")
    FUNDER = "funder", _("Financeur")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    PILOT = "pilot", _("Pilote de la stratégie")


class Role(models.TextChoices):
    """What a person does on the platform. A project holder needs no organisation; staff is Django's `is_staff`."""

    PROJECT_HOLDER = "project_holder", _("Porteur de projet")
    ADVISOR = "advisor", _("Accompagnateur")
    FUNDER = "funder", _("Financeur")
    EPCI_AGENT = "epci_agent", _("Agent d'EPCI")
    PILOT = "pilot", _("Pilote")
    STAFF = "staff", _("Équipe Maille")


# The role a member holds follows from the kind of their organisation.
ROLE_BY_KIND = {
    OrganisationKind.SUPPORT: Role.ADVISOR,
    OrganisationKind.FUNDER: Role.FUNDER,
    OrganisationKind.EPCI: Role.EPCI_AGENT,
    OrganisationKind.PILOT: Role.PILOT,
}
