"""Vocabularies of referrals: states and outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("En attente de réponse")
    ACCEPTED = "accepted", _("Acceptée : accompagnement en cours")
    DECLINED = "declined", _("Déclinée")
    EXPIRED = "expired", _("Expirée sans réponse")
    CLOSED = "closed", _("Clôturée")


class Outcome(models.TextChoices):
    HELPED = "helped", _("Accompagnement réalisé")
    NO_HELP = "no_help", _("Pas d'accompagnement possible")
    UNREACHABLE = "unreachable", _("Porteur injoignable")
