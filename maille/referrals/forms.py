"""Forms of the referral page: decline (reason required), close (outcome and note), refer onward (another offer)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from maille.directory.models import Offer
from maille.directory.selectors import search_offers

from .enums import Outcome


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Le porteur de projet recevra ce motif, avec un lien vers d'autres offres."),
        error_messages={"required": _("Indiquez le motif du refus : le porteur de projet le recevra.")},
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Issue de l'accompagnement"),
        choices=[("", _("— Choisissez —")), *Outcome.choices],
        error_messages={
            "required": _("Choisissez l'issue de l'accompagnement."),
            "invalid_choice": _("Choisissez l'issue de l'accompagnement dans la liste."),
        },
    )
    note = forms.CharField(
        label=_("Commentaire (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Offer) -> str:
        return f"{obj.organisation.name} — {obj.name}"


class OnwardForm(forms.Form):
    """Another organisation's published offer covering the project's commune (narrowest territory first)."""

    offer = OfferChoiceField(
        label=_("Offre vers laquelle orienter le projet"),
        queryset=Offer.objects.none(),
        empty_label=_("— Choisissez une offre —"),
        error_messages={
            "required": _("Choisissez l'offre vers laquelle orienter le projet."),
            "invalid_choice": _("Choisissez une offre de la liste."),
        },
    )
    message = forms.CharField(
        label=_("Message pour la structure (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = search_offers(commune=referral.project.commune).exclude(
            organisation_id=referral.organisation_id
        )
