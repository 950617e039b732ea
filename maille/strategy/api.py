"""API of the strategy. Public reads: the tree with its progress, the 14 objectives, indicators and their
measurements. Actions are not public: inside /strategy they are listed only to pilots and staff (session), the public
gets `actions: []` while every progress figure is still computed from all the actions.

Writes (session; the same permissions as the pages, `perms.py`): `POST /strategy/actions`, `GET|PATCH
/strategy/actions/{code}`, `POST /strategy/committees`, `POST /strategy/decisions`. Bad input → 400 with French
messages per field; nothing is written.
"""

import re
from datetime import date

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from maille.api.params import QueryParams, is_number
from maille.api.views import PublicMixin
from maille.territories.enums import AREA_LEVELS
from maille.territories.selectors import zone_errors

from . import perms, selectors, services
from .enums import ActionStatus, DecisionStatus, Direction, IndicatorSource, MeetingKind, ProgressSource
from .models import Action, Indicator
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
    # Public, but reads the session (or a partner token) so that pilots and staff see the actions.
    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    error_statuses = (404,)  # no strategy loaded

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
        indicator = Indicator.objects.filter(pk=pk).first() if is_number(pk) else None
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


# --- Writes: actions, committees, decisions ---

ACTION_INPUT = {
    "code": "texte",
    "title": "texte",
    "description": "texte",
    "objectives": "liste de {code, weight}",
    "pilots": "liste d'identifiants d'organisations (slugs)",
    "contacts": "texte",
    "partners": "liste d'identifiants d'organisations (slugs)",
    "zone_level": "region | departement | epci",
    "zone_code": "code du territoire",
    "start_date": "AAAA-MM-JJ",
    "end_date": "AAAA-MM-JJ",
    "status": "not_started | started | well_under_way | done",
    "progress_override": "entier de 0 à 100, ou null",
    "progress_justification": "texte (obligatoire avec progress_override)",
    "progress_source": "status | indicators",
    "budget_planned": "montant en euros",
    "budget_spent": "montant en euros",
    "offers": "liste d'identifiants d'offres (slugs)",
    "schemes": "liste d'identifiants de dispositifs (slugs)",
}
LIST_FIELDS = {"objectives", "pilots", "partners", "offers", "schemes", "organisations_present", "actions"}
MEETING_INPUT = {"kind", "date", "organisations_present", "agenda", "minutes"}
DECISION_INPUT = {"meeting", "text", "owner_organisation", "owner_text", "due_date", "status", "actions"}


def _body(request, allowed) -> dict:
    """The JSON object of the request, its keys checked: unknown fields and non-list values of lists → 400."""
    data = request.data
    if not isinstance(data, dict):
        raise ValidationError({"body": [_("Envoyez un objet JSON.")]})
    errors = {}
    for key, value in data.items():
        if key not in allowed:
            errors[key] = [
                _("Champ inconnu : les champs possibles sont %(fields)s.") % {"fields": ", ".join(allowed)}
            ]
        elif key in LIST_FIELDS and not isinstance(value, list):
            errors[key] = [_("Une liste est attendue.")]
        elif key == "objectives" and not all(isinstance(item, dict | str) for item in value):
            errors[key] = [_("Chaque objectif est un objet {code, weight}.")]
    if errors:
        raise ValidationError(errors)
    return dict(data)


def action_payload(action: Action) -> dict:
    """An action as the API returns it, with its progress and the new progress of the objectives it serves."""
    action = selectors.action_detail(action.strategy, action.code)
    tree = selectors.strategy_tree(action.strategy)
    progress_by_code = {o["code"]: o["progress"] for o in selectors.objectives_of(tree)}
    return {
        "code": action.code,
        "title": action.title,
        "description": action.description,
        "status": action.status,
        "progress": selectors.action_progress_of(action) if action.archived_at is None else None,
        "progress_override": action.progress_override,
        "progress_justification": action.progress_justification,
        "progress_source": action.progress_source,
        "objectives": [
            {
                "code": link.objective.code,
                "title": link.objective.title,
                "weight": float(link.weight),
                "progress": progress_by_code.get(link.objective.code),
            }
            for link in action.objective_links.all()
        ],
        "pilots": [o.slug for o in action.pilots.all()],
        "partners": [o.slug for o in action.partners.all()],
        "contacts": action.contacts,
        "zone_level": action.zone_level,
        "zone_code": action.zone_code,
        "start_date": action.start_date.isoformat() if action.start_date else None,
        "end_date": action.end_date.isoformat() if action.end_date else None,
        "budget_planned": None if action.budget_planned is None else float(action.budget_planned),
        "budget_spent": None if action.budget_spent is None else float(action.budget_spent),
        "offers": [o.slug for o in action.offers.all()],
        "schemes": [s.slug for s in action.schemes.all()],
        "archived": action.archived_at is not None,
    }


