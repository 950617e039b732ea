"""Vocabularies of accounts: the roles a person holds on the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does on the platform. A project holder needs no organisation; staff is Django's `is_staff`."""

    PROJECT_HOLDER = "project_holder", _("Porteur de projet")
    ADVISOR = "advisor", _("Accompagnateur")
    FUNDER = "funder", _("Financeur")
    EPCI_AGENT = "epci_agent", _("Agent d'EPCI")
    PILOT = "pilot", _("Pilote")
    STAFF = "staff", _("Équipe Maille")


class MemberRole(models.TextChoices):
    """The role a member holds within an organisation (the subset of `Role` that comes from a membership)."""

    ADVISOR = Role.ADVISOR.value, Role.ADVISOR.label
    FUNDER = Role.FUNDER.value, Role.FUNDER.label
    EPCI_AGENT = Role.EPCI_AGENT.value, Role.EPCI_AGENT.label
    PILOT = Role.PILOT.value, Role.PILOT.label
