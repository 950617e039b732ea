"""Forms of projects: the public intake (the person, then the project), the detected-project form, and the project
file's forms (timeline entry, funding plan line, total need, referral request, consent).

The intake keeps each step's raw data in the session; `ProjectForm` is re-validated at the last step, so the
project is only built from data that passed every check.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from maille.core.enums import LegalForm, Need, Stage
from maille.core.fields import FrenchDecimalField
from maille.core.identifiers import is_valid_siret
from maille.directory.enums import OrganisationKind, PublicationStatus
from maille.directory.models import Organisation
from maille.funding.models import FundingScheme
from maille.territories.selectors import resolve_commune_input

from .enums import FundingLineStatus, TimelineKind
from .models import FundingLine, ProjectBudget, TimelineEntry

NAF_RE = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")


def with_blank(choices, label):
    return [("", label), *choices]


class PersonForm(forms.Form):
    """Step 1 of the intake: who carries the project, and their consent to share the file."""

    holder_name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    holder_email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Nous vous y envoyons un lien personnel pour revenir à votre projet, sans mot de passe."),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")},
    )
    holder_phone = forms.CharField(label=_("Téléphone (facultatif)"), max_length=30, required=False)
    consent_to_share = forms.BooleanField(
        label=_(
            "J'accepte que mon dossier et son historique soient partagés avec les structures que je choisirai."
        ),
        help_text=_("Vous pourrez changer d'avis à tout moment depuis la page de votre projet."),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder_name"].widget.attrs["autocomplete"] = "name"
        self.fields["holder_email"].widget.attrs["autocomplete"] = "email"
        self.fields["holder_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["holder_phone"].widget.input_type = "tel"

    def clean_holder_email(self):
        return self.cleaned_data["holder_email"].strip().lower()


class ProjectForm(forms.Form):
    """Step 2 of the intake (and the body of the detected-project form): what the project is, where, what it needs.

    The commune is typed by name, postal code or INSEE code; when that is ambiguous the candidates are offered
    (`self.candidates`) and the person picks one (`commune_code`).
    """

    name = forms.CharField(label=_("Nom du projet"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quelques lignes : l'activité, le public, ce qui est déjà fait."),
        max_length=5000,
    )
    commune = forms.CharField(
        label=_("Commune du projet"),
        max_length=100,
        help_text=_(
            "Nom, code postal ou code INSEE, par exemple Laval ou 53000. "
            "Des communes vous sont proposées sous le champ pendant la saisie."
        ),
        # As you type, the site's commune search (htmx) lists communes under the field as buttons that fill it
        # (static/js/maille.js); without JavaScript the typed text is resolved on submit, candidates offered.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("territories:commune_search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#commune-suggestions",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                "data-commune-suggest": "commune-suggestions",
                "aria-controls": "commune-suggestions",
            }
        ),
    )
    commune_code = forms.CharField(required=False, max_length=5, widget=forms.HiddenInput)
    legal_form = forms.ChoiceField(
        label=_("Forme juridique"),
        choices=with_blank(LegalForm.choices, _("Choisissez")),
        help_text=_("Choisissez « Structure pas encore créée » si elle n'existe pas encore."),
    )
    siret = forms.CharField(
        label=_("SIRET (facultatif)"),
        required=False,
        max_length=20,
        help_text=_("14 chiffres, si la structure existe déjà."),
    )
    stage = forms.ChoiceField(label=_("Stade du projet"), choices=Stage.choices, widget=forms.RadioSelect)
    needs = forms.MultipleChoiceField(
        label=_("Vos besoins"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez au moins un besoin."),
        error_messages={"required": _("Choisissez au moins un besoin.")},
    )
    jobs_fte = FrenchDecimalField(
        label=_("Emplois (équivalents temps plein)"),
        min_value=0,
        max_digits=7,
        decimal_places=1,
        initial=Decimal(0),
        help_text=_("0 si la structure n'a pas de salarié ; 2,5 pour deux temps plein et un mi-temps."),
        error_messages={"invalid": _("Saisissez un nombre, par exemple 2 ou 2,5.")},
    )
    years_of_existence = forms.IntegerField(
        label=_("Années d'existence"),
        min_value=0,
        max_value=300,
        initial=0,
        help_text=_("0 si elle est à créer."),
    )
    naf = forms.CharField(
        label=_("Secteur : code NAF (facultatif)"),
        required=False,
        max_length=10,
        help_text=_("Par exemple 88.10A. Il figure sur l'avis de situation SIRENE."),
    )
    collective = forms.BooleanField(label=_("Projet collectif"), required=False)
    social_innovation = forms.BooleanField(label=_("Projet d'innovation sociale"), required=False)
    tiers_lieu = forms.BooleanField(label=_("Tiers-lieu"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = []

    def clean_siret(self):
        siret = re.sub(r"[\s.]", "", self.cleaned_data["siret"])
        if siret and not is_valid_siret(siret):
            raise ValidationError(
                _(
                    "Ce SIRET n'est pas valide : il faut 14 chiffres et une clé de contrôle juste. Vérifiez-le."
                )
            )
        return siret

    def clean_naf(self):
        naf = self.cleaned_data["naf"].strip().upper().replace(" ", "")
        if not naf:
            return ""
        match = NAF_RE.match(naf)
        if match is None:
            raise ValidationError(
                _(
                    "Ce code NAF n'est pas au bon format : deux chiffres, un point, deux chiffres "
                    "et une lettre, par exemple 88.10A."
                )
            )
        return "{}.{}{}".format(*match.groups())

    def clean(self):
        data = super().clean()
        text = data.get("commune") or ""
        if text:
            commune, self.candidates = resolve_commune_input(text)
            chosen = data.get("commune_code")
            if commune is None and chosen:
                commune = next((c for c in self.candidates if c.code == chosen), None)
            if commune is not None:
                data["commune_obj"] = commune
                self.candidates = []
            elif self.candidates:
                self.add_error(
                    "commune",
                    _("Plusieurs communes correspondent à « %(text)s » : choisissez la vôtre dans la liste.")
                    % {"text": text},
                )
            else:
                self.add_error("commune", _("Aucune commune ne correspond à « %(text)s ».") % {"text": text})
        if data.get("legal_form") == LegalForm.NON_CREEE and data.get("siret"):
            self.add_error(
                "siret", _("Une structure pas encore créée n'a pas de SIRET : laissez ce champ vide.")
            )
        return data

    def project_fields(self) -> dict:
        """The cleaned data as `Project` fields (after `is_valid()`)."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "commune": data["commune_obj"],
            "legal_form": data["legal_form"],
            "siret": data["siret"],
            "stage": data["stage"],
            "needs": list(data["needs"]),
            "jobs_fte": data["jobs_fte"],
            "years_of_existence": data["years_of_existence"],
            "naf": data["naf"],
            "collective": data["collective"],
            "social_innovation": data["social_innovation"],
            "tiers_lieu": data["tiers_lieu"],
        }


