"""Vocabularies shared by every app (directory, funding, projects, orientation): stages, needs, legal forms."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    EMERGENCE = "emergence", _("Émergence (idée, faisabilité)")
    CREATION = "creation", _("Création ou reprise")
    DEVELOPPEMENT = "developpement", _("Développement")
    CHANGEMENT_ECHELLE = "changement_echelle", _("Changement d'échelle")
    CONSOLIDATION = "consolidation", _("Consolidation (fragilité, relance)")


class Need(models.TextChoices):
    MODELE_ECONOMIQUE = "modele_economique", _("Modèle économique")
    FINANCEMENT = "financement", _("Financement")
    GOUVERNANCE = "gouvernance", _("Gouvernance")
    JURIDIQUE = "juridique", _("Juridique")
    EMPLOI = "emploi", _("Emploi et fonction employeur")
    COMMERCIAL = "commercial", _("Commercial")
    LOCAUX = "locaux", _("Locaux et immobilier")
    COOPERATION = "cooperation", _("Coopération et mutualisation")
    INNOVATION_SOCIALE = "innovation_sociale", _("Innovation sociale")
    NUMERIQUE = "numerique", _("Numérique")
    FORMATION = "formation", _("Formation")
    BENEVOLAT = "benevolat", _("Bénévolat")
    EVALUATION_IMPACT = "evaluation_impact", _("Évaluation d'impact")
    TEST_ACTIVITE = "test_activite", _("Test d'activité")
    REPRISE = "reprise", _("Reprise d'entreprise")


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SCOP = "scop", _("SCOP")
    SCIC = "scic", _("SCIC")
    COOPERATIVE = "cooperative", _("Autre coopérative")
    MUTUELLE = "mutuelle", _("Mutuelle")
    FONDATION = "fondation", _("Fondation")
    SOCIETE_ESS = "societe_ess", _("Société commerciale de l'ESS (ESUS)")
    SOCIETE = "societe", _("Société commerciale")
    NON_CREEE = "non_creee", _("Structure pas encore créée")


class OutboxStatus(models.TextChoices):
    """Where an e-mail of the outbox stands: waiting (first send or a retry), sent, or given up after every retry."""

    PENDING = "pending", _("En attente")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Abandonné")
