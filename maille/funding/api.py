"""Public API of funding schemes: search by commune, stage, type, legal form, open or not."""

from django.urls import re_path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from maille.api.params import QueryParams
from maille.api.views import PublicMixin
from maille.core.enums import LegalForm, Need, Stage
from maille.directory.api import CatalogueItemSerializer, OrganisationRefSerializer, catalogue_parameters

from . import selectors
from .enums import FundingType


class SchemeSerializer(CatalogueItemSerializer):
    organisation = serializers.SerializerMethodField(help_text="Le premier financeur")
    funders = OrganisationRefSerializer(many=True)
    type = serializers.CharField(source="kind")
    amount_min = serializers.IntegerField(allow_null=True)
    amount_max = serializers.IntegerField(allow_null=True)
    rate = serializers.CharField()
    opens_on = serializers.DateField(allow_null=True)
    closes_on = serializers.DateField(allow_null=True)
    recurrence = serializers.CharField()
    deadline = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_organisation(self, scheme) -> dict | None:
        funders = sorted(scheme.funders.all(), key=lambda f: f.pk)
        return {"id": funders[0].pk, "name": funders[0].name} if funders else None

    def get_deadline(self, scheme) -> str:
        return selectors.deadline_status(scheme, self.context["today"]).value

    def get_url(self, scheme) -> str:
        return reverse("funding:scheme", args=[scheme.slug])


@extend_schema(
    tags=["financements"],
    summary="Rechercher des dispositifs de financement",
    parameters=catalogue_parameters(
        "Code INSEE : dispositifs qui couvrent cette commune",
        OpenApiParameter("type", str, enum=FundingType.values),
        OpenApiParameter("open", bool, description="true : ouverts aujourd'hui ; false : clos"),
    ),
)
class SchemeListView(PublicMixin, ListAPIView):
    serializer_class = SchemeSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_queryset(self):
        params = QueryParams(self.request.query_params)
        filters = {
            "commune": params.commune(),
            "stage": params.choice("stage", Stage),
            "need": params.choice("need", Need),
            "kind": params.choice("type", FundingType),
            "legal_form": params.choice("legal_form", LegalForm),
            "q": params.text("q"),
        }
        is_open = params.boolean("open")
        params.check()
        return selectors.search_schemes(is_open=is_open, today=timezone.localdate(), **filters)


urlpatterns = [re_path(r"^funding/?$", SchemeListView.as_view(), name="api-funding")]
