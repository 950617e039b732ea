"""Forms of the strategy pages: recording a measurement of an indicator (pilots and staff)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maille.core.fields import FrenchDecimalField
from maille.territories.enums import ZoneLevel
from maille.territories.models import Commune, Departement, Epci
from maille.territories.selectors import zone_errors

from .enums import IndicatorSource
from .models import Indicator

MEASUREMENT_LEVELS = (ZoneLevel.DEPARTEMENT, ZoneLevel.EPCI, ZoneLevel.COMMUNE)


def in_region(level: str, code: str, region_code: str) -> bool:
    if level == ZoneLevel.DEPARTEMENT:
        return Departement.objects.filter(pk=code, region_id=region_code).exists()
    if level == ZoneLevel.EPCI:
        return Epci.objects.filter(pk=code, communes__region_id=region_code).exists()
    return Commune.objects.filter(pk=code, region_id=region_code).exists()


class MeasurementForm(forms.Form):
    """A dated value of one of the page's indicators; without a territory it is the regional total (the value that
    counts in the progress), with one it is a breakdown for the maps."""

    indicator = forms.ModelChoiceField(
        label=_("Indicateur"),
        queryset=Indicator.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez un indicateur de cette page.")},
    )
    date = forms.DateField(
        label=_("Date de la mesure"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Par exemple 31/12/2025."),
        error_messages={"invalid": _("Indiquez une date valide, par exemple 31/12/2025.")},
    )
    value = FrenchDecimalField(
        label=_("Valeur"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Un nombre, par exemple 42 ou 12,5 (deux décimales au plus)."),
        error_messages={
            "invalid": _("Indiquez un nombre, par exemple 42 ou 12,5."),
            "max_decimal_places": _("Deux décimales au plus."),
            "max_digits": _("Ce nombre est trop grand."),
            "max_whole_digits": _("Ce nombre est trop grand."),
        },
    )
    zone_level = forms.ChoiceField(
        label=_("Territoire (facultatif)"),
        required=False,
        choices=[("", _("Toute la région (total)"))] + [(level, level.label) for level in MEASUREMENT_LEVELS],
        help_text=_("Seul le total régional compte dans l'avancement ; un territoire sert aux cartes."),
    )
    zone_code = forms.CharField(
        label=_("Code du territoire"),
        required=False,
        max_length=9,
        help_text=_("Numéro du département (49), SIREN de l'EPCI ou code INSEE de la commune."),
    )
    source_note = forms.CharField(
        label=_("Source"), required=False, max_length=300, help_text=_("D'où vient ce chiffre (facultatif).")
    )

    def __init__(self, *args, indicators=(), region_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.region_code = region_code
        manual = [i.pk for i in indicators if i.source == IndicatorSource.MANUAL]
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=manual).order_by("name", "pk")

    def clean_date(self):
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("La date d'une mesure ne peut pas être dans le futur."))
        return value

    def clean_zone_code(self):
        return self.cleaned_data.get("zone_code", "").strip()

    def clean(self):
        data = super().clean()
        level, code = data.get("zone_level", ""), data.get("zone_code", "")
        if code and not level:
            self.add_error("zone_level", _("Choisissez le niveau du territoire de ce code."))
        elif level:
            errors = zone_errors(level, code, levels=MEASUREMENT_LEVELS, prefix="zone_")
            for field, message in errors.items():
                self.add_error(field, message)
            if not errors and self.region_code and not in_region(level, code, self.region_code):
                self.add_error("zone_code", _("Ce territoire n'est pas dans la région de la stratégie."))
        return data


# --- The pilot area: actions, indicators, measurements, committees, decisions, imports ---

DATE_ERRORS = {"invalid": _("Indiquez une date valide, par exemple 31/12/2025.")}


def date_field(label, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


def amount_field(label, help_text="", decimal_places=2, max_digits=14):
    return FrenchDecimalField(
        label=label, required=False, max_digits=max_digits, decimal_places=decimal_places, help_text=help_text
    )


def organisations_field(label, help_text=""):
    from maille.directory.models import Organisation

    return forms.ModelMultipleChoiceField(
        label=label,
        required=False,
        queryset=Organisation.objects.order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=help_text or _("Plusieurs choix possibles (Ctrl ou Cmd + clic)."),
    )


ACTION_ZONE_CHOICES = [
    (ZoneLevel.REGION, _("Toute la région")),
    (ZoneLevel.DEPARTEMENT, ZoneLevel.DEPARTEMENT.label),
    (ZoneLevel.EPCI, ZoneLevel.EPCI.label),
]


class ActionProgressForm(forms.Form):
    """What the members of an action's pilot organisations update: its status and an optional adjusted progress."""

    status = forms.ChoiceField(label=_("Statut"), choices=[])
    progress_override = FrenchDecimalField(
        label=_("Avancement ajusté (%, facultatif)"),
        required=False,
        max_digits=3,
        decimal_places=0,
        min_value=0,
        max_value=100,
        help_text=_("Vide : l'avancement suit le statut (ou les indicateurs). Un nombre entier de 0 à 100."),
    )
    progress_justification = forms.CharField(
        label=_("Justification de l'avancement ajusté"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire quand l'avancement est ajusté."),
    )

    def __init__(self, *args, **kwargs):
        from .enums import STATUS_PROGRESS, ActionStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (
                status.value,
                _("%(label)s (%(progress)s %% par défaut)")
                % {"label": status.label, "progress": STATUS_PROGRESS[status]},
            )
            for status in ActionStatus
        ]

    @classmethod
    def initial_of(cls, action) -> dict:
        return {
            "status": action.status,
            "progress_override": action.progress_override,
            "progress_justification": action.progress_justification,
        }

    def to_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("progress_override") is not None:
            data["progress_override"] = int(data["progress_override"])
        return data


