"""The regional ESS strategy as data: strategy → axes → sub-axes → objectives (the 14 published ones), the actions
that serve them (entered by the pilots, not public), indicators with dated measurements, committee meetings and their
decisions. Progress is never stored: `rollup.py` derives it from statuses, weights and measurements.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maille.core.constraints import ordered
from maille.directory.models import Organisation
from maille.territories.enums import ZoneLevel
from maille.territories.models import ZoneMixin

from .enums import (
    ActionStatus,
    ChangeKind,
    ChangeTarget,
    DecisionStatus,
    Direction,
    IndicatorSource,
    MeetingKind,
    ProgressSource,
)

PERIOD_MIN, PERIOD_MAX = 2022, 2028


class Strategy(models.Model):
    name = models.CharField(_("nom"), max_length=200, unique=True)
    region_code = models.CharField(_("code de la région"), max_length=3)
    period_start = models.PositiveSmallIntegerField(
        _("première année"), validators=[MinValueValidator(PERIOD_MIN), MaxValueValidator(PERIOD_MAX)]
    )
    period_end = models.PositiveSmallIntegerField(
        _("dernière année"), validators=[MinValueValidator(PERIOD_MIN), MaxValueValidator(PERIOD_MAX)]
    )
    pilots = models.ManyToManyField(
        Organisation, blank=True, related_name="piloted_strategies", verbose_name=_("organisations pilotes")
    )
    source_url = models.URLField(_("source publique"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("stratégie")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__gte=PERIOD_MIN, period_end__lte=PERIOD_MAX)
                & Q(period_start__lte=F("period_end")),
                name="%(app_label)s_%(class)s_period_range",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def period(self) -> str:
        return f"{self.period_start}-{self.period_end}"


class Axis(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="axes")
    code = models.CharField(_("code"), max_length=10, help_text=_("Par exemple A1."))
    title = models.CharField(_("intitulé"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("axe")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="%(app_label)s_%(class)s_unique_code")
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"


class SubAxis(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="sub_axes")
    title = models.CharField(_("intitulé"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("sous-axe")
        constraints = [
            models.UniqueConstraint(fields=["axis", "title"], name="%(app_label)s_%(class)s_unique_title")
        ]

    def __str__(self):
        return self.title


class Objective(models.Model):
    sub_axis = models.ForeignKey(SubAxis, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=10, help_text=_("O1 à O14."))
    title = models.CharField(_("intitulé"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("objectif")
        constraints = [
            models.UniqueConstraint(fields=["sub_axis", "code"], name="%(app_label)s_%(class)s_unique_code")
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"


class Action(ZoneMixin):
    """An action of the plan: who pilots it, which objectives it serves (several allowed), where, how far along."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    pilots = models.ManyToManyField(
        Organisation, blank=True, related_name="piloted_actions", verbose_name=_("pilotes")
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_actions", verbose_name=_("partenaires")
    )
    objectives = models.ManyToManyField(
        Objective, through="ActionObjective", related_name="actions", verbose_name=_("objectifs servis")
    )
    contacts = models.TextField(
        _("personnes à contacter"), blank=True, help_text=_("Une personne par ligne : nom, fonction, e-mail.")
    )
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    progress_override = models.PositiveSmallIntegerField(
        _("avancement ajusté (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Vide : l'avancement suit le statut ou les indicateurs. Les pilotes peuvent l'ajuster."),
    )
    progress_justification = models.TextField(
        _("justification de l'avancement ajusté"),
        blank=True,
        help_text=_("Obligatoire quand l'avancement est ajusté : pourquoi il diffère de celui du statut."),
    )
    progress_source = models.CharField(
        _("avancement calculé"), max_length=12, choices=ProgressSource.choices, default=ProgressSource.STATUS
    )
    budget_planned = models.DecimalField(
        _("budget prévu (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_spent = models.DecimalField(
        _("budget consommé (€)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    offers = models.ManyToManyField(
        "directory.Offer",
        blank=True,
        related_name="strategy_actions",
        verbose_name=_("offres de l'annuaire qui la mettent en œuvre"),
    )
    schemes = models.ManyToManyField(
        "funding.FundingScheme",
        blank=True,
        related_name="strategy_actions",
        verbose_name=_("dispositifs de financement qui la mettent en œuvre"),
    )
    archived_at = models.DateTimeField(
        _("archivée le"),
        null=True,
        blank=True,
        help_text=_("Une action archivée ne compte plus dans l'avancement."),
    )
    is_demo = models.BooleanField(_("action de démonstration"), default=False)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("action")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=Q(progress_override__isnull=True) | Q(progress_override__lte=100),
                name="%(app_label)s_%(class)s_progress_override_range",
            ),
            models.CheckConstraint(
                condition=Q(budget_planned__isnull=True) | Q(budget_planned__gte=0),
                name="%(app_label)s_%(class)s_budget_planned_positive",
            ),
            models.CheckConstraint(
                condition=Q(budget_spent__isnull=True) | Q(budget_spent__gte=0),
                name="%(app_label)s_%(class)s_budget_spent_positive",
            ),
            ordered("start_date", "end_date", "dates_order"),
        ]

    def __str__(self):
        return f"{self.code} — {self.title}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class ActionObjective(models.Model):
    """An objective an action serves, with the action's weight in that objective's progress (more than 0)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="objective_links")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="action_links")
    weight = models.DecimalField(
        _("poids"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Poids de l'action dans l'avancement de cet objectif (plus que 0)."),
    )

    class Meta:
        ordering = ["objective__order", "objective__code"]
        verbose_name = _("objectif servi")
        verbose_name_plural = _("objectifs servis")
        constraints = [
            models.UniqueConstraint(fields=["action", "objective"], name="%(app_label)s_%(class)s_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="%(app_label)s_%(class)s_weight_positive"),
        ]

    def __str__(self):
        return f"{self.action.code} → {self.objective.code}"


class Indicator(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="indicators")
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objectif"),
    )
    actions = models.ManyToManyField(Action, blank=True, related_name="indicators", verbose_name=_("actions"))
    name = models.CharField(_("nom"), max_length=300)
    unit = models.CharField(_("unité"), max_length=50, blank=True)
    baseline_value = models.DecimalField(
        _("valeur de départ"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("date de la valeur de départ"), null=True, blank=True)
    target_value = models.DecimalField(_("cible"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("échéance de la cible"), null=True, blank=True)
    direction = models.CharField(_("sens"), max_length=4, choices=Direction.choices, default=Direction.UP)
    source = models.CharField(
        _("source"), max_length=10, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    computation = models.CharField(
        _("calcul"),
        max_length=100,
        blank=True,
        help_text=_("Nom du calcul enregistré (indicateurs calculés)."),
    )
    is_demo = models.BooleanField(_("indicateur de démonstration"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicateur")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="%(app_label)s_%(class)s_unique_name"),
            models.CheckConstraint(
                condition=~Q(source=IndicatorSource.COMPUTED) | ~Q(computation=""),
                name="%(app_label)s_%(class)s_computed_has_computation",
            ),
        ]

    def __str__(self):
        return self.name


class Measurement(models.Model):
    """A dated value of an indicator. Without a territory it is the total for the strategy's region, the value the
    rollup reads; with one (département, EPCI…) it is a breakdown."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    zone_level = models.CharField(
        _("niveau du territoire"), max_length=12, choices=ZoneLevel.choices, blank=True
    )
    zone_code = models.CharField(_("code du territoire"), max_length=9, blank=True)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )
    created_at = models.DateTimeField(_("saisie le"), auto_now_add=True)

    class Meta:
        ordering = ["indicator", "date"]
        verbose_name = _("mesure")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date", "zone_level", "zone_code"], name="%(app_label)s_%(class)s_unique"
            ),
            models.CheckConstraint(
                condition=~Q(zone_level="") | Q(zone_code=""),
                name="%(app_label)s_%(class)s_code_needs_level",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "zone_level", "date"], name="strategy_measurement_series")
        ]

    def __str__(self):
        return f"{self.indicator} — {self.date} : {self.value}"

    def clean(self):
        if self.zone_code and not self.zone_level:
            raise ValidationError({"zone_level": _("Indiquez le niveau du territoire de ce code.")})


