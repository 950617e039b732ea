"""Vocabularies of the showcase: story status, sectors and ESS families, event kinds, registration status,
tiers-lieux activities and governance, training competences, partnership status."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StoryStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publiée")


class Sector(models.TextChoices):
    FOOD = "alimentation", _("Alimentation et agriculture")
    REUSE = "reemploi", _("Réemploi et économie circulaire")
    MOBILITY = "mobilite", _("Mobilité")
    CULTURE = "culture", _("Culture et loisirs")
    CARE = "services_personne", _("Services aux personnes")
    HOUSING = "habitat", _("Habitat et cadre de vie")
    INCLUSION = "insertion", _("Insertion par l'activité économique")
    DIGITAL = "numerique", _("Numérique")
    ENERGY = "energie", _("Énergie et transition écologique")
    OTHER = "autre", _("Autre secteur")


class Family(models.TextChoices):
    """The families of the ESS (law of 31 July 2014)."""

    ASSOCIATION = "association", _("Association")
    COOPERATIVE = "cooperative", _("Coopérative")
    MUTUAL = "mutuelle", _("Mutuelle")
    FOUNDATION = "fondation", _("Fondation")
    COMPANY = "entreprise_ess", _("Entreprise commerciale de l'ESS")


class EventKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    WORKSHOP = "atelier", _("Atelier")
    WEBINAR = "webinaire", _("Webinaire")
    TRAINING = "formation", _("Formation")
    VISIT = "visite", _("Visite")
    MEETING = "rencontre", _("Rencontre")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscription confirmée")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class Activity(models.TextChoices):
    COWORKING = "coworking", _("Espace de travail partagé")
    FABLAB = "fablab", _("Atelier de fabrication (fablab)")
    FOOD = "alimentation", _("Cuisine, épicerie, restauration")
    CULTURE = "culture", _("Culture et événements")
    DIGITAL = "numerique", _("Médiation numérique")
    REUSE = "reemploi", _("Réemploi, recyclerie")
    SERVICES = "services", _("Services au public")
    TRAINING = "formation", _("Formation")
    FARMING = "agriculture", _("Agriculture, jardin partagé")


class Governance(models.TextChoices):
    ASSOCIATION = "association", _("Associative")
    COOPERATIVE = "cooperative", _("Coopérative (SCIC, SCOP)")
    PUBLIC = "publique", _("Publique (collectivité)")
    PRIVATE = "privee", _("Privée")
    MIXED = "mixte", _("Mixte")


class Competence(models.TextChoices):
    """What a training for tiers-lieux covers."""

    FACILITATION = "animation", _("Animation de communauté")
    BUSINESS_MODEL = "modele_economique", _("Modèle économique")
    GOVERNANCE = "gouvernance", _("Gouvernance partagée")
    EVALUATION = "evaluation", _("Évaluation d'impact")
    FUNDING = "financement", _("Recherche de financements")
    PREMISES = "lieu", _("Aménagement et gestion du lieu")
    DIGITAL = "numerique", _("Outils numériques")


class PartnershipStatus(models.TextChoices):
    NONE = "none", _("Aucun partenariat")
    DISCUSSION = "discussion", _("En discussion")
    SIGNED = "signed", _("Signé")
