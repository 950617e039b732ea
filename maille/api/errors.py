"""API errors as JSON with French messages: {"detail": …, "errors": {field: [messages]}} for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    if isinstance(exc, exceptions.ParseError):
        detail = str(exc.detail)
        message = detail if detail.startswith("Le corps de la requête") else None
        exc = exceptions.ValidationError(
            {"body": [message or _("Le corps de la requête n'est pas un JSON valide.")]}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"detail": response.data}
        response.data = {"detail": _("Requête invalide : corrigez les champs signalés."), "errors": errors}
    elif isinstance(exc, exceptions.AuthenticationFailed) and _sent_bearer(context):
        # A partner's token that is wrong, expired or revoked: 401 with the reason, and how to authenticate.
        response.status_code = 401
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        response.data = {"detail": str(exc.detail)}
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        response.data = {"detail": _("Authentification requise.")}
    elif isinstance(exc, exceptions.Throttled):
        seconds = max(1, int(exc.wait or 1))
        response.data = {
            "detail": ngettext(
                "Trop de requêtes : réessayez dans %(seconds)d seconde.",
                "Trop de requêtes : réessayez dans %(seconds)d secondes.",
                seconds,
            )
            % {"seconds": seconds}
        }
    elif isinstance(exc, exceptions.PermissionDenied):
        response.data = {"detail": _("Vous n'avez pas accès à cette ressource.")}
    return response


def _sent_bearer(context) -> bool:
    request = context.get("request")
    header = request.META.get("HTTP_AUTHORIZATION", "") if request is not None else ""
    return header.lower().split()[:1] == ["bearer"]


def json_404(request, exception=None):
    return JsonResponse({"detail": _("Ressource introuvable.")}, status=404)


def json_500(request):
    return JsonResponse({"detail": _("Erreur interne : l'équipe est prévenue.")}, status=500)
