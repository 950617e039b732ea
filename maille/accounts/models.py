"""People and organisations: users log in by e-mail; a membership ties a user to an organisation (admin or not)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maille.territories.models import Epci

from .enums import ROLE_BY_KIND, OrganisationKind, Role


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


class Organisation(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=OrganisationKind.choices)
    # An EPCI organisation acts for one intercommunality: its agents are scoped to it.
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("EPCI"),
    )
    is_demo = models.BooleanField(
        _("démo"), default=False, help_text=_("Organisation fictive créée pour la démo.")
    )
    members = models.ManyToManyField(User, through="Membership", related_name="organisations")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.EPCI, epci__isnull=False) | ~Q(kind=OrganisationKind.EPCI),
                name="%(app_label)s_%(class)s_epci_kind_has_epci",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def member_role(self) -> Role:
        return ROLE_BY_KIND[OrganisationKind(self.kind)]


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
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