class CommitteeMeeting(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    kind = models.CharField(_("instance"), max_length=10, choices=MeetingKind.choices)
    organisations_present = models.ManyToManyField(
        Organisation, blank=True, related_name="committee_meetings", verbose_name=_("organisations présentes")
    )
    agenda = models.TextField(_("ordre du jour"), blank=True)
    minutes = models.TextField(_("compte rendu"), blank=True)
    minutes_file = models.FileField(
        _("compte rendu (PDF)"),
        upload_to="strategy/comptes-rendus/%Y/",
        blank=True,
        help_text=_("Servi aux seuls pilotes de la stratégie."),
    )
    is_demo = models.BooleanField(_("réunion de démonstration"), default=False)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("réunion de comité")
        verbose_name_plural = _("réunions de comité")

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y}"


class Decision(models.Model):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("décision"))
    actions = models.ManyToManyField(
        Action, blank=True, related_name="decisions", verbose_name=_("actions concernées")
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategy_decisions",
        verbose_name=_("organisation responsable"),
    )
    owner_text = models.CharField(
        _("responsable (texte)"),
        max_length=200,
        blank=True,
        help_text=_("Si le responsable n'est pas dans l'annuaire."),
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    # Stamped under the row's lock when the e-mail is written (`services.send_decision_reminders`): never twice.
    # Cleared when the due date changes, so that the new date gets its own e-mails.
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    overdue_sent_at = models.DateTimeField(_("retard signalé le"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("décision")

    def __str__(self):
        return self.text[:80]

    @property
    def owner(self) -> str:
        return self.owner_organisation.name if self.owner_organisation else self.owner_text


class Change(models.Model):
    """One change of the steering data (who, when, what: field → old and new value), written by the services in
    the transaction of the change; never edited. Corrections and removals of measurements are kept here too."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    kind = models.CharField(_("changement"), max_length=10, choices=ChangeKind.choices)
    target_type = models.CharField(_("objet"), max_length=12, choices=ChangeTarget.choices)
    target_id = models.PositiveIntegerField(_("identifiant de l'objet"))
    target_label = models.CharField(_("libellé de l'objet"), max_length=300)
    action = models.ForeignKey(
        Action,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("action"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("indicateur"),
    )
    diff = models.JSONField(_("modifications"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("modification du pilotage")
        verbose_name_plural = _("modifications du pilotage")
        indexes = [models.Index(fields=["target_type", "target_id"], name="strategy_change_target")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.target_label}"

    @property
    def fields(self) -> list[dict]:
        """[{label, old, new}] in the order they were recorded."""
        return list(self.diff.values())