class DetectedProjectForm(ProjectForm):
    """A project detected by an advisor or an EPCI agent, for a holder who will confirm it by e-mail."""

    holder_name = forms.CharField(label=_("Nom et prénom du porteur"), max_length=200)
    holder_email = forms.EmailField(
        label=_("Adresse e-mail du porteur"),
        help_text=_("Le porteur y reçoit un lien pour vérifier et confirmer son projet."),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")},
    )
    holder_phone = forms.CharField(
        label=_("Téléphone du porteur (facultatif)"), max_length=30, required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Repéré par"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choisissez votre organisation"),
    )

    field_order = ["holder_name", "holder_email", "holder_phone", "organisation"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder_phone"].widget.input_type = "tel"
        organisations = organisations if organisations is not None else Organisation.objects.none()
        if len(organisations) == 1:
            del self.fields["organisation"]
            self.single_organisation = organisations[0]
        else:
            self.single_organisation = None
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in organisations]
            )

    def clean_holder_email(self):
        return self.cleaned_data["holder_email"].strip().lower()

    def detected_by(self):
        return self.single_organisation or self.cleaned_data["organisation"]


class ReferralRequestForm(forms.Form):
    """The holder picks recommended offers; one referral per offer."""

    offers = forms.TypedMultipleChoiceField(
        label=_("Les structures que vous souhaitez rencontrer"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Cochez au moins une offre."),
            "invalid_choice": _("Cette offre ne fait pas partie des propositions : rechargez la page."),
        },
    )
    message = forms.CharField(
        label=_("Message aux structures (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que vous attendez d'elles, vos disponibilités…"),
    )

    def __init__(self, *args, offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].choices = [
            (o.id, f"{o.name} — {o.organisation_name}" if o.organisation_name else o.name) for o in offers
        ]