# --- The bodies of the writes, for the OpenAPI document only (the views read the JSON object themselves, `_body`,
# and the services check each value with a French message).


class ObjectiveWeightInput(serializers.Serializer):
    code = serializers.CharField(help_text="Code de l'objectif (O1 … O14)")
    weight = serializers.FloatField(min_value=0, help_text="Poids de l'action pour cet objectif")


class ActionInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    objectives = ObjectiveWeightInput(many=True, required=False)
    pilots = serializers.ListField(child=serializers.CharField(), required=False, help_text="Slugs")
    contacts = serializers.CharField(required=False, allow_blank=True)
    partners = serializers.ListField(child=serializers.CharField(), required=False)
    zone_level = serializers.ChoiceField(choices=["region", "departement", "epci"], required=False)
    zone_code = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)
    progress_override = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    progress_justification = serializers.CharField(
        required=False, allow_blank=True, help_text="Obligatoire avec progress_override"
    )
    progress_source = serializers.ChoiceField(choices=ProgressSource.choices, required=False)
    budget_planned = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, coerce_to_string=False
    )
    budget_spent = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, coerce_to_string=False
    )
    offers = serializers.ListField(child=serializers.CharField(), required=False)
    schemes = serializers.ListField(child=serializers.CharField(), required=False)


class ActionPatchSerializer(ActionInputSerializer):
    code = serializers.CharField(max_length=30, required=False)
    title = serializers.CharField(max_length=300, required=False)


class ActionObjectiveSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    weight = serializers.FloatField()
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)


class ActionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    progress = serializers.FloatField(allow_null=True, help_text="Null pour une action archivée")
    progress_override = serializers.IntegerField(allow_null=True)
    progress_justification = serializers.CharField()
    progress_source = serializers.ChoiceField(choices=ProgressSource.choices)
    objectives = ActionObjectiveSerializer(many=True)
    pilots = serializers.ListField(child=serializers.CharField())
    partners = serializers.ListField(child=serializers.CharField())
    contacts = serializers.CharField()
    zone_level = serializers.CharField()
    zone_code = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    budget_planned = serializers.FloatField(allow_null=True)
    budget_spent = serializers.FloatField(allow_null=True)
    offers = serializers.ListField(child=serializers.CharField())
    schemes = serializers.ListField(child=serializers.CharField())
    archived = serializers.BooleanField()


class MeetingInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    date = serializers.DateField()
    organisations_present = serializers.ListField(child=serializers.CharField(), required=False)
    agenda = serializers.CharField(required=False, allow_blank=True)
    minutes = serializers.CharField(required=False, allow_blank=True)


class MeetingSerializer(MeetingInputSerializer):
    id = serializers.IntegerField()
    organisations_present = serializers.ListField(child=serializers.CharField())
    agenda = serializers.CharField()
    minutes = serializers.CharField()


class DecisionInputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(help_text="Identifiant de la réunion")
    text = serializers.CharField()
    owner_organisation = serializers.CharField(required=False, allow_blank=True, help_text="Slug")
    owner_text = serializers.CharField(required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=DecisionStatus.choices, required=False)
    actions = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Codes d'actions"
    )


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField()
    text = serializers.CharField()
    owner_organisation = serializers.CharField(allow_null=True)
    owner_text = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=DecisionStatus.choices)
    actions = serializers.ListField(child=serializers.CharField())


class _WriteView(APIView):
    """Session or partner token (`Authorization: Bearer`, the rights of a member of the token's organisation)."""

    error_statuses = (404,)  # no strategy loaded, or no such action

    def check_steer(self, request):
        if not request.user.is_authenticated:
            from rest_framework.exceptions import NotAuthenticated

            raise NotAuthenticated()
        if not perms.can_steer_strategy(request.user):
            raise PermissionDenied()


@extend_schema(
    tags=["stratégie"],
    summary="Créer une action (pilotes et équipe)",
    description="Champs : "
    + "; ".join(f"`{k}` ({v})" for k, v in ACTION_INPUT.items())
    + ". Réponse 201 : l'action, son `progress` et le nouvel avancement de ses objectifs.",
    request=ActionInputSerializer,
    responses={201: ActionSerializer},
)
class ActionCreateView(_WriteView):
    def post(self, request):
        self.check_steer(request)
        data = _body(request, ACTION_INPUT)
        action = services.create_action(_strategy_or_404(), data, user=request.user)
        return Response(action_payload(action), status=201)


