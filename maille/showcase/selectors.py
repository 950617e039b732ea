"""Reading the showcase: stories, events and their places, tiers-lieux and trainings, partnerships, and the EPCI
space (what the directory, funding, projects and strategy apps say about one EPCI, through their selectors).

Territories follow the commune of the row (a story's, an event's, a tiers-lieu's; a participant's tiers-lieu).
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from maille.core.text import normalize
from maille.territories import selectors as territory_selectors
from maille.territories.enums import ZoneLevel
from maille.territories.models import Commune, Epci

from .enums import PartnershipStatus, RegistrationStatus, StoryStatus
from .models import Event, Participant, Partnership, Registration, Story, TiersLieu, Training, TrainingSession

UPCOMING_SHOWN = 5


def _area_q(level: str | None, code: str | None, prefix: str = "commune__") -> Q:
    return territory_selectors.commune_in_zone_q(level, code, prefix) if level else Q()


# --- stories ---------------------------------------------------------------------------------------------------


def published_stories(
    sector: str = "", family: str = "", level: str = "", code: str = "", q: str = ""
) -> QuerySet[Story]:
    qs = Story.objects.filter(status=StoryStatus.PUBLISHED).select_related("commune", "commune__epci")
    if sector:
        qs = qs.filter(sector=sector)
    if family:
        qs = qs.filter(family=family)
    if level:
        qs = qs.filter(_area_q(level, code))
    for word in normalize(q).split() if q else []:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(text__icontains=word))
    return qs.order_by("-published_at", "-pk")


def published_story(slug: str) -> Story | None:
    return published_stories().filter(slug=slug).first()


def stories_of_project(project) -> list[Story]:
    return list(Story.objects.filter(project=project).order_by("-created_at"))


# --- events ----------------------------------------------------------------------------------------------------


def events(level: str = "", code: str = "", start: datetime.datetime | None = None) -> QuerySet[Event]:
    """Published events (optionally in a territory, optionally ending from `start`), soonest first, with their
    `confirmed` and `waiting` counts."""
    qs = Event.objects.filter(is_published=True)
    if level:
        qs = qs.filter(_area_q(level, code))
    if start is not None:
        qs = qs.filter(ends_at__gte=start)
    return (
        qs.select_related("organiser", "commune")
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)),
        )
        .annotate(remaining=F("capacity") - F("confirmed"))
        .order_by("starts_at", "pk")
    )


def upcoming_events(level: str = "", code: str = "") -> QuerySet[Event]:
    return events(level, code, start=timezone.now())


def event_detail(slug: str) -> Event | None:
    return events().filter(slug=slug).first()


def places_left(event: Event) -> int | None:
    """None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.confirmed)


def registrations_of(event: Event) -> list[Registration]:
    return list(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by("status", "created_at")
    )


# --- tiers-lieux and trainings ---------------------------------------------------------------------------------


def tiers_lieux(
    commune: Commune | None = None, level: str = "", code: str = "", q: str = ""
) -> QuerySet[TiersLieu]:
    qs = TiersLieu.objects.select_related("commune", "commune__departement")
    if commune is not None:
        qs = qs.filter(commune=commune)
    if level:
        qs = qs.filter(_area_q(level, code))
    for word in normalize(q).split() if q else []:
        qs = qs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return qs.order_by("name", "pk")


def tiers_lieu_detail(slug: str) -> TiersLieu | None:
    return tiers_lieux().filter(slug=slug).first()


def _centre(geometry: dict | None) -> tuple[float, float] | None:
    """The middle of a GeoJSON geometry's bounding box, as (latitude, longitude)."""
    if not geometry:
        return None
    xs, ys = [], []

    def walk(node):
        if node and isinstance(node[0], int | float):
            xs.append(node[0])
            ys.append(node[1])
        else:
            for child in node:
                walk(child)

    walk(geometry.get("coordinates") or [])
    if not xs:
        return None
    return ((min(ys) + max(ys)) / 2, (min(xs) + max(xs)) / 2)


def map_points(places) -> list[dict]:
    """Map markers for tiers-lieux: their own coordinates, else the middle of their commune (one query)."""
    places = list(places)
    missing = {p.commune_id for p in places if p.latitude is None or p.longitude is None}
    centres = {}
    if missing:
        from maille.territories.models import Contour

        for code, geometry in Contour.objects.filter(level=ZoneLevel.COMMUNE, code__in=missing).values_list(
            "code", "geometry"
        ):
            centres[code] = _centre(geometry)
    points = []
    for place in places:
        position = (
            (place.latitude, place.longitude)
            if place.latitude is not None and place.longitude is not None
            else centres.get(place.commune_id)
        )
        if position:
            points.append(
                {
                    "lat": round(position[0], 5),
                    "lon": round(position[1], 5),
                    "nom": place.name,
                    "slug": place.slug,
                }
            )
    return points


