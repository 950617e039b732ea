"""Pages that belong to no domain: home, accessibility statement, personal data, error pages (JSON under /api/)."""

import logging

from django.conf import settings
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from maille.api.errors import json_404, json_500

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    return render(request, "core/home.html")


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request):
    """« Données personnelles »: what is kept, why, for how long, who sees it, the rights and how to use them."""
    from maille.projects.privacy import retention_months

    return render(
        request,
        "core/privacy.html",
        {
            "retention_months": retention_months(),
            "retention_years": retention_months() // 12 if retention_months() % 12 == 0 else None,
            "contact_email": getattr(settings, "MAILLE_PRIVACY_EMAIL", "") or settings.MAILLE_DESK_EMAIL,
        },
    )


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return json_404(request, exception)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    """The 403 page (JSON under /api/), with the reason when there is one."""
    message = str(exception) if exception else _("Vous n'avez pas accès à cette page.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


# The last resort when even the 500 template fails.
_BARE_500 = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur</title></head><body><main>'
    "<h1>Une erreur est survenue</h1><p>L'équipe est prévenue. Réessayez dans quelques instants.</p>"
    '<p><a href="/">Revenir à l\'accueil</a></p></main></body></html>'
)


def server_error(request):
    """The 500 page in the site's layout, rendered without context processors: it must not touch the database
    (no session, no user, no messages), which may be the very thing that is down."""
    if request.path.startswith("/api/"):
        return json_500(request)
    context = {
        "platform_name": settings.MAILLE_PLATFORM_NAME,
        "region_code": settings.MAILLE_REGION_CODE,
        "is_network_member": False,
    }
    try:
        html = loader.get_template("500.html").render(context)
    except Exception:  # noqa: BLE001 — a broken error page must still answer
        logger.exception("The 500 page could not be rendered.")
        html = _BARE_500
    return HttpResponseServerError(html)
