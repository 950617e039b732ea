"""Public read API of the showcase: stories, events (JSON and iCalendar), tiers-lieux, and the overview of an EPCI.

`level` + `code` filter by territory (région, département, EPCI, commune: the row's commune lies in it); bad values
get a 400 with French messages per parameter, as everywhere in the API.
"""

import datetime

from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from maille.api.params import QueryParams
from maille.api.views import PublicMixin
from maille.territories.enums import AREA_LEVELS
from maille.territories.models import Epci
from maille.territories.selectors import zone_errors

from . import perms, selectors
from .enums import Family, Sector
from .services import event_url

LEVEL_PARAMETERS = [
    OpenApiParameter("level", str, enum=list(AREA_LEVELS), description="Niveau du territoire"),
    OpenApiParameter("code", str, description="Code du territoire (avec level)"),
]


def area(params: QueryParams) -> tuple[str, str]:
    """The `level` + `code` of a request, checked (errors collected in `params`)."""
    level, code = params.text("level"), params.text("code")
    if level or code:
        errors = zone_errors(level, code)
        for name, message in errors.items():
            params.errors[name] = [message]
        if errors:
            return "", ""
    return level, code


def calendar_params(query) -> tuple[str, str]:
    params = QueryParams(query)
    level, code = area(params)
    if params.errors:
        from django.core.exceptions import BadRequest

        raise BadRequest(" ".join(message for messages in params.errors.values() for message in messages))
    return level, code


class PlaceCommuneSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField(source="name")
    departement = serializers.CharField(source="departement_id")
    epci = serializers.CharField(source="epci_id", allow_null=True)


class StorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    text = serializers.CharField()
    quote = serializers.CharField()
    quote_author = serializers.CharField()
    photo_url = serializers.SerializerMethodField()
    photo_alt = serializers.CharField()
    sector = serializers.CharField()
    family = serializers.CharField()
    commune = PlaceCommuneSerializer(allow_null=True)
    published_at = serializers.DateTimeField()
    is_demo = serializers.BooleanField()

    def get_photo_url(self, story) -> str | None:
        from django.urls import reverse

        return reverse("showcase:story_photo", args=[story.pk]) if story.photo else None


class OrganiserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField()
    organiser = OrganiserSerializer()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    commune = PlaceCommuneSerializer(allow_null=True)
    address = serializers.CharField()
    online_url = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    places_left = serializers.SerializerMethodField()
    waiting = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    is_demo = serializers.BooleanField()

    def get_places_left(self, event) -> int | None:
        return selectors.places_left(event)

    def get_url(self, event) -> str:
        return event_url(event)


class TiersLieuSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    commune = PlaceCommuneSerializer()
    address = serializers.CharField()
    description = serializers.CharField()
    activities = serializers.ListField(child=serializers.CharField())
    governance = serializers.CharField()
    ess_status = serializers.BooleanField()
    network = serializers.CharField()
    contact_email = serializers.CharField()
    website = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    source_url = serializers.CharField()
    is_demo = serializers.BooleanField()


@extend_schema(
    tags=["vitrine"],
    summary="Réussites publiées",
    parameters=[
        OpenApiParameter("sector", str, enum=Sector.values, description="Secteur"),
        OpenApiParameter("family", str, enum=Family.values, description="Famille de l'ESS"),
        *LEVEL_PARAMETERS,
        OpenApiParameter("q", str, description="Mots-clés"),
    ],
)
class StoryListView(PublicMixin, ListAPIView):
    serializer_class = StorySerializer

    def get_queryset(self):
        params = QueryParams(self.request.query_params)
        sector, family = params.choice("sector", Sector), params.choice("family", Family)
        q = params.text("q")
        level, code = area(params)
        params.check()
        return selectors.published_stories(sector=sector, family=family, level=level, code=code, q=q)


