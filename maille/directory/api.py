"""Public API of the directory: offers covering a commune with filters, and organisations."""

from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maille.api.fields import INSEE_CODE_PATTERN
from maille.api.params import MAX_QUERY_LENGTH, QueryParams, is_number
from maille.api.views import PublicMixin
from maille.core.enums import LegalForm, Need, Stage
from maille.funding import selectors as funding_selectors

from . import selectors


class ZoneSerializer(serializers.Serializer):
    type = serializers.CharField(source="zone_level")
    code = serializers.CharField(source="zone_code")


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CatalogueItemSerializer(serializers.Serializer):
    """What offers and funding schemes share: who they are for, where, and where the facts come from."""

    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    stages = serializers.ListField(child=serializers.CharField())
    needs = serializers.ListField(child=serializers.CharField())
    legal_forms = serializers.ListField(child=serializers.CharField())
    zones = ZoneSerializer(many=True)
    source_url = serializers.CharField()
    demo_fields = serializers.ListField(child=serializers.CharField())
    updated_at = serializers.DateTimeField()


class OfferSerializer(CatalogueItemSerializer):
    organisation = OrganisationRefSerializer()
    employees_min = serializers.IntegerField(allow_null=True)
    employees_max = serializers.IntegerField(allow_null=True)
    years_min = serializers.IntegerField(allow_null=True)
    years_max = serializers.IntegerField(allow_null=True)
    is_free = serializers.BooleanField()
    on_site = serializers.BooleanField()
    remote = serializers.BooleanField()
    mobilisation = serializers.CharField()
    contact = serializers.CharField()
    added_value = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, offer) -> str:
        return reverse("directory:offer", args=[offer.slug])


def catalogue_parameters(covers: str, *extra: OpenApiParameter) -> list[OpenApiParameter]:
    """The filters of a catalogue list (offers, schemes) in the API schema; `extra` go after the need."""
    return [
        OpenApiParameter("commune", str, pattern=INSEE_CODE_PATTERN, description=covers),
        OpenApiParameter("stage", str, enum=Stage.values),
        OpenApiParameter("need", str, enum=Need.values),
        *extra,
        OpenApiParameter("legal_form", str, enum=LegalForm.values),
        OpenApiParameter("q", {"type": "string", "maxLength": MAX_QUERY_LENGTH}, description="Mots-clés"),
    ]


@extend_schema(
    tags=["annuaire"],
    summary="Rechercher des offres d'accompagnement",
    parameters=catalogue_parameters("Code INSEE : offres qui couvrent cette commune, la plus locale d'abord"),
)
class OfferListView(PublicMixin, ListAPIView):
    serializer_class = OfferSerializer

    def get_queryset(self):
        params = QueryParams(self.request.query_params)
        filters = {
            "commune": params.commune(),
            "stage": params.choice("stage", Stage),
            "need": params.choice("need", Need),
            "legal_form": params.choice("legal_form", LegalForm),
            "q": params.text("q"),
        }
        params.check()
        return selectors.search_offers(**filters)


class BranchSerializer(serializers.Serializer):
    name = serializers.CharField()
    commune = serializers.CharField(source="commune_id", allow_null=True)
    zones = ZoneSerializer(many=True)


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    siret = serializers.CharField()
    address = serializers.CharField()
    commune = serializers.SerializerMethodField()
    website = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()
    description = serializers.CharField()
    source_url = serializers.CharField()
    demo_fields = serializers.ListField(child=serializers.CharField())
    branches = BranchSerializer(many=True)
    offers = serializers.SerializerMethodField()
    funding_schemes = serializers.SerializerMethodField()

    def get_commune(self, organisation) -> dict | None:
        commune = organisation.commune
        return {"code": commune.code, "nom": commune.name} if commune else None

    def get_offers(self, organisation) -> list[dict]:
        return [{"id": o.pk, "name": o.name} for o in organisation.offers.all()]

    def get_funding_schemes(self, organisation) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in funding_selectors.schemes_of_funder(organisation)]


@extend_schema(
    tags=["annuaire"],
    summary="Une organisation, ses antennes, offres et dispositifs",
    responses=OrganisationSerializer,
)
class OrganisationDetailView(PublicMixin, APIView):
    def get(self, request, pk: str):
        organisation = selectors.organisations_with_offers().filter(pk=pk).first() if is_number(pk) else None
        if organisation is None:
            raise NotFound(_("Aucune organisation n'a l'identifiant « %(id)s ».") % {"id": pk})
        return Response(OrganisationSerializer(organisation).data)


urlpatterns = [
    re_path(r"^offers/?$", OfferListView.as_view(), name="api-offers"),
    re_path(r"^organisations/(?P<pk>[^/]+)/?$", OrganisationDetailView.as_view(), name="api-organisation"),
]
