"""The directory of support: organisations, their branches, their offers (services) and advisors' competences.

Offers and branches have zones (level + code, several allowed); coverage of a commune goes through the hierarchy
(`territories.selectors.covering_zones_q`). Lists of stages, needs and legal forms are `ChoiceListField`s.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maille.core.constraints import ordered
from maille.core.enums import LegalForm, Need, Stage
from maille.core.fields import ChoiceListField
from maille.core.identifiers import is_valid_siret
from maille.territories.models import Commune, Epci, ZoneMixin

from .enums import Mobilisation, OrganisationKind, Origin, PublicationStatus

# A record not verified for this long (or never) is « à vérifier ».
VERIFICATION_MAX_AGE_DAYS = 365


def validate_siret(value: str) -> None:
    if value and not is_valid_siret(value):
        raise ValidationError(_("Ce SIRET n'est pas valide (14 chiffres et une clé de contrôle juste)."))


class SourcedMixin(models.Model):
    """Where a record's facts come from, and which of its fields are plausible demo completions."""

    source_url = models.URLField(_("source publique"), max_length=500, blank=True)
    demo_fields = models.JSONField(
        _("champs de démonstration"),
        default=list,
        blank=True,
        help_text=_("Champs complétés de façon plausible, non confirmés par la source."),
    )
    is_demo = models.BooleanField(_("fiche de démonstration"), default=False)

    class Meta:
        abstract = True

    def is_confirmed(self, field: str) -> bool:
        return not self.is_demo and field not in self.demo_fields


class ExternalMixin(models.Model):
    """Where a record comes from (a person, or a national source with its id and page) and which fields people
    edited: a synchronisation never overwrites those."""

    origin = models.CharField(
        _("origine"), max_length=20, choices=Origin.choices, default=Origin.MANUAL, db_index=True
    )
    external_id = models.CharField(_("identifiant à la source"), max_length=200, blank=True)
    external_url = models.URLField(_("fiche à la source"), max_length=500, blank=True)
    edited_fields = models.JSONField(
        _("champs modifiés par une personne"),
        default=list,
        blank=True,
        help_text=_("Une synchronisation ne remplace jamais ces champs."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "external_id"],
                condition=~Q(external_id=""),
                name="%(app_label)s_%(class)s_unique_external_id",
            )
        ]

    @property
    def is_imported(self) -> bool:
        return self.origin != Origin.MANUAL

    def mark_edited(self, fields) -> None:
        """Remember that a person set these fields (a synchronisation leaves them as they are)."""
        self.edited_fields = sorted(set(self.edited_fields or []) | set(fields))


class VerifiedMixin(models.Model):
    """When a record was last checked, by whom, against what; unverified for a year (or never) = « à vérifier »."""

    last_verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True, db_index=True)
    last_verified_by = models.CharField(_("vérifié par"), max_length=200, blank=True)
    last_verified_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifié par (compte)"),
    )
    verification_source = models.CharField(
        _("source de la vérification"),
        max_length=500,
        blank=True,
        help_text=_("La page consultée, ou comment la fiche a été confirmée."),
    )

    class Meta:
        abstract = True

    @property
    def needs_verification(self) -> bool:
        from django.utils import timezone

        if self.last_verified_at is None:
            return True
        return (timezone.now() - self.last_verified_at).days >= VERIFICATION_MAX_AGE_DAYS


class Organisation(ExternalMixin, SourcedMixin):
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    website = models.URLField(_("site web"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    # An EPCI's own service acts for that intercommunality: its agents are scoped to it.
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("EPCI"),
    )
    verification_requested_at = models.DateTimeField(
        _("dernière demande de vérification"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            *ExternalMixin.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(kind=OrganisationKind.EPCI) | Q(epci__isnull=False),
                name="%(app_label)s_%(class)s_epci_kind_has_epci",
            ),
        ]

    def __str__(self):
        return self.name


class Branch(models.Model):
    """A local branch (antenne) of an organisation, with the zones it covers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="branches")
    name = models.CharField(_("nom"), max_length=200)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("antenne")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="%(app_label)s_%(class)s_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.name}"


class BranchZone(ZoneMixin):
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="zones")

    class Meta:
        verbose_name = _("zone d'une antenne")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "zone_level", "zone_code"], name="%(app_label)s_%(class)s_unique_zone"
            )
        ]


class Offer(ExternalMixin, VerifiedMixin, SourcedMixin):
    """A service of an organisation: for which stages, needs and structures, where, and how to mobilise it."""

    slug = models.SlugField(_("identifiant"), max_length=150, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    branch = models.ForeignKey(
        Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"))
    stages = ChoiceListField(_("stades"), choices_enum=Stage, blank=False)
    needs = ChoiceListField(_("besoins"), choices_enum=Need, blank=False)
    legal_forms = ChoiceListField(
        _("formes juridiques éligibles"),
        choices_enum=LegalForm,
        help_text=_("Vide : toutes les formes juridiques."),
    )
    employees_min = models.PositiveIntegerField(_("salariés minimum"), null=True, blank=True)
    employees_max = models.PositiveIntegerField(_("salariés maximum"), null=True, blank=True)
    years_min = models.PositiveIntegerField(_("années d'existence minimum"), null=True, blank=True)
    years_max = models.PositiveIntegerField(_("années d'existence maximum"), null=True, blank=True)
    is_free = models.BooleanField(_("gratuit"), default=True)
    on_site = models.BooleanField(_("sur place"), default=True)
    remote = models.BooleanField(_("à distance"), default=False)
    mobilisation = models.CharField(
        _("comment la mobiliser"), max_length=10, choices=Mobilisation.choices, default=Mobilisation.MAILLE
    )
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    added_value = models.TextField(_("plus-value par rapport au parcours classique"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    search_text = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("offre d'accompagnement")
        verbose_name_plural = _("offres d'accompagnement")
        constraints = [
            *ExternalMixin.Meta.constraints,
            ordered("employees_min", "employees_max", "employees_range"),
            ordered("years_min", "years_max", "years_range"),
        ]

    def __str__(self):
        return self.name


class OfferZone(ZoneMixin):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="zones")

    class Meta:
        verbose_name = _("zone d'une offre")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "zone_level", "zone_code"], name="%(app_label)s_%(class)s_unique_zone"
            )
        ]
        indexes = [models.Index(fields=["zone_level", "zone_code"], name="directory_offerzone_zone")]


class Competence(ZoneMixin):
    """Who knows what, where (O6): an advisor of an organisation, a need, a zone and intervention criteria."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competences"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="competences")
    need = models.CharField(_("besoin"), max_length=30, choices=Need.choices)
    criteria = models.TextField(_("critères d'intervention"), blank=True)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        verbose_name = _("compétence")
        constraints = [
            models.UniqueConstraint(
                fields=["advisor", "organisation", "need", "zone_level", "zone_code"],
                name="%(app_label)s_%(class)s_unique",
            )
        ]

    def __str__(self):
        return f"{self.advisor} — {self.get_need_display()}"
