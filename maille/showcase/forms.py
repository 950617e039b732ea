"""Forms of the showcase: list filters, event registration, attendance, the partnership of an EPCI, and the staff
story form (its photo is re-encoded without metadata, its alt text required)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maille.territories.models import Departement

from .enums import Family, PartnershipStatus, Sector
from .images import clean_photo
from .models import Partnership, Story


def _blank(choices, label):
    return [("", label), *choices]


class StoryFilterForm(forms.Form):
    sector = forms.ChoiceField(label=_("Secteur"), required=False, choices=_blank(Sector.choices, _("Tous")))
    family = forms.ChoiceField(
        label=_("Famille de l'ESS"), required=False, choices=_blank(Family.choices, _("Toutes"))
    )
    departement = forms.ChoiceField(label=_("Département"), required=False)
    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)

    def __init__(self, *args, region_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        departements = Departement.objects.filter(region_id=region_code).order_by("code")
        self.fields["departement"].choices = _blank(
            [(d.code, f"{d.name} ({d.code})") for d in departements], _("Tous")
        )


class EventFilterForm(forms.Form):
    departement = forms.ChoiceField(label=_("Département"), required=False)
    past = forms.BooleanField(label=_("Voir aussi les événements passés"), required=False)

    def __init__(self, *args, region_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        departements = Departement.objects.filter(region_id=region_code).order_by("code")
        self.fields["departement"].choices = _blank(
            [(d.code, f"{d.name} ({d.code})") for d in departements], _("Tous")
        )


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Vous recevrez la confirmation et un lien pour annuler."),
        error_messages={"invalid": _("Indiquez une adresse e-mail valide, par exemple nom@exemple.fr.")},
    )


class PartnershipForm(forms.ModelForm):
    actions = forms.MultipleChoiceField(
        label=_("Actions de la stratégie concernées"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Partnership
        fields = ["status", "signed_on", "document", "contact_name", "contact_email", "notes"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action_objects = {str(a.pk): a for a in actions}
        self.fields["actions"].choices = [(str(a.pk), f"{a.code} — {a.title}") for a in actions]
        self.fields["status"].choices = PartnershipStatus.choices
        self.fields["signed_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        if self.instance.pk:
            self.initial["actions"] = [str(pk) for pk in self.instance.actions.values_list("pk", flat=True)]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            if not document.name.lower().endswith(".pdf"):
                raise forms.ValidationError(_("Déposez la convention au format PDF."))
            if document.size > 10 * 1024 * 1024:
                raise forms.ValidationError(_("Le fichier dépasse 10 Mo."))
        return document

    def clean(self):
        data = super().clean()
        if data.get("status") == PartnershipStatus.SIGNED and not data.get("signed_on"):
            self.add_error("signed_on", _("Indiquez la date de signature d'un partenariat signé."))
        return data

    def chosen_actions(self):
        return [
            self.action_objects[pk]
            for pk in self.cleaned_data.get("actions", [])
            if pk in self.action_objects
        ]


class StoryAdminForm(forms.ModelForm):
    """The back-office form: the photo is re-encoded (upright, resized, no EXIF) and needs its alt text."""

    class Meta:
        model = Story
        fields = [
            "title",
            "slug",
            "summary",
            "text",
            "quote",
            "quote_author",
            "photo",
            "photo_alt",
            "commune",
            "sector",
            "family",
            "project",
            "author",
            "is_demo",
        ]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload
            return clean_photo(photo)
        return photo

    def clean(self):
        data = super().clean()
        if data.get("photo") and not (data.get("photo_alt") or "").strip():
            self.add_error("photo_alt", _("Décrivez la photo : le texte alternatif est obligatoire."))
        return data
