"""Pages of funding: scheme search, scheme page, saved searches (subscribe, confirm, unsubscribe)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maille.core import ratelimit
from maille.core.exports import tabular_response
from maille.directory.perms import can_review
from maille.directory.selectors import with_zone_labels
from maille.directory.views import paginate

from . import selectors, services
from .forms import SavedSearchForm, SchemeSearchForm
from .models import SavedSearch


def alert_initial(data) -> dict:
    commune = data.get("commune_obj")
    return {
        "commune": commune.code if commune else "",
        "stage": data.get("stage", ""),
        "kind": data.get("kind", ""),
        "legal_form": data.get("legal_form", ""),
        "query": data.get("q", ""),
    }


@require_GET
def search(request):
    form = SchemeSearchForm(request.GET or None)
    page = alert_form = None
    today = timezone.localdate()
    if form.is_bound and form.is_valid() and not form.candidates:
        data = form.cleaned_data
        schemes = selectors.search_schemes(
            commune=data["commune_obj"],
            stage=data["stage"],
            kind=data["kind"],
            need=data["need"],
            legal_form=data["legal_form"],
            is_open=True if data["open_only"] else None,
            today=today,
            q=data["q"],
        )
        fmt = request.GET.get("format")
        if fmt:
            return download(fmt, schemes, today)
        page = paginate(request, schemes)
        page.object_list = with_deadlines(with_zone_labels(page.object_list), today)
        alert_form = SavedSearchForm(initial=alert_initial(data))
    return render(request, "funding/search.html", {"form": form, "page": page, "alert_form": alert_form})


def with_deadlines(schemes, today):
    for scheme in schemes:
        scheme.deadline = selectors.deadline_status(scheme, today)
    return schemes


def download(fmt, schemes, today):
    from .io import export_scheme_results

    headers, rows = export_scheme_results(schemes, today)
    return tabular_response(fmt, "dispositifs-financement", headers, rows)


@require_GET
def scheme_detail(request, slug):
    scheme = selectors.scheme_detail(slug)
    if scheme is None or (scheme.status != "published" and not can_review(request.user)):
        raise Http404(_("Dispositif introuvable."))
    scheme = with_deadlines(with_zone_labels([scheme]), timezone.localdate())[0]
    return render(
        request, "funding/scheme_detail.html", {"scheme": scheme, "can_review": can_review(request.user)}
    )


@require_POST
def alert_create(request):
    form = SavedSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "funding/alert_invalid.html", {"alert_form": form}, status=400)
    if not ratelimit.allow("funding_alert", form.cleaned_data["email"], request):
        form.add_error(
            "email",
            _(
                "Trop de demandes en peu de temps pour cette adresse ou depuis votre connexion : réessayez dans "
                "une dizaine de minutes. Aucun e-mail n'est parti."
            ),
        )
        return render(request, "funding/alert_invalid.html", {"alert_form": form}, status=429)
    services.create_saved_search(form.save(commit=False))
    return render(request, "funding/alert_pending.html", {"email": form.cleaned_data["email"]})


@require_http_methods(["GET", "POST"])
def alert_confirm(request, token):
    saved = get_object_or_404(SavedSearch, token=token)
    if request.method == "POST":
        services.confirm_saved_search(saved)
        return redirect("funding:alert_confirm", token=token)
    return render(request, "funding/alert_confirm.html", {"saved": saved})


@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token):
    saved = get_object_or_404(SavedSearch, token=token)
    if request.method == "POST":
        services.unsubscribe(saved)
        return redirect("funding:alert_unsubscribe", token=token)
    return render(request, "funding/alert_unsubscribe.html", {"saved": saved})
