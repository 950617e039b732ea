"""Showcase data: success stories, events and their registrations, tiers-lieux, trainings and their participants, and
the partnership of each EPCI with the strategy's pilots.

A registration's cancellation link is an opaque random token sent by e-mail; only its SHA-256 is stored (as the
referrals' `AnswerLink`). A story drawn from a project is published only while its holder's consent stands: the
database refuses a published story from a project without it (`story_project_consent`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maille.core.fields import ChoiceListField
from maille.directory.models import Organisation
from maille.territories.models import Commune, Epci

from .enums import (
    Activity,
    Competence,
    EventKind,
    Family,
    Governance,
    PartnershipStatus,
    RegistrationStatus,
    Sector,
    StoryStatus,
)


class Story(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=220, unique=True)
    summary = models.CharField(_("chapeau"), max_length=300, blank=True)
    text = models.TextField(_("texte"))
    quote = models.TextField(_("citation"), blank=True)
    quote_author = models.CharField(_("auteur ou autrice de la citation"), max_length=200, blank=True)
    # Resized and stripped of its metadata on upload (`images.clean_photo`); served by `views.story_photo`.
    photo = models.ImageField(_("photo"), upload_to="showcase/stories/", blank=True)
    photo_alt = models.CharField(
        _("texte alternatif de la photo"),
        max_length=300,
        blank=True,
        help_text=_("Ce que montre la photo, pour les personnes qui ne la voient pas."),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    sector = models.CharField(_("secteur"), max_length=20, choices=Sector.choices)
    family = models.CharField(_("famille de l'ESS"), max_length=20, choices=Family.choices)
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name=_("projet"),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, db_index=True)
    consent_given_at = models.DateTimeField(_("accord du porteur le"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("accord retiré le"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("réussite de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("réussite")
        verbose_name_plural = _("réussites")
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="%(app_label)s_%(class)s_photo_has_alt"
            ),
            models.CheckConstraint(
                condition=~Q(status=StoryStatus.PUBLISHED)
                | Q(project__isnull=True)
                | Q(consent_given_at__isnull=False, consent_withdrawn_at__isnull=True),
                name="%(app_label)s_%(class)s_project_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status=StoryStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="%(app_label)s_%(class)s_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.consent_withdrawn_at is None


class Event(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=220, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    description = models.TextField(_("description"))
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="events", verbose_name=_("organisateur")
    )
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )
    address = models.CharField(_("adresse du lieu"), max_length=300, blank=True)
    online_url = models.URLField(_("lien de connexion"), blank=True)
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Vide : pas de limite.")
    )
    is_published = models.BooleanField(_("publié"), default=True)
    is_demo = models.BooleanField(_("événement de démonstration"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("temps collectif")
        verbose_name_plural = _("temps collectifs")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="%(app_label)s_%(class)s_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(commune__isnull=False) | ~Q(online_url=""),
                name="%(app_label)s_%(class)s_has_place",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="%(app_label)s_%(class)s_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.title


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("nom et prénom"), max_length=200)
    email = models.EmailField(_("adresse e-mail"))
    status = models.CharField(_("statut"), max_length=10, choices=RegistrationStatus.choices, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("sortie de la liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    attended = models.BooleanField(_("présent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING]),
                name="%(app_label)s_%(class)s_one_per_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="showcase_registration_status")]

    def __str__(self):
        return f"{self.name} — {self.event}"


class TiersLieu(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=220, unique=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("commune")
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    activities = ChoiceListField(_("activités"), choices_enum=Activity)
    governance = models.CharField(_("gouvernance"), max_length=12, choices=Governance.choices)
    ess_status = models.BooleanField(
        _("structure de l'ESS"), default=False, help_text=_("Portée par une structure de l'ESS.")
    )
    network = models.CharField(
        _("réseau"), max_length=200, blank=True, help_text=_("Par exemple CAP Tiers-Lieux.")
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    website = models.URLField(_("site"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    source_url = models.URLField(_("source"), blank=True)
    is_demo = models.BooleanField(_("fiche fictive (démo)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("tiers-lieu")
        verbose_name_plural = _("tiers-lieux")

    def __str__(self):
        return self.name

    @property
    def activity_labels(self) -> list[str]:
        return [str(Activity(value).label) for value in self.activities if value in Activity.values]


class Training(models.Model):
    """A training offered to the people of tiers-lieux (O14), given in one or more sessions."""

    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    competences = ChoiceListField(_("compétences travaillées"), choices_enum=Competence)
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tiers_lieux_trainings",
        verbose_name=_("organisme de formation"),
    )
    is_demo = models.BooleanField(_("formation de démonstration"), default=False)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("formation des tiers-lieux")
        verbose_name_plural = _("formations des tiers-lieux")

    def __str__(self):
        return self.title

    @property
    def competence_labels(self) -> list[str]:
        return [str(Competence(value).label) for value in self.competences if value in Competence.values]


class TrainingSession(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    starts_on = models.DateField(_("début"), db_index=True)
    ends_on = models.DateField(_("fin"))
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("commune")
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="%(app_label)s_%(class)s_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.training} ({self.starts_on:%d/%m/%Y})"


class Participant(models.Model):
    """A person from a tiers-lieu who followed a session (counted once per person and tiers-lieu)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="participants")
    tiers_lieu = models.ForeignKey(
        TiersLieu, on_delete=models.PROTECT, related_name="participants", verbose_name=_("tiers-lieu")
    )
    name = models.CharField(_("nom et prénom"), max_length=200)
    completed = models.BooleanField(_("a suivi la session"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("participant ou participante")
        verbose_name_plural = _("participants et participantes")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "tiers_lieu", "name"], name="%(app_label)s_%(class)s_once_per_session"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.tiers_lieu})"


class Partnership(models.Model):
    """An EPCI's partnership with the strategy's pilots (O13); no row means « aucun partenariat »."""

    epci = models.OneToOneField(Epci, on_delete=models.CASCADE, primary_key=True, related_name="partnership")
    status = models.CharField(
        _("statut"), max_length=12, choices=PartnershipStatus.choices, default=PartnershipStatus.NONE
    )
    signed_on = models.DateField(_("date de signature"), null=True, blank=True)
    document = models.FileField(_("convention (PDF)"), upload_to="showcase/partnerships/", blank=True)
    contact_name = models.CharField(_("personne à contacter"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    actions = models.ManyToManyField(
        "strategy.Action", blank=True, related_name="epci_partnerships", verbose_name=_("actions concernées")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("partenariat de démonstration"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("partenariat d'EPCI")
        verbose_name_plural = _("partenariats d'EPCI")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=PartnershipStatus.SIGNED) | Q(signed_on__isnull=False),
                name="%(app_label)s_%(class)s_signed_has_date",
            )
        ]

    def __str__(self):
        return f"{self.epci} — {self.get_status_display()}"