TIMELINE_TEXT_MAX = 5000


class TimelineEntryForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[c for c in TimelineKind.choices if c[0] != TimelineKind.REFERRAL],
    )
    text = forms.CharField(
        label=_("Ce qui s'est passé"),
        max_length=TIMELINE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Le texte est limité à 5 000 caractères (il en compte %(show_value)d)."),
        },
    )

    class Meta:
        model = TimelineEntry
        fields = ["kind", "happened_on", "text"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"text": _("Ce qui s'est passé"), "happened_on": _("Date")}


def funder_choices():
    """Organisations that fund: funders, and any organisation carrying a funding scheme."""
    return (
        Organisation.objects.filter(Q(kind=OrganisationKind.FUNDER) | Q(funding_schemes__isnull=False))
        .distinct()
        .order_by("name")
    )


def schemes_of(funder_id) -> list[FundingScheme]:
    """The published schemes a funder carries, by name."""
    return list(
        FundingScheme.objects.filter(funders=funder_id, status=PublicationStatus.PUBLISHED).order_by(
            "name", "pk"
        )
    )


def scheme_choices(funder_id=None, current=None) -> list:
    """The options of a line's scheme select: the chosen funder's schemes; before a funder is chosen, every
    published scheme grouped by funder (so that the choice makes sense without JavaScript too)."""
    blank = [("", _("Aucun en particulier"))]
    if funder_id:
        schemes = schemes_of(funder_id)
        if current is not None and current not in schemes:
            schemes.append(current)
        return blank + [(scheme.pk, scheme.name) for scheme in schemes]
    groups: dict[str, list] = {}
    through = FundingScheme.funders.through.objects.filter(
        fundingscheme__status=PublicationStatus.PUBLISHED
    ).select_related("organisation", "fundingscheme")
    for row in through.order_by("organisation__name", "fundingscheme__name"):
        groups.setdefault(row.organisation.name, []).append((row.fundingscheme.pk, row.fundingscheme.name))
    return blank + list(groups.items())


class FundingLineFieldsMixin:
    """The funder and scheme of a line: the scheme select lists the chosen funder's schemes, reloaded by htmx when
    the funder changes (`projects:scheme_options`); a scheme of another funder is refused with a French message."""

    def setup_funder_fields(self):
        funder = self.fields["funder"]
        funder.queryset = funder_choices()
        funder.widget.attrs.update(
            {
                "hx-get": reverse_lazy("projects:scheme_options"),
                "hx-trigger": "change",
                "hx-target": f"#{self['scheme'].auto_id}",
                "hx-swap": "outerHTML",
            }
        )
        scheme = self.fields["scheme"]
        scheme.queryset = FundingScheme.objects.order_by("name")
        funder_id = self.data.get(self.add_prefix("funder")) if self.is_bound else None
        if not self.is_bound:
            funder_id = self.initial.get("funder") or getattr(self.instance, "funder_id", None)
        current = (
            getattr(self.instance, "scheme", None) if getattr(self.instance, "scheme_id", None) else None
        )
        funder_id = funder_id if (str(funder_id or "").isascii() and str(funder_id or "").isdigit()) else None
        scheme.widget.choices = scheme_choices(funder_id, current=current)

    def check_scheme(self, data):
        funder, scheme = data.get("funder"), data.get("scheme")
        if funder and scheme and not scheme.funders.filter(pk=funder.pk).exists():
            self.add_error("scheme", _("Ce dispositif n'est pas porté par ce financeur."))


