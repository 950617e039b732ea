"""Forms of funding: the public scheme search and the saved search (alert) subscription."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maille.core.enums import LegalForm, Need, Stage
from maille.directory.forms import CommuneSearchForm, with_blank
from maille.territories.selectors import resolve_commune

from .enums import AlertFrequency, FundingType
from .models import SavedSearch


class SchemeSearchForm(CommuneSearchForm):
    stage = forms.ChoiceField(
        label=_("Stade du projet"), required=False, choices=with_blank(Stage.choices, _("Tous"))
    )
    kind = forms.ChoiceField(
        label=_("Type de financement"), required=False, choices=with_blank(FundingType.choices, _("Tous"))
    )
    need = forms.ChoiceField(
        label=_("Ce qu'il finance"), required=False, choices=with_blank(Need.choices, _("Tout"))
    )
    legal_form = forms.ChoiceField(
        label=_("Forme juridique"), required=False, choices=with_blank(LegalForm.choices, _("Toutes"))
    )
    open_only = forms.BooleanField(label=_("Seulement les dispositifs ouverts"), required=False)


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["email", "frequency", "commune", "stage", "kind", "legal_form", "query"]
        widgets = {
            "commune": forms.HiddenInput,
            "stage": forms.HiddenInput,
            "kind": forms.HiddenInput,
            "legal_form": forms.HiddenInput,
            "query": forms.HiddenInput,
        }
        labels = {"email": _("Votre adresse e-mail"), "frequency": _("Fréquence des alertes")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].initial = AlertFrequency.WEEKLY

    def clean_commune(self):
        code = self.cleaned_data["commune"]
        if code and resolve_commune(code) is None:
            raise forms.ValidationError(_("Commune inconnue."))
        return code