def _date(params: QueryParams, name: str) -> datetime.date | None:
    raw = params._raw(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        params.errors[name] = [
            _("Date invalide « %(value)s » : écrivez-la AAAA-MM-JJ.") % {"value": raw[:20]}
        ]
        return None


@extend_schema(
    tags=["vitrine"],
    summary="Temps collectifs (événements), les plus proches d'abord",
    parameters=[
        *LEVEL_PARAMETERS,
        OpenApiParameter(
            "from",
            OpenApiTypes.DATE,
            description="Événements qui se terminent ce jour ou après (AAAA-MM-JJ) ; sans ce paramètre : tous",
        ),
    ],
)
class EventListView(PublicMixin, ListAPIView):
    serializer_class = EventSerializer

    def get_queryset(self):
        from django.utils import timezone

        params = QueryParams(self.request.query_params)
        level, code = area(params)
        start = _date(params, "from")
        params.check()
        start_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)) if start else None
        return selectors.events(level, code, start=start_at)


@extend_schema(
    tags=["vitrine"],
    summary="Calendrier iCalendar (RFC 5545) des temps collectifs, de tout le territoire ou d'un territoire",
    parameters=LEVEL_PARAMETERS,
    responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="Fichier .ics")},
)
class EventCalendarView(PublicMixin, APIView):
    def get(self, request):
        from .views import ics_response

        params = QueryParams(request.query_params)
        level, code = area(params)
        params.check()
        return ics_response(level, code)


@extend_schema(
    tags=["vitrine"],
    summary="Annuaire des tiers-lieux",
    parameters=[
        OpenApiParameter("commune", str, description="Code INSEE de la commune"),
        *LEVEL_PARAMETERS,
        OpenApiParameter("q", str, description="Mots-clés"),
    ],
)
class TiersLieuListView(PublicMixin, ListAPIView):
    serializer_class = TiersLieuSerializer

    def get_queryset(self):
        params = QueryParams(self.request.query_params)
        commune = params.commune("commune")
        level, code = area(params)
        q = params.text("q")
        params.check()
        return selectors.tiers_lieux(commune=commune, level=level, code=code, q=q)


OVERVIEW = inline_serializer(
    "EpciOverview",
    {
        "code": serializers.CharField(),
        "nom": serializers.CharField(),
        "population": serializers.IntegerField(allow_null=True),
        "establishments": serializers.IntegerField(allow_null=True),
        "employees_estimate": serializers.IntegerField(allow_null=True),
        "offers_count": serializers.IntegerField(),
        "projects_count": serializers.IntegerField(),
        "events_upcoming": serializers.IntegerField(),
        "tiers_lieux_count": serializers.IntegerField(),
        "partnership": inline_serializer(
            "EpciPartnership",
            {
                "status": serializers.ChoiceField(choices=["none", "discussion", "signed"]),
                "signed_on": serializers.DateField(allow_null=True),
                "actions": serializers.ListField(child=serializers.CharField()),
            },
        ),
    },
)


@extend_schema(
    tags=["vitrine"],
    summary="L'ESS d'un EPCI en chiffres : offres, projets, événements, tiers-lieux, partenariat",
    description="`establishments` et `employees_estimate` restent nuls tant que l'observatoire n'est pas installé.",
    responses=OVERVIEW,
)
class EpciOverviewView(PublicMixin, APIView):
    def get(self, request, siren: str):
        epci = Epci.objects.filter(code=siren).first()
        if epci is None:
            raise NotFound(_("Aucun EPCI n'a le SIREN « %(code)s ».") % {"code": siren[:20]})
        overview = selectors.epci_overview(epci)
        if not perms.can_see_partnership_details(request.user, epci.code):
            overview["partnership"]["actions"] = []  # the strategy's actions are not public
        return Response(overview)


urlpatterns = [
    re_path(r"^stories/?$", StoryListView.as_view(), name="api-stories"),
    re_path(r"^events\.ics$", EventCalendarView.as_view(), name="api-events-ics"),
    re_path(r"^events/?$", EventListView.as_view(), name="api-events"),
    re_path(r"^tiers-lieux/?$", TiersLieuListView.as_view(), name="api-tiers-lieux"),
    re_path(r"^epci/(?P<siren>[^/]+)/overview/?$", EpciOverviewView.as_view(), name="api-epci-overview"),
]
