"""Funding schemes (who funds what, for whom, where, until when) and saved searches that alert by e-mail."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from maille.core.constraints import ordered
from maille.core.enums import LegalForm, Need, Stage
from maille.core.fields import ChoiceListField
from maille.directory.enums import PublicationStatus
from maille.directory.models import ExternalMixin, Organisation, SourcedMixin, VerifiedMixin
from maille.territories.models import ZoneMixin

from .enums import AlertFrequency, FundingType, Recurrence


class FundingScheme(ExternalMixin, VerifiedMixin, SourcedMixin):
    slug = models.SlugField(_("identifiant"), max_length=150, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    funders = models.ManyToManyField(
        Organisation, related_name="funding_schemes", verbose_name=_("financeurs")
    )
    kind = models.CharField(_("type"), max_length=20, choices=FundingType.choices)
    description = models.TextField(_("description"))
    stages = ChoiceListField(_("stades"), choices_enum=Stage, blank=False)
    needs = ChoiceListField(_("ce qu'il finance"), choices_enum=Need)
    legal_forms = ChoiceListField(
        _("formes juridiques éligibles"),
        choices_enum=LegalForm,
        help_text=_("Vide : toutes les formes juridiques."),
    )
    amount_min = models.PositiveIntegerField(_("montant minimum (€)"), null=True, blank=True)
    amount_max = models.PositiveIntegerField(_("montant maximum (€)"), null=True, blank=True)
    rate = models.CharField(_("taux"), max_length=60, blank=True)
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    closes_on = models.DateField(_("date limite"), null=True, blank=True, db_index=True)
    recurrence = models.CharField(_("récurrence"), max_length=10, choices=Recurrence.choices)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    search_text = models.TextField(editable=False, blank=True)
    published_at = models.DateTimeField(
        _("publication"), null=True, blank=True, editable=False, db_index=True
    )
    created_at = models.DateTimeField(_("création"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dispositif de financement")
        verbose_name_plural = _("dispositifs de financement")
        constraints = [
            *ExternalMixin.Meta.constraints,
            ordered("amount_min", "amount_max", "amount_range"),
            ordered("opens_on", "closes_on", "dates_order"),
        ]

    def __str__(self):
        return self.name


class SchemeZone(ZoneMixin):
    scheme = models.ForeignKey(FundingScheme, on_delete=models.CASCADE, related_name="zones")

    class Meta:
        verbose_name = _("zone d'un dispositif")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "zone_level", "zone_code"], name="%(app_label)s_%(class)s_unique_zone"
            )
        ]
        indexes = [models.Index(fields=["zone_level", "zone_code"], name="funding_schemezone_zone")]


class SavedSearch(models.Model):
    """A visitor's funding search with an e-mail address: confirmed by e-mail, then alerts on new matching schemes."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("adresse e-mail"))
    commune = models.CharField(_("commune"), max_length=5, blank=True)
    stage = models.CharField(_("stade"), max_length=20, choices=Stage.choices, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=FundingType.choices, blank=True)
    legal_form = models.CharField(_("forme juridique"), max_length=20, choices=LegalForm.choices, blank=True)
    query = models.CharField(_("mots-clés"), max_length=100, blank=True)
    frequency = models.CharField(_("fréquence"), max_length=10, choices=AlertFrequency.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recherche enregistrée")
        verbose_name_plural = _("recherches enregistrées")

    def __str__(self):
        return f"{self.email} ({self.get_frequency_display()})"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class AlertDelivery(models.Model):
    """A scheme already sent to a saved search: never sent twice."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="deliveries")
    scheme = models.ForeignKey(FundingScheme, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "scheme"], name="%(app_label)s_%(class)s_once")
        ]

    def __str__(self):
        return f"{self.saved_search_id} → {self.scheme_id}"
