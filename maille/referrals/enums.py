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


class DeliveryChannel(models.TextChoices):
    """How an organisation was told of a referral, resolved once when the referral is created."""

    ADVISORS = "advisors", _("Conseillers de la structure sur Maille")
    OFFER_CONTACT = "offer_contact", _("Adresse de contact de l'offre")
    ORGANISATION_EMAIL = "organisation_email", _("Adresse de la structure")
    DESK = "desk", _("Équipe régionale d'orientation")
