"""Public API of the orientation: POST a project's profile, get ranked offers and funding with reasons; the vocabulary."""

import re

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from maille.api.fields import InseeCodeField, NafField, SiretField
from maille.api.views import PublicMixin
from maille.core.enums import LegalForm, Need, Stage
from maille.core.identifiers import is_valid_siret
from maille.territories.selectors import resolve_commune

from .services import Profile, recommend

NAF = re.compile(r"^\d{2}\.\d{2}[A-Z]$")


class OrientationRequestSerializer(serializers.Serializer):
    commune = InseeCodeField(max_length=5, help_text="Code INSEE de la commune du projet")
    stage = serializers.ChoiceField(choices=Stage.choices)
    needs = serializers.ListField(child=serializers.ChoiceField(choices=Need.choices), allow_empty=True)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    employees = serializers.FloatField(min_value=0, max_value=100000, default=0)
    years_of_existence = serializers.IntegerField(min_value=0, max_value=500, default=0)
    siret = SiretField(
        required=False, allow_blank=True, max_length=20, help_text="14 chiffres, clé de contrôle juste"
    )
    naf = NafField(required=False, allow_blank=True, max_length=10, help_text="Code NAF, par exemple 88.10A")
    collective = serializers.BooleanField(required=False, default=False)
    social_innovation = serializers.BooleanField(required=False, default=False)
    tiers_lieu = serializers.BooleanField(required=False, default=False)

    def validate_commune(self, value):
        commune = resolve_commune(value.strip())
        if commune is None:
            raise serializers.ValidationError(
                _("Aucune commune n'a le code INSEE « %(code)s ».") % {"code": value}
            )
        return commune.code

    def validate_siret(self, value):
        value = value.replace(" ", "")
        if value and not is_valid_siret(value):
            raise serializers.ValidationError(
                _("Ce SIRET n'est pas valide (14 chiffres et une clé de contrôle juste).")
            )
        return value

    def validate_naf(self, value):
        value = value.strip().upper()
        if value and not NAF.match(value):
            raise serializers.ValidationError(_("Un code NAF s'écrit comme 88.10A."))
        return value


class ReasonedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.SerializerMethodField()
    score = serializers.FloatField(
        help_text="Points du classement. Quand des besoins sont indiqués, les éléments qui n'en couvrent aucun "
        "viennent après tous les autres, quel que soit leur score (une de leurs raisons le dit)."
    )
    reasons = serializers.ListField(child=serializers.CharField())

    def get_organisation(self, item) -> dict | None:
        if item.organisation_id is None:
            return None
        return {"id": item.organisation_id, "name": item.organisation_name}


class OrientationView(PublicMixin, APIView):
    @extend_schema(
        tags=["orientation"],
        summary="Orienter un projet : offres et financements classés, avec leurs raisons",
        request=OrientationRequestSerializer,
        responses=inline_serializer(
            "Orientation",
            {
                "offers": ReasonedItemSerializer(many=True),
                "funding": ReasonedItemSerializer(many=True),
                "outside_region": serializers.BooleanField(),
                "notice": serializers.CharField(),
            },
        ),
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            raise serializers.ValidationError(
                {"body": [_("Le corps de la requête doit être un objet JSON.")]}
            )
        payload = OrientationRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        profile = Profile(
            commune_code=data["commune"],
            stage=data["stage"],
            needs=data["needs"],
            legal_form=data["legal_form"],
            employees=data["employees"],
            years_of_existence=data["years_of_existence"],
            siret=data.get("siret", ""),
            naf=data.get("naf", ""),
            collective=data["collective"],
            social_innovation=data["social_innovation"],
            tiers_lieu=data["tiers_lieu"],
        )
        result = recommend(profile)
        return Response(
            {
                "offers": ReasonedItemSerializer(result.offers, many=True).data,
                "funding": ReasonedItemSerializer(result.funding, many=True).data,
                "outside_region": result.outside_region,
                "notice": result.notice,
            }
        )


class VocabularyEntrySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class VocabularyView(PublicMixin, APIView):
    @extend_schema(
        tags=["orientation"],
        summary="Stades, besoins et formes juridiques avec leurs libellés",
        responses=inline_serializer(
            "Vocabulary",
            {
                "stages": VocabularyEntrySerializer(many=True),
                "needs": VocabularyEntrySerializer(many=True),
                "legal_forms": VocabularyEntrySerializer(many=True),
            },
        ),
    )
    def get(self, request):
        def entries(enum):
            return [{"code": value, "label": str(label)} for value, label in enum.choices]

        return Response({"stages": entries(Stage), "needs": entries(Need), "legal_forms": entries(LegalForm)})


urlpatterns = [
    re_path(r"^orientation/?$", OrientationView.as_view(), name="api-orientation"),
    re_path(r"^vocabulary/?$", VocabularyView.as_view(), name="api-vocabulary"),
]
