"""Public read API of the geography: communes (search, postal code, detail), EPCI, départements, régions, contours."""

import re

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maille.api.fields import POSTAL_CODE_PATTERN
from maille.api.params import QueryParams
from maille.api.views import PublicMixin

from . import selectors
from .enums import ZoneLevel

POSTAL_CODE = re.compile(r"^\d{5}$")


class NamedCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField(source="name")


class CommuneSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField(source="name")
    codes_postaux = serializers.SerializerMethodField()
    population = serializers.IntegerField(allow_null=True)
    departement = NamedCodeSerializer()
    region = NamedCodeSerializer()
    epci = NamedCodeSerializer(allow_null=True)

    def get_codes_postaux(self, commune) -> list[str]:
        return sorted(pc.code for pc in commune.postal_codes.all())


class PublicAPIView(PublicMixin, APIView):
    pass


@extend_schema(
    tags=["territoires"],
    summary="Rechercher des communes",
    parameters=[
        OpenApiParameter(
            "q", str, description="Début du nom (ou d'un mot du nom), sans tenir compte des accents"
        ),
        OpenApiParameter(
            "code_postal", str, pattern=POSTAL_CODE_PATTERN, description="Code postal à 5 chiffres"
        ),
        OpenApiParameter(
            "level",
            str,
            enum=["region", "departement", "epci", "commune"],
            description="Niveau du territoire",
        ),
        OpenApiParameter("code", str, description="Code du territoire (avec level)"),
    ],
)
class CommuneListView(PublicMixin, ListAPIView):
    serializer_class = CommuneSerializer

    def get_queryset(self):
        params = QueryParams(self.request.query_params)
        q = params.text("q")
        postal_code = params.text("code_postal")
        if postal_code and not POSTAL_CODE.match(postal_code):
            params.errors["code_postal"] = [_("Un code postal comporte 5 chiffres, par exemple 49800.")]
        level, code = params.text("level"), params.text("code")
        params.check()
        qs = selectors.search_communes(q=q, postal_code=postal_code)
        if level or code:
            level, code = selectors.validate_area(level, code)
            qs = qs.filter(selectors.commune_in_zone_q(level, code))
        return qs


@extend_schema(tags=["territoires"], summary="Une commune", responses=CommuneSerializer)
class CommuneDetailView(PublicAPIView):
    def get(self, request, code: str):
        commune = selectors.resolve_commune(code)
        if commune is None:
            raise NotFound(_("Aucune commune n'a le code « %(code)s ».") % {"code": code})
        return Response(CommuneSerializer(commune).data)


@extend_schema(
    tags=["territoires"],
    summary="Un EPCI et ses communes membres",
    responses=inline_serializer(
        "Epci",
        {
            "code": serializers.CharField(),
            "nom": serializers.CharField(),
            "type": serializers.CharField(),
            "population": serializers.IntegerField(allow_null=True),
            "communes": serializers.ListField(child=serializers.CharField()),
        },
    ),
)
class EpciDetailView(PublicAPIView):
    def get(self, request, code: str):
        epci = selectors.epci_with_communes(code)
        if epci is None:
            raise NotFound(_("Aucun EPCI n'a le SIREN « %(code)s ».") % {"code": code})
        return Response(
            {
                "code": epci.code,
                "nom": epci.name,
                "type": epci.kind,
                "population": epci.population,
                "communes": sorted(c.code for c in epci.communes.all()),
            }
        )


@extend_schema(
    tags=["territoires"],
    summary="Une région : départements, nombre d'EPCI et de communes",
    responses=inline_serializer(
        "Region",
        {
            "code": serializers.CharField(),
            "nom": serializers.CharField(),
            "departements": NamedCodeSerializer(many=True),
            "epci_count": serializers.IntegerField(),
            "communes_count": serializers.IntegerField(),
        },
    ),
)
class RegionDetailView(PublicAPIView):
    def get(self, request, code: str):
        summary = selectors.region_summary(code)
        if summary is None:
            raise NotFound(_("Aucune région n'a le code « %(code)s ».") % {"code": code})
        return Response(
            {
                "code": summary["region"].code,
                "nom": summary["region"].name,
                "departements": NamedCodeSerializer(summary["departements"], many=True).data,
                "epci_count": summary["epci_count"],
                "communes_count": summary["communes_count"],
            }
        )


@extend_schema(
    tags=["territoires"],
    summary="Contours GeoJSON d'une commune, d'un EPCI (avec ses communes) ou d'un département",
    responses=OpenApiTypes.OBJECT,
)
class ContourView(PublicAPIView):
    error_statuses = (400,)  # an unknown level
    LEVELS = (ZoneLevel.COMMUNE, ZoneLevel.EPCI, ZoneLevel.DEPARTEMENT, ZoneLevel.REGION)

    def get(self, request, level: str, code: str):
        if level not in self.LEVELS:
            raise ValidationError({"level": [_("Niveau inconnu : commune, epci, departement ou region.")]})
        if selectors.zone_errors(level, code):  # like every other endpoint: an unknown territory is a 404
            raise NotFound(
                _("Aucun territoire de niveau « %(level)s » n'a le code « %(code)s ».")
                % {"level": level, "code": code}
            )
        if level == ZoneLevel.REGION:
            # A region is drawn as its départements, or as its EPCI with `?detail=epci`.
            by_epci = request.query_params.get("detail") == ZoneLevel.EPCI
            features = selectors.epci_contours(code) if by_epci else selectors.departement_contours(code)
            return Response({"type": "FeatureCollection", "features": features})
        features = []
        geometry = selectors.contour(level, code)
        if geometry is not None:
            features.append(
                {"type": "Feature", "properties": {"code": code, "role": "zone"}, "geometry": geometry}
            )
        if level == ZoneLevel.EPCI:
            features += selectors.contours_of_communes(selectors.commune_in_zone_q(ZoneLevel.EPCI, code))
        elif level == ZoneLevel.COMMUNE and geometry is not None:
            # The commune among the other communes of its EPCI (or of its département when it has none).
            commune = selectors.get_commune(code)
            context = (
                (ZoneLevel.EPCI, commune.epci_id)
                if commune.epci_id
                else (ZoneLevel.DEPARTEMENT, commune.departement_id)
            )
            features += selectors.contours_of_communes(selectors.commune_in_zone_q(*context), exclude=code)
        return Response({"type": "FeatureCollection", "features": features})


urlpatterns = [
    re_path(r"^territories/communes/?$", CommuneListView.as_view(), name="api-communes"),
    re_path(r"^territories/communes/(?P<code>[^/]+)/?$", CommuneDetailView.as_view(), name="api-commune"),
    re_path(r"^territories/epci/(?P<code>[^/]+)/?$", EpciDetailView.as_view(), name="api-epci"),
    re_path(r"^territories/regions/(?P<code>[^/]+)/?$", RegionDetailView.as_view(), name="api-region"),
    re_path(
        r"^territories/contours/(?P<level>[a-z]+)/(?P<code>[^/]+)/?$",
        ContourView.as_view(),
        name="api-contour",
    ),
]
