"""Pages of the geography: commune search (full page or htmx fragment), commune page, EPCI page."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from maille.api.params import MAX_QUERY_LENGTH
from maille.core.exports import tabular_response

from . import selectors
from .api import POSTAL_CODE

SEARCH_LIMIT = 10


@require_GET
def commune_search(request):
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results, error = [], None
    if q:
        if (q.isascii() and q.isdigit()) and len(q) == 5 and not POSTAL_CODE.match(q):
            error = _("Un code postal comporte 5 chiffres.")
        else:
            results = list(selectors.search_communes(q=q)[:SEARCH_LIMIT])
    template = (
        "territories/_commune_results.html"
        if request.headers.get("HX-Request")
        else "territories/search.html"
    )
    return render(request, template, {"q": q, "results": results, "error": error})


@require_GET
def commune_detail(request, code: str):
    commune = selectors.resolve_commune(code)
    if commune is None:
        raise Http404(_("Commune inconnue."))
    return render(
        request,
        "territories/commune.html",
        {"commune": commune, "ess": _ess_summary("commune", commune.code)},
    )


def _ess_summary(level: str, code: str):
    """The observatory's figures of the territory (None before any import)."""
    from maille.observatory.selectors import territory_summary

    return territory_summary(level, code)


@require_GET
def epci_detail(request, code: str):
    epci = selectors.epci_with_communes(code)
    if epci is None:
        raise Http404(_("EPCI inconnu."))
    members = selectors.epci_communes(epci)
    fmt = request.GET.get("format")
    if fmt:
        return tabular_response(
            fmt,
            f"communes-{epci.code}",
            [_("Code INSEE"), _("Commune"), _("Codes postaux"), _("Population"), _("Département")],
            (
                [
                    c.code,
                    c.name,
                    " ".join(pc.code for pc in c.postal_codes.all()),
                    c.population,
                    c.departement_id,
                ]
                for c in members
            ),
        )
    return render(
        request,
        "territories/epci.html",
        {
            "epci": epci,
            "members": members,
            "departements": selectors.departements_of_epci(epci),
            "ess": _ess_summary("epci", epci.code),
        },
    )
