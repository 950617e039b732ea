"""Vocabularies of funding: kinds of scheme, recurrence, deadlines, alert frequency."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FundingType(models.TextChoices):
    GRANT = "subvention", _("Subvention")
    LOAN = "pret", _("Prêt")
    HONOUR_LOAN = "pret_honneur", _("Prêt d'honneur")
    GUARANTEE = "garantie", _("Garantie")
    EQUITY = "fonds_propres", _("Fonds propres")
    RECOVERABLE_ADVANCE = "avance_remboursable", _("Avance remboursable")
    ENGINEERING = "ingenierie", _("Ingénierie")
    OTHER = "autre", _("Autre")


class Recurrence(models.TextChoices):
    ONE_OFF = "ponctuel", _("Ponctuel")
    PERMANENT = "permanent", _("Permanent")
    RECURRING = "recurrent", _("Récurrent (chaque année)")


class Deadline(models.TextChoices):
    OPEN = "open", _("Ouvert")
    CLOSING_SOON = "closing_soon", _("Clôture proche")
    CLOSED = "closed", _("Clos")


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("Chaque jour")
    WEEKLY = "weekly", _("Chaque semaine")
