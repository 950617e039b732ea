"""Vocabularies of the directory: kinds of organisation, how an offer is mobilised, publication status, origin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ESS_NETWORK = "reseau_ess", _("Réseau ou structure d'accompagnement de l'ESS")
    CREATION_NETWORK = "reseau_creation", _("Réseau de la création d'entreprise (parcours classique)")
    FUNDER = "financeur", _("Financeur")
    STATE_SERVICE = "service_etat", _("Service de l'État")
    LOCAL_AUTHORITY = "collectivite", _("Collectivité territoriale")
    EPCI = "epci", _("Intercommunalité (EPCI)")
    TIERS_LIEU = "tiers_lieu", _("Tiers-lieu")
    OTHER = "autre", _("Autre")


class Mobilisation(models.TextChoices):
    MAILLE = "maille", _("Mise en relation par Maille")
    LINK = "link", _("Lien vers le site de la structure")
    EMAIL = "email", _("Par e-mail")
    PHONE = "phone", _("Par téléphone")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    TO_REVIEW = "to_review", _("À relire (importée)")
    PUBLISHED = "published", _("Publiée")
    ARCHIVED = "archived", _("Archivée")


class Origin(models.TextChoices):
    """Where a record comes from: entered by people (by hand or in the reference files) or imported from a national
    source (then it keeps that source's id and waits for review)."""

    MANUAL = "manual", _("Saisie par une personne")
    AIDES_TERRITOIRES = "aides_territoires", _("Aides-territoires")
    DATA_INCLUSION = "data_inclusion", _("data·inclusion")