class FundingLineForm(FundingLineFieldsMixin, forms.ModelForm):
    """A new line of the plan. Its status is planned or asked; granted or refused only to record the decision of a
    funder that has nobody on Maille (otherwise the funder decides, from its page)."""

    funder = forms.ModelChoiceField(
        label=_("Financeur"), queryset=Organisation.objects.none(), empty_label=_("Choisissez un financeur")
    )
    scheme = forms.ModelChoiceField(
        label=_("Dispositif (facultatif)"),
        queryset=FundingScheme.objects.none(),
        required=False,
        empty_label=_("Aucun en particulier"),
    )

    class Meta:
        model = FundingLine
        fields = ["funder", "scheme", "expense", "amount_asked", "amount_granted", "status"]
        field_classes = {"amount_asked": FrenchDecimalField, "amount_granted": FrenchDecimalField}
        help_texts = {
            "amount_asked": _("Par exemple 45 000 ou 8 000,50."),
            "amount_granted": _("Seulement pour une ligne déjà accordée."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_funder_fields()
        self.fields["status"].choices = [
            choice for choice in FundingLineStatus.choices if choice[0] != FundingLineStatus.WITHDRAWN
        ]
        self.fields["status"].initial = FundingLineStatus.ASKED

    def clean(self):
        from .perms import funder_is_on_maille
        from .services import check_grant

        data = super().clean()
        self.check_scheme(data)
        funder, status = data.get("funder"), data.get("status")
        decided = status in (FundingLineStatus.GRANTED, FundingLineStatus.REFUSED)
        if funder and decided and funder_is_on_maille(funder.pk):
            self.add_error(
                "status",
                _(
                    "%(funder)s est sur Maille : c'est à ce financeur d'accorder ou de refuser. "
                    "Inscrivez la ligne comme demandée."
                )
                % {"funder": funder.name},
            )
        if status == FundingLineStatus.GRANTED and "amount_granted" not in self.errors:
            try:
                check_grant(
                    FundingLine(amount_asked=data.get("amount_asked") or 0), data.get("amount_granted")
                )
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


class FundingLineEditForm(FundingLineFieldsMixin, forms.ModelForm):
    """Change an open line: its funder, scheme, expense and amount asked (its status moves by the buttons)."""

    funder = forms.ModelChoiceField(
        label=_("Financeur"), queryset=Organisation.objects.none(), empty_label=_("Choisissez un financeur")
    )
    scheme = forms.ModelChoiceField(
        label=_("Dispositif (facultatif)"),
        queryset=FundingScheme.objects.none(),
        required=False,
        empty_label=_("Aucun en particulier"),
    )

    class Meta:
        model = FundingLine
        fields = ["funder", "scheme", "expense", "amount_asked"]
        field_classes = {"amount_asked": FrenchDecimalField}
        help_texts = {"amount_asked": _("Par exemple 45 000 ou 8 000,50.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_funder_fields()

    def clean(self):
        data = super().clean()
        self.check_scheme(data)
        return data


class GrantForm(forms.Form):
    """The funder's decision: the amount granted (0 < amount ≤ asked, checked by `services.check_grant`)."""

    amount_granted = FrenchDecimalField(
        label=_("Montant accordé (€)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_("Au plus le montant demandé ; par exemple 40 000."),
    )


class BudgetForm(forms.ModelForm):
    class Meta:
        model = ProjectBudget
        fields = ["total_need"]
        field_classes = {"total_need": FrenchDecimalField}
        help_texts = {"total_need": _("Par exemple 60 000.")}


class ConsentForm(forms.Form):
    consent = forms.BooleanField(required=False)