@extend_schema(
    tags=["stratégie"],
    summary="Lire ou modifier une action",
    description=(
        "GET : pilotes, équipe et membres des organisations pilotes de l'action. PATCH : les champs donnés ; les "
        "membres des organisations pilotes de l'action ne modifient que `status`, `progress_override` et "
        "`progress_justification`."
    ),
    request=ActionPatchSerializer,
    responses=ActionSerializer,
)
class ActionDetailView(_WriteView):
    def get_action(self, request, code) -> Action:
        if not request.user.is_authenticated:
            from rest_framework.exceptions import NotAuthenticated

            raise NotAuthenticated()
        action = Action.objects.filter(strategy=_strategy_or_404(), code=code).first()
        if action is None:
            raise NotFound(_("Aucune action n'a le code « %(code)s ».") % {"code": code})
        return action

    def get(self, request, code):
        action = self.get_action(request, code)
        if not perms.can_view_action(request.user, action):
            raise PermissionDenied()
        return Response(action_payload(action))

    def patch(self, request, code):
        action = self.get_action(request, code)
        if not perms.can_update_action(request.user, action):
            raise PermissionDenied()
        data = _body(request, ACTION_INPUT)
        if not perms.can_steer_strategy(request.user):
            forbidden = sorted(set(data) - services.ACTION_PROGRESS_FIELDS)
            if forbidden:
                raise PermissionDenied(
                    _("Les organisations pilotes d'une action ne modifient que son statut et son avancement.")
                )
        action = services.update_action(action, data, user=request.user)
        return Response(action_payload(action))


def _meeting_payload(meeting) -> dict:
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "date": meeting.date.isoformat(),
        "organisations_present": sorted(o.slug for o in meeting.organisations_present.all()),
        "agenda": meeting.agenda,
        "minutes": meeting.minutes,
    }


@extend_schema(
    tags=["stratégie"],
    summary="Enregistrer une réunion de comité (pilotes et équipe)",
    description="Champs : `kind` (copil | cotech), `date` (AAAA-MM-JJ), `organisations_present` (slugs), `agenda`, "
    "`minutes`. Le compte rendu en PDF se dépose depuis la page du comité.",
    request=MeetingInputSerializer,
    responses={201: MeetingSerializer},
)
class CommitteeCreateView(_WriteView):
    def post(self, request):
        self.check_steer(request)
        meeting = services.create_meeting(
            _strategy_or_404(), _body(request, MEETING_INPUT), user=request.user
        )
        return Response(_meeting_payload(meeting), status=201)


@extend_schema(
    tags=["stratégie"],
    summary="Enregistrer une décision de comité (pilotes et équipe)",
    description="Champs : `meeting` (id de la réunion), `text`, `owner_organisation` (slug), `owner_text`, "
    "`due_date` (AAAA-MM-JJ), `status` (open | done | dropped), `actions` (codes).",
    request=DecisionInputSerializer,
    responses={201: DecisionSerializer},
)
class DecisionCreateView(_WriteView):
    def post(self, request):
        self.check_steer(request)
        data = _body(request, DECISION_INPUT)
        decision = services.create_decision(_strategy_or_404(), data, user=request.user)
        return Response(
            {
                "id": decision.pk,
                "meeting": decision.meeting_id,
                "text": decision.text,
                "owner_organisation": decision.owner_organisation.slug
                if decision.owner_organisation
                else None,
                "owner_text": decision.owner_text,
                "due_date": decision.due_date.isoformat() if decision.due_date else None,
                "status": decision.status,
                "actions": sorted(a.code for a in decision.actions.all()),
            },
            status=201,
        )


urlpatterns = [
    re_path(r"^strategy/actions/?$", ActionCreateView.as_view(), name="api-strategy-actions"),
    re_path(r"^strategy/actions/(?P<code>[^/]+)/?$", ActionDetailView.as_view(), name="api-strategy-action"),
    re_path(r"^strategy/committees/?$", CommitteeCreateView.as_view(), name="api-strategy-committees"),
    re_path(r"^strategy/decisions/?$", DecisionCreateView.as_view(), name="api-strategy-decisions"),
    re_path(r"^strategy/?$", StrategyView.as_view(), name="api-strategy"),
    re_path(r"^strategy/objectives/?$", ObjectiveListView.as_view(), name="api-strategy-objectives"),
    re_path(r"^strategy/indicators/?$", IndicatorListView.as_view(), name="api-strategy-indicators"),
    re_path(
        r"^strategy/indicators/(?P<pk>[^/]+)/measurements/?$",
        MeasurementListView.as_view(),
        name="api-strategy-measurements",
    ),
]
