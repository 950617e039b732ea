"""Public exports of the directory in the national data·inclusion schema: structures and services as JSON arrays."""

from django.urls import re_path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .datainclusion import services_export, structures_export

UNCONFIRMED = (
    "Les informations non confirmées par une source (complétions de démonstration) ne sont pas exportées ; "
    "le nom et la description d'un service, obligatoires, sont alors signalés « à confirmer »."
)
ARRAY_OF_RECORDS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}


class PublicExportView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []


class DataInclusionStructuresView(PublicExportView):
    @extend_schema(
        tags=["exports"],
        summary="Structures de l'annuaire au format data·inclusion",
        description=(
            "Les organisations ayant au moins une offre publiée, au schéma data·inclusion v1 (`Structure`). "
            + UNCONFIRMED
        ),
        operation_id="exports_data_inclusion_structures",
        responses={200: OpenApiResponse(ARRAY_OF_RECORDS, description="Liste de structures data·inclusion")},
    )
    def get(self, request):
        return Response(structures_export())


class DataInclusionServicesView(PublicExportView):
    @extend_schema(
        tags=["exports"],
        summary="Services (offres publiées) au format data·inclusion",
        description=(
            "Les offres d'accompagnement publiées, au schéma data·inclusion v1 (`Service`). " + UNCONFIRMED
        ),
        operation_id="exports_data_inclusion_services",
        responses={200: OpenApiResponse(ARRAY_OF_RECORDS, description="Liste de services data·inclusion")},
    )
    def get(self, request):
        return Response(services_export())


urlpatterns = [
    re_path(
        r"^exports/data-inclusion/structures\.json$",
        DataInclusionStructuresView.as_view(),
        name="api-di-structures",
    ),
    re_path(
        r"^exports/data-inclusion/services\.json$",
        DataInclusionServicesView.as_view(),
        name="api-di-services",
    ),
]
