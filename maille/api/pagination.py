"""The one pagination of every API list: {count, next, previous, results}, `page` and `page_size` checked."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from .params import is_number


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not is_number(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    "page_size": [
                        _("Indiquez un nombre entier entre 1 et %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        page, page_size = super().get_schema_operation_parameters(view)
        page["description"] = "Numéro de la page (1 pour la première) ; au-delà de la dernière : 404."
        page["schema"] = {"type": "integer", "minimum": 1, "default": 1}
        page_size["description"] = (
            f"Nombre de résultats par page ({self.page_size} par défaut, {self.max_page_size} au plus)."
        )
        page_size["schema"] = {
            "type": "integer",
            "minimum": 1,
            "maximum": self.max_page_size,
            "default": self.page_size,
        }
        return [page, page_size]

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not is_number(raw) or int(raw) < 1:
            raise ValidationError({"page": [_("Le numéro de page doit être un entier positif.")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise NotFound(_("Cette page n'existe pas.")) from exc
