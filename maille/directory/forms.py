"""Forms of the directory: the public offer search, and the offer editor for organisations."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maille.core.enums import LegalForm, Need, Stage
from maille.territories.enums import ZoneLevel
from maille.territories.selectors import resolve_commune_input

from .models import Offer


def with_blank(choices, label):
    return [("", label), *choices]


class CommuneSearchForm(forms.Form):
    """A search with a commune typed by name, postal code or INSEE code; ambiguous input gives candidates."""

    commune = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=100,
        help_text=_("Nom, code postal ou code INSEE, par exemple Laval ou 53000."),
    )
    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        data["commune_obj"], self.candidates = resolve_commune_input(data.get("commune") or "")
        if data.get("commune") and data["commune_obj"] is None and not self.candidates:
            self.add_error(
                "commune", _("Aucune commune ne correspond à « %(text)s ».") % {"text": data["commune"]}
            )
        return data


class OfferSearchForm(CommuneSearchForm):
    stage = forms.ChoiceField(
        label=_("Stade du projet"), required=False, choices=with_blank(Stage.choices, _("Tous"))
    )
    need = forms.ChoiceField(label=_("Besoin"), required=False, choices=with_blank(Need.choices, _("Tous")))
    legal_form = forms.ChoiceField(
        label=_("Forme juridique"), required=False, choices=with_blank(LegalForm.choices, _("Toutes"))
    )


class OfferForm(forms.ModelForm):
    zones = forms.CharField(
        label=_("Zones couvertes"),
        help_text=_(
            "Une zone par ligne : niveau et code, par exemple « departement 53 », « epci 244900015 », "
            "« commune 49353 », « region 52 » ou « france »."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Offer
        fields = [
            "name",
            "description",
            "stages",
            "needs",
            "legal_forms",
            "employees_min",
            "employees_max",
            "years_min",
            "years_max",
            "is_free",
            "on_site",
            "remote",
            "mobilisation",
            "contact",
            "added_value",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["zones"] = "\n".join(
                f"{z.zone_level} {z.zone_code}".strip() for z in self.instance.zones.all()
            )

    def clean_zones(self):
        zones = []
        for line in self.cleaned_data["zones"].splitlines():
            parts = line.replace(":", " ").split()
            if not parts:
                continue
            if parts[0] not in ZoneLevel.values or len(parts) > 2:
                raise ValidationError(_("Ligne illisible : « %(line)s ».") % {"line": line.strip()})
            zones.append((parts[0], parts[1] if len(parts) > 1 else ""))
        if not zones:
            raise ValidationError(_("Indiquez au moins une zone couverte."))
        return zones


class ImportForm(forms.Form):
    KINDS = [("offers", _("Offres d'accompagnement")), ("funding", _("Dispositifs de financement"))]

    kind = forms.ChoiceField(label=_("Que contient le fichier ?"), choices=KINDS)
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("Fichier CSV ou Excel (xlsx)"), help_text=_("5 Mo au plus, 50 000 lignes au plus.")
    )
    dry_run = forms.BooleanField(
        label=_("Vérifier seulement, sans rien enregistrer"), required=False, initial=True
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(
                _("Le fichier pèse %(size)s Mo : 5 Mo au plus. Découpez-le en plusieurs fichiers.")
                % {"size": round(upload.size / 1024 / 1024, 1)}
            )
        return upload
