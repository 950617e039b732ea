"""Public read API of the strategy: the tree with its progress, the 14 objectives, indicators and their measurements.

Actions are not public: inside /strategy they are listed only to pilots and staff (session), the public gets
`actions: []` while every progress figure is still computed from all the actions.
"""

import re
from datetime import date

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maille.api.params import QueryParams
from maille.api.views import PublicMixin
from maille.territories.enums import AREA_LEVELS
from maille.territories.selectors import zone_errors

from . import selectors
from .enums import ActionStatus, Direction, IndicatorSource
from .models import Indicator
from .perms import can_view_actions

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PROGRESS_HELP = (
    "Avancement en % (0 à 100), ou null quand il n'y a pas encore de donnée. Objectif : moyenne des avancements de "
    "ses actions pondérée par leur poids (une action sans avancement compte 0). Sous-axe, axe et stratégie : moyenne "
    "simple de leurs enfants qui ont une donnée."
)


def _strategy_or_404():
    strategy = selectors.current_strategy()
    if strategy is None:
        raise NotFound(_("Aucune stratégie n'est chargée."))
    return strategy


class ActionNodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    weight = serializers.FloatField()


class ObjectiveNodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    actions = ActionNodeSerializer(
        many=True, help_text="Réservé aux pilotes et à l'équipe (session) ; liste vide pour le public."
    )


class SubAxisNodeSerializer(serializers.Serializer):
    title = serializers.CharField()
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    objectives = ObjectiveNodeSerializer(many=True)


class AxisNodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    sub_axes = SubAxisNodeSerializer(many=True)


class StrategyTreeSerializer(serializers.Serializer):
    name = serializers.CharField()
    period = serializers.CharField()
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    objectives_count = serializers.IntegerField()
    objectives_with_data = serializers.IntegerField(help_text="Objectifs dont l'avancement est connu.")
    axes = AxisNodeSerializer(many=True)


@extend_schema(
    tags=["stratégie"],
    summary="La stratégie régionale de l'ESS et son avancement",
    description=(
        "Axes, sous-axes et objectifs publiés, chacun avec son avancement. "
        + PROGRESS_HELP
        + " Les actions ne sont "
        "pas publiques : `actions` n'est rempli que pour les pilotes et l'équipe Maille connectés ; pour les autres "
        "c'est une liste vide, mais l'avancement est calculé sur toutes les actions."
    ),
    responses=StrategyTreeSerializer,
)
class StrategyView(PublicMixin, APIView):
    # Public, but reads the session so that pilots and staff see the actions (GET only: no CSRF at stake).
    authentication_classes = [SessionAuthentication]

    def get(self, request):
        tree = selectors.strategy_tree(_strategy_or_404())
        if not can_view_actions(request.user):
            for axis in tree["axes"]:
                for sub_axis in axis["sub_axes"]:
                    for objective in sub_axis["objectives"]:
                        objective["actions"] = []
        return Response(StrategyTreeSerializer(tree).data)


class ObjectiveSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    axis = serializers.CharField(help_text="Code de l'axe (A1, A2)")
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)


@extend_schema(tags=["stratégie"], summary="Les objectifs de la stratégie et leur avancement")
class ObjectiveListView(PublicMixin, ListAPIView):
    serializer_class = ObjectiveSerializer

    def get_queryset(self):
        return selectors.objectives_of(selectors.strategy_tree(_strategy_or_404()))


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.FloatField(source="baseline_value", allow_null=True)
    baseline_date = serializers.DateField(allow_null=True)
    target = serializers.FloatField(source="target_value", allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    direction = serializers.ChoiceField(choices=Direction.choices)
    source = serializers.ChoiceField(choices=IndicatorSource.choices)
    computation = serializers.CharField()
    objective = serializers.CharField(source="objective.code", allow_null=True, default=None)


@extend_schema(tags=["stratégie"], summary="Les indicateurs de la stratégie")
class IndicatorListView(PublicMixin, ListAPIView):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        return selectors.indicators(_strategy_or_404())


class MeasurementSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField()
    level = serializers.CharField(source="zone_level", help_text="Vide : total de la région")
    code = serializers.CharField(source="zone_code")
    source_note = serializers.CharField()


def _date_param(params: QueryParams, name: str) -> date | None:
    raw = params.text(name)
    if not raw:
        return None
    try:
        if not ISO_DATE.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        params.errors[name] = [_("Indiquez une date au format AAAA-MM-JJ, par exemple 2025-01-31.")]
        return None


@extend_schema(
    tags=["stratégie"],
    summary="Les mesures d'un indicateur",
    description="Les plus anciennes d'abord. Sans `level`, toutes les mesures (total régional et déclinaisons).",
    parameters=[
        OpenApiParameter(
            "level", str, enum=[str(level) for level in AREA_LEVELS], description="Niveau du territoire"
        ),
        OpenApiParameter("code", str, description="Code du territoire (avec level)"),
        OpenApiParameter("from", str, description="Date de début incluse (AAAA-MM-JJ)"),
        OpenApiParameter("to", str, description="Date de fin incluse (AAAA-MM-JJ)"),
    ],
)
class MeasurementListView(PublicMixin, ListAPIView):
    serializer_class = MeasurementSerializer

    def get_queryset(self):
        pk = self.kwargs["pk"]
        indicator = Indicator.objects.filter(pk=pk).first() if pk.isdigit() else None
        if indicator is None:
            raise NotFound(_("Aucun indicateur n'a l'identifiant « %(id)s ».") % {"id": pk})
        params = QueryParams(self.request.query_params)
        level, code = params.text("level"), params.text("code")
        if level or code:
            params.errors.update({field: [message] for field, message in zone_errors(level, code).items()})
        date_from, date_to = _date_param(params, "from"), _date_param(params, "to")
        if date_from and date_to and date_from > date_to:
            params.errors["to"] = [_("La date de fin doit suivre la date de début.")]
        params.check()
        return selectors.measurements(indicator, level, code, date_from, date_to)


urlpatterns = [
    re_path(r"^strategy/?$", StrategyView.as_view(), name="api-strategy"),
    re_path(r"^strategy/objectives/?$", ObjectiveListView.as_view(), name="api-strategy-objectives"),
    re_path(r"^strategy/indicators/?$", IndicatorListView.as_view(), name="api-strategy-indicators"),
    re_path(
        r"^strategy/indicators/(?P<pk>[^/]+)/measurements/?$",
        MeasurementListView.as_view(),
        name="api-strategy-measurements",
    ),
]
