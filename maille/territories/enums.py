"""Vocabularies of the territories app: zone levels (narrowest first) and EPCI kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ZoneLevel(models.TextChoices):
    """A zone is a level plus a code; the order of the members is the order of narrowness."""

    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    DEPARTEMENT = "departement", _("Département")
    REGION = "region", _("Région")
    FRANCE = "france", _("France entière")


NARROWNESS = {level: rank for rank, level in enumerate(ZoneLevel.values)}

# The area filters of the API take these levels (a zone of `france` needs no code).
AREA_LEVELS = (ZoneLevel.REGION, ZoneLevel.DEPARTEMENT, ZoneLevel.EPCI, ZoneLevel.COMMUNE)


class EpciKind(models.TextChoices):
    CC = "CC", _("Communauté de communes")
    CA = "CA", _("Communauté d'agglomération")
    CU = "CU", _("Communauté urbaine")
    METRO = "METRO", _("Métropole")
    MET69 = "MET69", _("Métropole de Lyon")


class AliasKind(models.TextChoices):
    DELEGATED = "commune-deleguee", _("Commune déléguée")
    ASSOCIATED = "commune-associee", _("Commune associée")
    ARRONDISSEMENT = "arrondissement-municipal", _("Arrondissement municipal")
