"""People: users log in by e-mail; a membership ties a user to a directory organisation with a role (admin or not)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import MemberRole


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("utilisateur")

    def __str__(self):
        return self.get_full_name() or self.email


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=MemberRole.choices)
    is_admin = models.BooleanField(_("administrateur de l'organisation"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="%(app_label)s_%(class)s_unique_member"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation}"

    def clean(self):
        if self.role == MemberRole.EPCI_AGENT and self.organisation_id and not self.organisation.epci_id:
            raise ValidationError(
                {
                    "role": _(
                        "Un agent d'EPCI appartient à l'organisation d'une intercommunalité (EPCI renseigné)."
                    )
                }
            )
