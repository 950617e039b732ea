"""Observatory API: `GET /api/v1/observatory/stats` (public figures of a territory) and
`GET /api/v1/observatory/detection/new` (newly created ESS establishments, for the roles of the detection lists)."""

import datetime

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maille.api.views import PublicMixin

from . import perms, selectors
from .enums import Family, NafSection, SizeBand, StatLevel

LEVEL_PARAMETERS = [
    OpenApiParameter("level", str, enum=StatLevel.values, required=True, description="Niveau du territoire"),
    OpenApiParameter(
        "code", str, required=True, description="Code du territoire (région 52 ≠ département 52)"
    ),
]


def _figure_serializer(name: str):
    return inline_serializer(
        name, {"establishments": serializers.IntegerField(), "employees_estimate": serializers.FloatField()}
    )


def _territory(params, snapshot_param: bool = True):
    errors: dict[str, list[str]] = {}
    level, code = params.get("level", "").strip(), params.get("code", "").strip()
    snapshot = None
    try:
        name = selectors.check_territory(level, code)
    except selectors.StatsError as exc:
        errors.update({key: [value] for key, value in exc.errors.items()})
        name = ""
    if snapshot_param:
        try:
            snapshot = selectors.get_snapshot(params.get("snapshot"))
        except selectors.StatsError as exc:
            errors.update({key: [value] for key, value in exc.errors.items()})
    if errors:
        raise ValidationError(errors)
    return level, code, name, snapshot


def _no_snapshot():
    return NotFound(_("Aucun instantané du répertoire n'est importé (manage.py import_sirene)."))


@extend_schema(
    tags=["observatoire"],
    summary="Chiffres de l'ESS d'un territoire (dernier instantané par défaut)",
    parameters=[
        *LEVEL_PARAMETERS,
        OpenApiParameter("snapshot", str, description="Numéro ou date (AAAA-MM-JJ) d'un instantané"),
    ],
    responses=inline_serializer(
        "ObservatoryStats",
        {
            "code": serializers.CharField(),
            "nom": serializers.CharField(),
            "snapshot_date": serializers.DateField(),
            "establishments": serializers.IntegerField(),
            "employees_estimate": serializers.FloatField(),
            "ess_share_of_employment": serializers.FloatField(allow_null=True),
            "by_family": inline_serializer(
                "ObservatoryByFamily",
                {family: _figure_serializer(f"Family_{family}") for family in Family.values},
            ),
            "by_section": inline_serializer(
                "ObservatoryBySection", {s: _figure_serializer(f"Section_{s}") for s in NafSection.values}
            ),
            "by_size_band": inline_serializer(
                "ObservatoryBySizeBand", {f"{b}": _figure_serializer(f"Band_{b}") for b in SizeBand.values}
            ),
        },
    ),
)
class StatsView(PublicMixin, APIView):
    def get(self, request):
        level, code, _name, snapshot = _territory(request.query_params)
        if snapshot is None:
            raise _no_snapshot()
        data = selectors.stats(level, code, snapshot)
        return Response(
            {
                key: data[key]
                for key in (
                    "code",
                    "nom",
                    "level",
                    "snapshot",
                    "snapshot_date",
                    "is_demo",
                    "establishments",
                    "employees_estimate",
                    "ess_share_of_employment",
                    "all_establishments",
                    "all_employees_estimate",
                    "by_family",
                    "by_section",
                    "by_size_band",
                )
            }
        )


class PositionSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class NewEstablishmentSerializer(serializers.Serializer):
    siret = serializers.CharField()
    name = serializers.CharField(source="display_name")
    commune = serializers.CharField(source="commune_code")
    family = serializers.CharField()
    creation_date = serializers.DateField()
    naf = serializers.CharField()
    size_band = serializers.CharField()
    position = serializers.SerializerMethodField()

    @extend_schema_field(PositionSerializer(allow_null=True))
    def get_position(self, row) -> dict | None:
        if row.latitude is None or row.longitude is None:
            return None
        return {"lat": row.latitude, "lon": row.longitude}


@extend_schema(
    tags=["observatoire"],
    summary="Établissements de l'ESS créés depuis une date dans un territoire (listes de repérage)",
    parameters=[
        OpenApiParameter("since", datetime.date, required=True, description="AAAA-MM-JJ"),
        *LEVEL_PARAMETERS,
        OpenApiParameter("family", str, enum=Family.values),
        OpenApiParameter("section", str, enum=NafSection.values),
    ],
)
class NewEstablishmentsView(ListAPIView):
    serializer_class = NewEstablishmentSerializer

    def get_queryset(self):
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        since = None
        raw = params.get("since", "").strip()
        try:
            since = datetime.date.fromisoformat(raw)
        except ValueError:
            errors["since"] = [
                _("Indiquez la date « since » au format AAAA-MM-JJ, par exemple 2026-06-01.")
                if raw
                else _("Indiquez la date « since » (AAAA-MM-JJ).")
            ]
        for name, enum in (("family", Family), ("section", NafSection)):
            value = params.get(name, "").strip()
            if value and value not in enum.values:
                errors[name] = [_("Valeur inconnue « %(value)s ».") % {"value": value}]
        try:
            level, code, _name, snapshot = _territory(params)
        except ValidationError as exc:
            errors.update(exc.detail)
            level = code = snapshot = None
        if errors:
            raise ValidationError(errors)
        if not perms.can_view_detection(self.request.user, level, code):
            raise PermissionDenied()
        if snapshot is None:
            raise _no_snapshot()
        return selectors.new_establishments(
            snapshot, since, level, code, params.get("family", "").strip(), params.get("section", "").strip()
        )


urlpatterns = [
    re_path(r"^observatory/stats/?$", StatsView.as_view(), name="api-observatory-stats"),
    re_path(r"^observatory/detection/new/?$", NewEstablishmentsView.as_view(), name="api-observatory-new"),
]
