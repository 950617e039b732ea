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
