"""Pages that belong to no domain: home, accessibility statement, error pages (JSON under /api/)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from maille.api.errors import json_404, json_500


@require_GET
def home(request):
    return render(request, "core/home.html")


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


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


def server_error(request):
    if request.path.startswith("/api/"):
        return json_500(request)
    return render(request, "500.html", status=500)