def trainings() -> QuerySet[Training]:
    participants = Participant.objects.select_related("tiers_lieu").order_by("tiers_lieu__name", "name")
    return Training.objects.select_related("organiser").prefetch_related(
        Prefetch("sessions", queryset=TrainingSession.objects.select_related("commune")),
        Prefetch("sessions__participants", queryset=participants),
    )


def people_trained(
    start: datetime.date, end: datetime.date, level: str | None = None, code: str | None = None
):
    """One row per person trained (name and tiers-lieu, counted once) in a session that started in the period:
    (département, EPCI, is_demo) of their tiers-lieu."""
    rows = (
        Participant.objects.filter(completed=True, session__starts_on__gte=start, session__starts_on__lte=end)
        .filter(_area_q(level, code, "tiers_lieu__commune__"))
        .values_list(
            "name",
            "tiers_lieu_id",
            "tiers_lieu__commune__departement_id",
            "tiers_lieu__commune__epci_id",
            "tiers_lieu__is_demo",
            "session__training__is_demo",
        )
    )
    people = {}
    for name, tiers_lieu, departement, epci, demo, training_demo in rows:
        people.setdefault((normalize(name), tiers_lieu), (departement, epci, bool(demo or training_demo)))
    return list(people.values())


# --- partnerships and the EPCI space ---------------------------------------------------------------------------


def region_epcis(region_code: str | None = None) -> QuerySet[Epci]:
    """The EPCI with at least one commune in the served region, by name, with their partnership."""
    region_code = region_code or settings.MAILLE_REGION_CODE
    return (
        Epci.objects.filter(code__in=Commune.objects.filter(region_id=region_code).values("epci_id"))
        .select_related("partnership")
        .order_by("name")
    )


def partnership_of(epci: Epci) -> Partnership | None:
    return Partnership.objects.filter(epci=epci).prefetch_related("actions").first()


def partnership_status(partnership: Partnership | None) -> str:
    return partnership.status if partnership is not None else PartnershipStatus.NONE


def _epci_zones(epci: Epci) -> Q:
    """Zones (level + code) covering all or part of the EPCI: France, its régions, départements, itself, its communes."""
    rows = list(Commune.objects.filter(epci=epci).values_list("code", "departement_id", "region_id"))
    communes = {r[0] for r in rows}
    departements = {r[1] for r in rows}
    regions = {r[2] for r in rows}
    return (
        Q(zones__zone_level=ZoneLevel.FRANCE)
        | Q(zones__zone_level=ZoneLevel.REGION, zones__zone_code__in=regions)
        | Q(zones__zone_level=ZoneLevel.DEPARTEMENT, zones__zone_code__in=departements)
        | Q(zones__zone_level=ZoneLevel.EPCI, zones__zone_code=epci.code)
        | Q(zones__zone_level=ZoneLevel.COMMUNE, zones__zone_code__in=communes)
    )


def offers_covering(epci: Epci):
    from maille.directory import selectors as directory_selectors

    return directory_selectors.search_offers().filter(_epci_zones(epci)).distinct()


def funding_covering(epci: Epci):
    from maille.funding import selectors as funding_selectors

    return (
        funding_selectors.search_schemes(is_open=True, today=timezone.localdate())
        .filter(_epci_zones(epci))
        .distinct()
    )


def projects_in(epci: Epci):
    """Every project whose commune is in the EPCI (counted for everyone; listed only as `projects.perms` allows)."""
    from maille.projects.models import Project

    return Project.objects.filter(commune__epci=epci)


def visible_projects_in(epci: Epci, user, limit: int = 20) -> list:
    from maille.projects import selectors as project_selectors

    return list(
        project_selectors.projects_visible_to(user)
        .filter(commune__epci=epci)
        .select_related("commune")
        .order_by("-created_at", "-pk")[:limit]
    )


def strategy_actions():
    """The current strategy's actions, to tie to a partnership (through the strategy's selectors)."""
    from maille.strategy import selectors as strategy_selectors

    strategy = strategy_selectors.current_strategy()
    if strategy is None:
        return []
    return list(strategy.actions.order_by("code"))


def observatory_installed() -> bool:
    return apps.is_installed("maille.observatory")


def observatory_summary(epci: Epci) -> dict | None:
    """The observatory's figures for the EPCI (None before that app is installed, or before any import)."""
    if not observatory_installed():
        return None
    from maille.observatory.selectors import territory_summary

    return territory_summary(ZoneLevel.EPCI, epci.code)


@dataclass
class EpciSpace:
    epci: Epci
    communes_count: int
    departements: list
    partnership: Partnership | None
    offers_count: int
    offers: list
    funding_count: int
    funding: list
    projects_count: int
    projects_by_stage: list
    projects: list
    events: list
    events_upcoming: int
    tiers_lieux: list
    stories: list
    observatory: dict | None = None
    extra: dict = field(default_factory=dict)

    @property
    def partnership_status(self) -> str:
        return partnership_status(self.partnership)


