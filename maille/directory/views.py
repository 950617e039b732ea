"""Pages of the directory: offer search, offer and organisation pages, competences map, offer editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from maille.core.enums import Need
from maille.core.exports import tabular_response

from . import perms, selectors, services
from .forms import ImportForm, OfferForm, OfferSearchForm
from .models import Offer, Organisation

PAGE_SIZE = 20


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def search(request):
    form = OfferSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid() and not form.candidates:
        data = form.cleaned_data
        offers = selectors.search_offers(
            commune=data["commune_obj"],
            stage=data["stage"],
            need=data["need"],
            legal_form=data["legal_form"],
            q=data["q"],
        )
        fmt = request.GET.get("format")
        if fmt:
            return download(fmt, offers)
        page = paginate(request, offers)
        page.object_list = selectors.with_zone_labels(page.object_list)
    return render(request, "directory/search.html", {"form": form, "page": page})


def download(fmt, offers):
    from .io import export_offer_results

    headers, rows = export_offer_results(offers)
    return tabular_response(fmt, "offres-accompagnement", headers, rows)


@require_GET
def offer_detail(request, slug):
    offer = selectors.offer_detail(slug)
    if offer is None or (offer.status != "published" and not perms.can_edit_offer(request.user, offer)):
        raise Http404(_("Offre introuvable."))
    return render(
        request,
        "directory/offer_detail.html",
        {
            "offer": selectors.with_zone_labels([offer])[0],
            "can_edit": perms.can_edit_offer(request.user, offer),
            "can_review": perms.can_review(request.user),
        },
    )


@require_GET
def organisation_detail(request, slug):
    from maille.funding.selectors import schemes_of_funder

    organisation = selectors.organisations_with_offers().filter(slug=slug).first()
    if organisation is None:
        raise Http404(_("Organisation introuvable."))
    offers = selectors.with_zone_labels(organisation.offers.all())
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "offers": offers,
            "schemes": schemes_of_funder(organisation),
            "can_edit": perms.can_edit_offers_of(request.user, organisation),
        },
    )


@require_GET
def competences_map(request):
    need = request.GET.get("need", "")
    if need and need not in Need.values:
        need = ""
    rows = selectors.competences(need)
    tally = selectors.competence_tally(rows)
    counts = tally.by_departement
    names = selectors.labelled_competence_zones(rows, extra=[("departement", code) for code in counts])
    shown = list(rows.order_by("organisation__name", "need")[:500])
    for competence in shown:
        competence.zone_name = names.get((competence.zone_level, competence.zone_code), competence.zone_code)
    return render(
        request,
        "directory/competences.html",
        {
            "need": need,
            "needs": Need.choices,
            "rows": shown,
            "counts": counts,
            "departements": [
                {"code": code, "name": names.get(("departement", code), code), "count": n}
                for code, n in counts.items()
            ],
            "tally": tally,
            "show_names": perms.can_view_advisor_names(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, slug=None, organisation_slug=None):
    if slug:
        offer = get_object_or_404(Offer.objects.select_related("organisation"), slug=slug)
        organisation = offer.organisation
    else:
        organisation = get_object_or_404(Organisation, slug=organisation_slug)
        offer = Offer(organisation=organisation)
    if not perms.can_edit_offers_of(request.user, organisation):
        raise PermissionDenied(_("Vous ne pouvez modifier que les offres de votre organisation."))
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        offer = form.save(commit=False)
        if not offer.slug:
            offer.slug = services.unique_offer_slug(organisation, offer.name)
        # A person's edit: a synchronisation never overwrites these fields; saving it is a verification.
        offer.mark_edited(name for name in form.changed_data if name in services.EDITABLE_FIELDS)
        services.stamp_edit(offer, request.user)
        try:
            services.save_offer(offer, form.cleaned_data["zones"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("L'offre « %(name)s » est enregistrée.") % {"name": offer.name})
            return redirect("directory:offer", offer.slug)
    return render(
        request, "directory/offer_form.html", {"form": form, "offer": offer, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request):
    """Staff import offers or funding schemes from a spreadsheet: all or nothing, every bad row named."""
    from maille.core.tabular import TabularError
    from maille.funding.io import import_schemes

    from .io import import_offers

    if not perms.can_import(request.user):
        raise PermissionDenied(_("L'import est réservé à l'équipe Maille."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = error = None
    if request.method == "POST" and form.is_valid():
        importer = import_offers if form.cleaned_data["kind"] == "offers" else import_schemes
        try:
            report = importer(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
        except TabularError as exc:
            error = str(exc)
    status = (
        400
        if (report and report.errors) or error or (request.method == "POST" and not form.is_valid())
        else 200
    )
    return render(
        request, "directory/import.html", {"form": form, "report": report, "error": error}, status=status
    )


def _verification_page(request, organisation, action_url, actor, by=""):
    from . import freshness

    if request.method == "POST":
        count = freshness.confirm_organisation(organisation, actor=actor, by=by)
        messages.success(
            request,
            _("Merci : %(count)d fiches sont enregistrées comme vérifiées aujourd'hui.") % {"count": count},
        )
        return redirect(action_url)
    offers, schemes = freshness.records_of(organisation)
    return render(
        request,
        "directory/verify.html",
        {
            "organisation": organisation,
            "offers": offers,
            "schemes": schemes,
            "action_url": action_url,
            "can_edit": perms.can_edit_offers_of(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request, slug):
    """A member confirms on the site that the organisation's offers and schemes are still up to date."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not perms.can_confirm_offers_of(request.user, organisation):
        raise PermissionDenied(_("Seuls les membres de l'organisation peuvent confirmer ses offres."))
    return _verification_page(request, organisation, request.path, request.user)


