"""Projects: who carries them, what they are and need, where; their shared timeline and funding plan.

A project's status is derived from its referrals (`selectors.project_status`). The holder needs no account: a signed
link (`services.holder_link`) brings them back; consent to share the file with the organisations they chose is
recorded with its date.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maille.core.enums import LegalForm, Need, Stage
from maille.core.fields import ChoiceListField
from maille.directory.models import Organisation, validate_siret
from maille.territories.models import Commune

from .enums import FundingLineStatus, TimelineKind


class Project(models.Model):
    # The person
    holder_name = models.CharField(_("nom et prénom"), max_length=200)
    holder_email = models.EmailField(_("adresse e-mail"), db_index=True)
    holder_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    consent_to_share = models.BooleanField(
        _("partager le dossier avec les structures choisies"),
        default=False,
        help_text=_(
            "Les structures sollicitées voient le dossier et son historique seulement avec cet accord."
        ),
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    # The project
    name = models.CharField(_("nom du projet"), max_length=200)
    description = models.TextField(_("description"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    legal_form = models.CharField(_("forme juridique"), max_length=20, choices=LegalForm.choices)
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, db_index=True, validators=[validate_siret]
    )
    stage = models.CharField(_("stade"), max_length=20, choices=Stage.choices)
    needs = ChoiceListField(_("besoins"), choices_enum=Need, blank=False)
    jobs_fte = models.DecimalField(
        _("emplois (équivalents temps plein)"),
        max_digits=7,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0)],
    )
    years_of_existence = models.PositiveIntegerField(_("années d'existence"), default=0)
    naf = models.CharField(_("secteur (code NAF)"), max_length=6, blank=True)
    collective = models.BooleanField(_("projet collectif"), default=False)
    social_innovation = models.BooleanField(_("innovation sociale"), default=False)
    tiers_lieu = models.BooleanField(_("tiers-lieu"), default=False)
    # Who brought it in: the holder, or an advisor / EPCI agent who detected it (the holder then confirms).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detected_by = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="detected_projects"
    )
    holder_confirmed_at = models.DateTimeField(_("confirmé par le porteur"), null=True, blank=True)
    is_demo = models.BooleanField(_("projet de démonstration"), default=False)
    # Set when the holder's personal data was erased (their request, or the retention period): `privacy.anonymise`.
    anonymised_at = models.DateTimeField(_("données personnelles effacées le"), null=True, blank=True)
    created_at = models.DateTimeField(_("création"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("projet")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_share=False) | Q(consented_at__isnull=False),
                name="%(app_label)s_%(class)s_consent_dated",
            )
        ]

    def __str__(self):
        return self.name


class TimelineEntry(models.Model):
    """One event of the shared project file."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("type"), max_length=20, choices=TimelineKind.choices)
    text = models.TextField(_("texte"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    happened_on = models.DateField(_("date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("événement du dossier")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.text[:40]}"


class FundingLine(models.Model):
    """A line of the project's funding plan: who funds which expense, asked and granted."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_lines")
    funder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="funding_lines")
    scheme = models.ForeignKey(
        "funding.FundingScheme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_lines",
    )
    expense = models.CharField(_("dépense financée"), max_length=200)
    amount_asked = models.DecimalField(_("montant demandé (€)"), max_digits=12, decimal_places=2, default=0)
    amount_granted = models.DecimalField(
        _("montant accordé (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=FundingLineStatus.choices, default=FundingLineStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expense", "pk"]
        verbose_name = _("ligne du plan de financement")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_asked__gte=0), name="%(app_label)s_%(class)s_asked_positive"
            ),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True) | Q(amount_granted__gte=0),
                name="%(app_label)s_%(class)s_granted_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status=FundingLineStatus.GRANTED) | Q(amount_granted__isnull=False),
                name="%(app_label)s_%(class)s_granted_has_amount",
                violation_error_message=_("Indiquez le montant accordé."),
            ),
        ]

    def __str__(self):
        return f"{self.funder} — {self.expense}"


class ProjectBudget(models.Model):
    """The total need to finance, for the gap in the funding plan."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="budget")
    total_need = models.DecimalField(
        _("besoin total à financer (€)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("budget du projet")
        constraints = [
            models.CheckConstraint(
                condition=Q(total_need__gte=0), name="%(app_label)s_%(class)s_total_need_positive"
            )
        ]

    def __str__(self):
        return f"{self.project}: {self.total_need} €"


class HolderLink(models.Model):
    """A link that brings a holder back to their project without a password: an opaque random token, of which only
    the SHA-256 is stored; it expires (`expires_at`) and can be revoked. A new one is issued for each e-mail."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="holder_links")
    token_hash = models.CharField(max_length=64, unique=True)
    # The SHA-256 of the holder's e-mail when issued: a link stops working when the project's e-mail changes.
    email_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien du porteur")
        verbose_name_plural = _("liens des porteurs")

    def __str__(self):
        return f"{self.project_id} ({self.created_at:%Y-%m-%d})"