def epci_space(epci: Epci, user=None, shown: int = 10) -> EpciSpace:
    from django.contrib.auth.models import AnonymousUser

    user = user or AnonymousUser()
    offers = offers_covering(epci)
    funding = funding_covering(epci)
    projects = projects_in(epci)
    upcoming = upcoming_events(ZoneLevel.EPCI, epci.code)
    from maille.core.enums import Stage

    by_stage = [
        {"stage": row["stage"], "label": Stage(row["stage"]).label, "count": row["count"]}
        for row in projects.values("stage").annotate(count=Count("pk")).order_by("stage")
        if row["stage"] in Stage.values
    ]
    return EpciSpace(
        epci=epci,
        communes_count=Commune.objects.filter(epci=epci).count(),
        departements=list(territory_selectors.departements_of_epci(epci)),
        partnership=partnership_of(epci),
        offers_count=offers.count(),
        offers=list(offers.order_by("name", "pk")[:shown]),
        funding_count=funding.count(),
        funding=list(funding.order_by("name", "pk")[:shown]),
        projects_count=projects.count(),
        projects_by_stage=by_stage,
        projects=visible_projects_in(epci, user),
        events=list(upcoming[:UPCOMING_SHOWN]),
        events_upcoming=upcoming.count(),
        tiers_lieux=list(tiers_lieux(level=ZoneLevel.EPCI, code=epci.code)),
        stories=list(published_stories(level=ZoneLevel.EPCI, code=epci.code)[:shown]),
        observatory=observatory_summary(epci),
    )


def epci_overview(epci: Epci) -> dict:
    """The figures of `GET /api/v1/epci/{siren}/overview`."""
    summary = observatory_summary(epci) or {}
    partnership = partnership_of(epci)
    return {
        "code": epci.code,
        "nom": epci.name,
        "population": epci.population,
        "establishments": summary.get("establishments"),
        "employees_estimate": (
            round(summary["employees_estimate"]) if summary.get("employees_estimate") is not None else None
        ),
        "offers_count": offers_covering(epci).count(),
        "projects_count": projects_in(epci).count(),
        "events_upcoming": upcoming_events(ZoneLevel.EPCI, epci.code).count(),
        "tiers_lieux_count": tiers_lieux(level=ZoneLevel.EPCI, code=epci.code).count(),
        "partnership": {
            "status": partnership_status(partnership),
            "signed_on": partnership.signed_on.isoformat() if partnership and partnership.signed_on else None,
            "actions": [a.code for a in partnership.actions.all()] if partnership else [],
        },
    }


# --- indicators' rows ------------------------------------------------------------------------------------------

Row = tuple[str | None, str | None, bool]


def stories_published_rows(start, end, level=None, code=None) -> list[Row]:
    return list(
        Story.objects.filter(
            status=StoryStatus.PUBLISHED, published_at__date__gte=start, published_at__date__lte=end
        )
        .filter(_area_q(level, code))
        .values_list("commune__departement_id", "commune__epci_id", "is_demo")
    )


def _held(start, end, level, code):
    now = timezone.now()
    return Event.objects.filter(
        is_published=True, starts_at__date__gte=start, starts_at__date__lte=end, starts_at__lte=now
    ).filter(_area_q(level, code))


def events_held_rows(start, end, level=None, code=None) -> list[Row]:
    return list(
        _held(start, end, level, code).values_list("commune__departement_id", "commune__epci_id", "is_demo")
    )


def event_participants_rows(start, end, level=None, code=None) -> list[Row]:
    """One row per person present (attendance recorded) at an event held in the period."""
    return list(
        Registration.objects.filter(
            event__in=_held(start, end, level, code), status=RegistrationStatus.CONFIRMED, attended=True
        ).values_list("event__commune__departement_id", "event__commune__epci_id", "event__is_demo")
    )


def _main_departements(epci_codes) -> dict[str, str]:
    """The département holding most of each EPCI's communes."""
    counts: dict[str, dict[str, int]] = {}
    for epci, departement in Commune.objects.filter(epci_id__in=epci_codes).values_list(
        "epci_id", "departement_id"
    ):
        counts.setdefault(epci, {}).setdefault(departement, 0)
        counts[epci][departement] += 1
    return {epci: max(by_dep, key=lambda d: (by_dep[d], d)) for epci, by_dep in counts.items()}


def partnerships_signed_rows(start, end, level=None, code=None) -> list[Row]:
    """One row per EPCI whose partnership is signed, signed on or before the end of the period."""
    qs = Partnership.objects.filter(status=PartnershipStatus.SIGNED, signed_on__lte=end)
    if level == ZoneLevel.EPCI:
        qs = qs.filter(epci_id=code)
    elif level:
        qs = qs.filter(epci__communes__in=Commune.objects.filter(_area_q(level, code, ""))).distinct()
    rows = list(qs.values_list("epci_id", "is_demo"))
    departements = _main_departements([epci for epci, _demo in rows])
    return [(departements.get(epci), epci, demo) for epci, demo in rows]
