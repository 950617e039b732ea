"""Vocabularies of projects: derived status, timeline entries, funding plan lines."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    """Derived from the project's referrals (never stored by hand): see `projects.selectors.project_status`."""

    NEW = "new", _("Nouveau : aucune mise en relation")
    WAITING = "waiting", _("En attente de réponse")
    SUPPORTED = "supported", _("Accompagné")
    CLOSED = "closed", _("Accompagnement terminé")
    STUCK = "stuck", _("Sans suite : aucune mise en relation acceptée")


class TimelineKind(models.TextChoices):
    REFERRAL = "referral", _("Mise en relation")
    SUPPORT_ACTION = "support_action", _("Action d'accompagnement")
    FUNDING = "funding", _("Financement")
    MILESTONE = "milestone", _("Étape")
    NOTE = "note", _("Note")


class FundingLineStatus(models.TextChoices):
    PLANNED = "planned", _("Envisagé")
    ASKED = "asked", _("Demandé")
    GRANTED = "granted", _("Accordé")
    REFUSED = "refused", _("Refusé")
    WITHDRAWN = "withdrawn", _("Retiré")
