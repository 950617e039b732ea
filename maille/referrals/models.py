"""Referrals (mises en relation): a project put in touch with an organisation through one of its offers.

States and allowed transitions are in `services.TRANSITIONS`; each transition is one function of `services`.
Reminder and expiry e-mails are stamped here so that the daily command never sends the same one twice.
How the organisation was told (its advisors, the offer's contact, its own address, or the regional orientation desk)
is resolved once, at creation, and kept with the addresses (`delivery_channel`, `delivery_recipients`). People
without an account answer through an `AnswerLink`: an opaque random token sent by e-mail, stored hashed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maille.directory.models import Offer, Organisation
from maille.projects.models import Project

from .enums import DeliveryChannel, Outcome, ReferralStatus


class Referral(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="referrals")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PENDING,
        db_index=True,
    )
    message = models.TextField(_("message du porteur"), blank=True)
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    outcome = models.CharField(_("issue"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("commentaire de clôture"), blank=True)
    # Referred onward by an advisor of another organisation: the referral it came from.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="onward"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    first_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    second_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    # Delivery: resolved once when the referral is created (`selectors.resolve_delivery`).
    delivery_channel = models.CharField(
        _("canal de transmission"), max_length=20, choices=DeliveryChannel.choices, blank=True
    )
    delivery_recipients = models.JSONField(_("destinataires"), default=list, blank=True)
    # Forwarded by the regional orientation desk (to an address, or to another organisation).
    forwarded_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forwarded_to = models.EmailField(_("transmise à l'adresse"), blank=True)
    # Who answered, as the holder sees it: the advisor's account, or what a person answering by link typed.
    answered_by_name = models.CharField(_("nom de la personne qui a répondu"), max_length=200, blank=True)
    answered_by_email = models.EmailField(_("e-mail de la personne qui a répondu"), blank=True)
    answered_by_phone = models.CharField(
        _("téléphone de la personne qui a répondu"), max_length=30, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.DECLINED) | ~Q(decline_reason=""),
                name="%(app_label)s_%(class)s_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.CLOSED) | ~Q(outcome=""),
                name="%(app_label)s_%(class)s_closed_has_outcome",
            ),
            models.UniqueConstraint(
                fields=["project", "offer"],
                condition=Q(status__in=[ReferralStatus.PENDING, ReferralStatus.ACCEPTED]),
                name="%(app_label)s_%(class)s_one_open_per_offer",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="referrals_org_status")]

    def __str__(self):
        return f"{self.project} → {self.organisation} ({self.get_status_display()})"


class AnswerLink(models.Model):
    """A link sent by e-mail to one address, to answer one referral without an account.

    Only the SHA-256 of the token is stored; the link works while the referral is open (pending or accepted) and
    the link is not revoked (the desk forwarding the referral elsewhere revokes the earlier links).
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="answer_links")
    email = models.EmailField(_("adresse"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien de réponse")
        verbose_name_plural = _("liens de réponse")

    def __str__(self):
        return f"{self.referral_id} → {self.email}"

    # Behaves as an anonymous actor wherever a user is expected (audit, timeline authors).
    is_authenticated = False