@require_http_methods(["GET", "POST"])
def verify_token(request, token):
    """The yearly e-mail's link: no login; a POST (the button) records the verification, a GET only shows it."""
    from . import freshness

    organisation = freshness.organisation_from_token(token)
    if organisation is None:
        return render(request, "directory/verify_invalid.html", status=404)
    actor = request.user if request.user.is_authenticated else None
    return _verification_page(request, organisation, request.path, actor)


REVIEW_KINDS = {"offer": ("directory", "Offer"), "scheme": ("funding", "FundingScheme")}


def _review_target(request):
    from django.apps import apps

    kind = request.POST.get("kind", "")
    if kind not in REVIEW_KINDS:
        return None
    model = apps.get_model(*REVIEW_KINDS[kind])
    pk = request.POST.get("pk", "")
    return model.objects.filter(pk=pk).first() if (pk.isascii() and pk.isdigit()) else None


@login_required
@require_http_methods(["GET", "POST"])
def review_queue(request):
    """Staff: imported records waiting for review, and published records not verified for a year."""
    from . import freshness

    if not perms.can_review(request.user):
        raise PermissionDenied(_("La file de relecture est réservée à l'équipe Maille."))
    status = 200
    if request.method == "POST":
        target = _review_target(request)
        action = request.POST.get("action", "")
        if target is None or action not in {"publish", "verify"}:
            messages.error(request, _("Fiche ou action inconnue : rien n'a été modifié."))
            status = 400
        else:
            try:
                if action == "publish":
                    freshness.publish_record(target, actor=request.user)
                    messages.success(request, _("« %(name)s » est publiée.") % {"name": target.name})
                else:
                    freshness.record_verification(
                        target, actor=request.user, source=request.POST.get("source", "").strip()
                    )
                    messages.success(
                        request, _("« %(name)s » est enregistrée comme vérifiée.") % {"name": target.name}
                    )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                status = 400
            else:
                return redirect("directory:review")
    queue = freshness.review_queue()
    return render(request, "directory/review.html", queue, status=status)
