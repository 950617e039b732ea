"""The OpenAPI document's conventions, applied to every operation by one AutoSchema:

- the error responses as they really happen, all with the shared `Error` component `{detail, errors}`: 400 where the
  operation reads parameters or a body, 401/403 where it needs an account or a token, 404 where it names an object in
  its path or pages a list, 429 everywhere (throttling), plus what a view declares in `error_statuses` (409 …);
- the partner token (`Authorization: Bearer …`) as a security scheme beside the session cookie.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object", "additionalProperties": True},
        ]
    }
)
class FieldErrorsField(serializers.JSONField):
    """The messages of one field; for a list or an object, the messages of each item under its index or name."""


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Le message en français."))
    errors = serializers.DictField(
        child=FieldErrorsField(),
        required=False,
        help_text=_(
            "Requête invalide (400) : les messages de chaque champ ou paramètre, sous son nom (pour une liste, "
            "sous l'indice de chaque élément fautif)."
        ),
    )

    class Meta:
        ref_name = "Error"


ERROR_DESCRIPTIONS = {
    "400": _("Requête invalide : un message en français par champ ou paramètre, rien n'est modifié."),
    "401": _("Jeton (Authorization: Bearer) invalide, expiré ou révoqué."),
    "403": _("Non authentifié (sans session ni jeton), ou pas autorisé pour cette ressource."),
    "404": _("Ressource introuvable (ou page de résultats au-delà de la dernière)."),
    "409": _(
        "Conflit : l'objet a changé d'état entre-temps (par exemple déjà traité par quelqu'un d'autre)."
    ),
    "429": _("Trop de requêtes : réessayez après le délai indiqué par l'en-tête Retry-After."),
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "maille.api.authentication.BearerTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "Jeton d'une organisation partenaire, créé par l'équipe Maille dans le back-office : il a les "
                    "droits d'un membre de cette organisation, et d'elle seule."
                )
            ),
        }


class AutoSchema(SpectacularAutoSchema):
    def _is_public(self) -> bool:
        return all(isinstance(permission, AllowAny) for permission in self.view.get_permissions())

    def _reads_input(self) -> bool:
        if self.method in WRITE_METHODS or self._get_paginator() is not None:
            return True
        return any(parameter.get("in") != "path" for parameter in self._get_parameters())

    def error_statuses(self) -> list[str]:
        codes = set()
        if self._reads_input():
            codes.add("400")
        if self.view.get_authenticators():
            codes.add("401")  # a bad token is refused even where the data is public
        if not self._is_public():
            codes.update({"401", "403"})
        if "{" in self.path or self._get_paginator() is not None:
            codes.add("404")
        codes.add("429")
        codes.update(str(code) for code in getattr(self.view, "error_statuses", ()))
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        declared = [code for code, response in responses.items() if code.startswith("4")]
        for code in sorted(set(self.error_statuses()) | set(declared)):
            if code not in responses or "content" not in responses[code]:
                description = responses.get(code, {}).get("description") or ERROR_DESCRIPTIONS.get(code, "")
                error = OpenApiResponse(ErrorSerializer, description=str(description))
                responses[code] = self._get_response_for_code(error, code, direction=direction)
        return responses
