"""Partner tokens: one organisation's key to the API's write endpoints, stored hashed, shown once, revocable.

A token acts through its own technical account (`user`), a member of the organisation with the token's role and of
nobody else: every permission predicate of the apps (`perms.py`) then applies to it unchanged, so a token can do
exactly what a member of its organisation may do, never what staff may. Its address ends in `.invalid` (RFC 2606):
it receives no e-mail and cannot log in (unusable password).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maille.accounts.enums import MemberRole


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("rôle"),
        max_length=20,
        choices=MemberRole.choices,
        help_text=_("Le jeton a les droits d'un membre de l'organisation ayant ce rôle."),
    )
    name = models.CharField(
        _("nom"),
        max_length=120,
        help_text=_("Pour qui ou pour quel logiciel, par exemple « Portail du réseau »."),
    )
    prefix = models.CharField(_("début du jeton"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_token",
        editable=False,
        verbose_name=_("compte technique"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self):
        return f"{self.name} — {self.organisation} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
