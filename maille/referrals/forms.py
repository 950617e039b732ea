"""Forms of the referral page: decline (reason required), close (outcome and note), refer onward (another offer)."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from maille.accounts.selectors import organisation_ids_with_advisors
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


class LinkAcceptForm(forms.Form):
    """Accepting from an e-mailed link: who the holder should expect (the link's address is shown with it)."""

    name = forms.CharField(
        label=_("Votre nom et prénom"),
        max_length=200,
        help_text=_(
            "Transmis au porteur de projet avec votre adresse e-mail, pour qu'il sache qui l'appellera."
        ),
        error_messages={"required": _("Indiquez votre nom : le porteur de projet saura qui le contactera.")},
    )
    phone = forms.CharField(label=_("Téléphone (facultatif)"), max_length=30, required=False)


class ForwardAddressForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la structure"),
        help_text=_("La personne reçoit la demande avec un lien pour répondre sans compte."),
        error_messages={
            "required": _("Saisissez l'adresse e-mail à laquelle transmettre la demande."),
            "invalid": _("Saisissez une adresse e-mail valide, par exemple nom@structure.fr."),
        },
    )


class ForwardOfferForm(forms.Form):
    """Another organisation's published offer covering the project's commune, among those that can be reached."""

    offer = OfferChoiceField(
        label=_("Offre d'une autre structure"),
        queryset=Offer.objects.none(),
        empty_label=_("— Choisissez une offre —"),
        error_messages={
            "required": _("Choisissez l'offre vers laquelle transmettre la demande."),
            "invalid_choice": _("Choisissez une offre de la liste."),
        },
    )

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        reachable = (
            Q(organisation_id__in=organisation_ids_with_advisors())
            | ~Q(organisation__email="")
            | Q(contact__contains="@")
        )
        self.fields["offer"].queryset = (
            search_offers(commune=referral.project.commune)
            .exclude(organisation_id=referral.organisation_id)
            .filter(reachable)
        )
