"""What every app shares in the database: the audit log of state changes and the outbox of e-mails."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import OutboxStatus


class AuditEntry(models.Model):
    """Who did what to which record, when: written by every state-changing service."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("type d'objet"), max_length=60)
    target_id = models.CharField(_("identifiant"), max_length=40)
    data = models.JSONField(_("détails"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        indexes = [models.Index(fields=["target_type", "target_id"], name="core_audit_target")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class OutboxEmail(models.Model):
    """One e-mail to one address, written in the transaction that causes it and sent by a task once it commits.

    The row is the truth: a task that is lost, or a mail server that is down, leaves it pending with its next attempt,
    and `manage.py send_outbox` (cron) sends every due one. See `maille.core.emails.deliver`.
    """

    to = models.EmailField(_("destinataire"), max_length=254)
    from_email = models.CharField(_("expéditeur"), max_length=254, blank=True)
    subject = models.CharField(_("objet"), max_length=998)
    body_text = models.TextField(_("texte"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    template = models.CharField(_("modèle"), max_length=120, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail de la file d'envoi")
        verbose_name_plural = _("file d'envoi des e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_outbox_due")]

    def __str__(self):
        return f"{self.to} — {self.subject}"