class ActionForm(ActionProgressForm):
    """An action, every field (the strategy's pilots and staff). Each objective has its weight: empty = not served."""

    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("Par exemple A6-1 : unique dans la stratégie.")
    )
    title = forms.CharField(label=_("Intitulé"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    pilots = organisations_field(_("Organisations pilotes"))
    contacts = forms.CharField(
        label=_("Personnes à contacter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une personne par ligne : nom, fonction, e-mail."),
    )
    partners = organisations_field(_("Partenaires"))
    zone_level = forms.ChoiceField(
        label=_("Territoire"), choices=ACTION_ZONE_CHOICES, initial=ZoneLevel.REGION
    )
    zone_code = forms.CharField(
        label=_("Code du territoire"),
        required=False,
        max_length=9,
        help_text=_("Numéro du département (49) ou SIREN de l'EPCI ; vide pour toute la région."),
    )
    start_date = date_field(_("Début"))
    end_date = date_field(_("Fin"))
    progress_source = forms.ChoiceField(
        label=_("Avancement calculé"),
        choices=[],
        help_text=_(
            "Selon le statut (0, 25, 60 ou 100 %) ou selon le taux de réalisation de ses indicateurs."
        ),
    )
    budget_planned = amount_field(_("Budget prévu (€, facultatif)"), _("Par exemple 45 000 ou 8 000,50."))
    budget_spent = amount_field(_("Budget consommé (€, facultatif)"))
    offers = forms.ModelMultipleChoiceField(
        label=_("Offres de l'annuaire qui la mettent en œuvre"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    schemes = forms.ModelMultipleChoiceField(
        label=_("Dispositifs de financement qui la mettent en œuvre"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    field_order = [
        "code",
        "title",
        "description",
        "pilots",
        "contacts",
        "partners",
        "zone_level",
        "zone_code",
        "start_date",
        "end_date",
        "status",
        "progress_source",
        "progress_override",
        "progress_justification",
        "budget_planned",
        "budget_spent",
        "offers",
        "schemes",
    ]

    def __init__(self, *args, objectives=(), **kwargs):
        from maille.directory.models import Offer
        from maille.funding.models import FundingScheme

        from .enums import ProgressSource

        super().__init__(*args, **kwargs)
        self.fields["progress_source"].choices = ProgressSource.choices
        self.fields["offers"].queryset = Offer.objects.select_related("organisation").order_by("name")
        self.fields["schemes"].queryset = FundingScheme.objects.order_by("name")
        self.objectives = list(objectives)
        for objective in self.objectives:
            self.fields[f"weight_{objective.code}"] = FrenchDecimalField(
                label=_("Poids pour %(code)s — %(title)s")
                % {"code": objective.code, "title": objective.title},
                required=False,
                max_digits=6,
                decimal_places=2,
                help_text=_("Vide : l'action ne sert pas cet objectif."),
            )

    @property
    def weight_fields(self):
        return [self[f"weight_{o.code}"] for o in self.objectives]

    @property
    def main_fields(self):
        return [self[name] for name in self.field_order]

    @classmethod
    def initial_of(cls, action) -> dict:
        initial = {
            **ActionProgressForm.initial_of(action),
            "code": action.code,
            "title": action.title,
            "description": action.description,
            "pilots": list(action.pilots.all()),
            "contacts": action.contacts,
            "partners": list(action.partners.all()),
            "zone_level": action.zone_level,
            "zone_code": "" if action.zone_level == ZoneLevel.REGION else action.zone_code,
            "start_date": action.start_date,
            "end_date": action.end_date,
            "progress_source": action.progress_source,
            "budget_planned": action.budget_planned,
            "budget_spent": action.budget_spent,
            "offers": list(action.offers.all()),
            "schemes": list(action.schemes.all()),
        }
        for link in action.objective_links.select_related("objective"):
            initial[f"weight_{link.objective.code}"] = link.weight
        return initial

    def to_data(self) -> dict:
        data = super().to_data()
        objectives = []
        for objective in self.objectives:
            weight = data.pop(f"weight_{objective.code}", None)
            if weight is not None:
                objectives.append({"code": objective.code, "weight": weight})
        data["objectives"] = objectives
        if data.get("zone_level") == ZoneLevel.REGION:
            data["zone_code"] = ""
        return data


class IndicatorForm(forms.Form):
    """An indicator: entered by hand, or computed by the platform (a computation of the registry)."""

    name = forms.CharField(label=_("Nom"), max_length=300)
    source = forms.ChoiceField(label=_("Source"), choices=IndicatorSource.choices, widget=forms.RadioSelect)
    computation = forms.ChoiceField(
        label=_("Calcul (indicateur calculé)"),
        required=False,
        choices=[],
        help_text=_("Ce que la plateforme calcule : voir la description de chaque calcul ci-dessous."),
    )
    unit = forms.CharField(
        label=_("Unité"), required=False, max_length=50, help_text=_("Par exemple structures, jours, %.")
    )
    direction = forms.ChoiceField(label=_("Sens"), choices=[])
    objective = forms.ModelChoiceField(
        label=_("Objectif"), required=False, queryset=None, empty_label=_("— aucun —")
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions suivies"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    baseline_value = amount_field(_("Valeur de départ"))
    baseline_date = date_field(_("Date de la valeur de départ"))
    target_value = amount_field(_("Cible"))
    target_date = date_field(_("Échéance de la cible"))

    def __init__(self, *args, strategy=None, **kwargs):
        from . import indicators as computations
        from .enums import Direction
        from .models import Action, Objective

        super().__init__(*args, **kwargs)
        self.fields["computation"].choices = [("", _("— choisir un calcul —")), *computations.choices()]
        self.fields["direction"].choices = Direction.choices
        self.fields["objective"].queryset = Objective.objects.filter(
            sub_axis__axis__strategy=strategy
        ).order_by("order")
        self.fields["actions"].queryset = Action.objects.filter(
            strategy=strategy, archived_at__isnull=True
        ).order_by("code")
        self.computations = [
            {"name": c.name, "label": c.label, "description": c.description, "unit": c.unit}
            for c in computations.COMPUTATIONS.values()
        ]

    @classmethod
    def initial_of(cls, indicator) -> dict:
        return {
            "name": indicator.name,
            "source": indicator.source,
            "computation": indicator.computation,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "objective": indicator.objective,
            "actions": list(indicator.actions.all()),
            "baseline_value": indicator.baseline_value,
            "baseline_date": indicator.baseline_date,
            "target_value": indicator.target_value,
            "target_date": indicator.target_date,
        }

    def to_data(self) -> dict:
        return dict(self.cleaned_data)


class MeasurementEditForm(MeasurementForm):
    """Correcting one measurement: the same fields, without the choice of indicator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["indicator"]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Instance"), choices=[])
    date = date_field(_("Date"), required=True)
    organisations_present = organisations_field(_("Organisations présentes"))
    agenda = forms.CharField(
        label=_("Ordre du jour"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(
        label=_("Compte rendu (résumé)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes_file = forms.FileField(
        label=_("Compte rendu (PDF, 10 Mo au plus)"),
        required=False,
        help_text=_("Servi aux seuls pilotes de la stratégie et à l'équipe."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        from .enums import MeetingKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MeetingKind.choices

    @classmethod
    def initial_of(cls, meeting) -> dict:
        return {
            "kind": meeting.kind,
            "date": meeting.date,
            "organisations_present": list(meeting.organisations_present.all()),
            "agenda": meeting.agenda,
            "minutes": meeting.minutes,
        }

    def to_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("minutes_file"):
            data.pop("minutes_file", None)
        return data


class DecisionForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Réunion"), queryset=None, empty_label=None)
    text = forms.CharField(label=_("Décision"), widget=forms.Textarea(attrs={"rows": 3}))
    owner_organisation = forms.ModelChoiceField(
        label=_("Organisation responsable"),
        required=False,
        queryset=None,
        empty_label=_("— hors annuaire —"),
        help_text=_(
            "Ses membres reçoivent un rappel une semaine avant l'échéance, puis le jour où elle est dépassée."
        ),
    )
    owner_text = forms.CharField(
        label=_("Responsable hors annuaire"),
        required=False,
        max_length=200,
        help_text=_("Si le responsable n'est pas dans l'annuaire."),
    )
    due_date = date_field(_("Échéance"))
    status = forms.ChoiceField(label=_("Statut"), choices=[])
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions concernées"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, strategy=None, **kwargs):
        from maille.directory.models import Organisation

        from .enums import DecisionStatus
        from .models import Action, CommitteeMeeting

        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = CommitteeMeeting.objects.filter(strategy=strategy).order_by(
            "-date", "-pk"
        )
        self.fields["owner_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["status"].choices = DecisionStatus.choices
        self.fields["actions"].queryset = Action.objects.filter(strategy=strategy).order_by("code")

    @classmethod
    def initial_of(cls, decision) -> dict:
        return {
            "meeting": decision.meeting,
            "text": decision.text,
            "owner_organisation": decision.owner_organisation,
            "owner_text": decision.owner_text,
            "due_date": decision.due_date,
            "status": decision.status,
            "actions": list(decision.actions.all()),
        }

    def to_data(self) -> dict:
        return dict(self.cleaned_data)


IMPORT_MAX_BYTES = 2 * 1024 * 1024


class StrategyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou Excel (xlsx)"),
        help_text=_("Les colonnes du modèle à télécharger ci-dessus ; 2 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mo : découpez-le en plusieurs imports."))
        return upload
