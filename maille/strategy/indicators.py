"""Computed indicators: a registry of named computations over platform data (projects, referrals, directory…).

Each computation takes a date range (both ends included) and an optional territory (`level` + `code`: région,
département, EPCI or commune) and returns a `Result`:

- `value`: the figure, or ``None`` meaning "no data" (shown as such, never as 0). Counts are 0 when their source
  exists and nothing matches; a median or a share is ``None`` when there is nothing to take it over; a computation
  whose source app is not installed (e.g. the showcase: stories, events, EPCI partnerships, trainings) is
  ``None`` with the note « Source pas encore disponible » — never a made-up number.
- `breakdown`: the same figure by département and by EPCI (`{"departement": {"53": 4}, "epci": {…}}`), each entry
  equal to what the computation gives for that territory alone.
- `includes_demo`: whether demo rows were counted (demo data is counted, and pages label the figure « démo »).

Territories follow the project's commune (projects, referrals, funding plans) or the competence's zone.
`compute_indicator` runs the computation of an `Indicator` whose source is `computed`.
"""

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maille.core.enums import Stage
from maille.territories.enums import ZoneLevel
from maille.territories.selectors import commune_in_zone_q

from .enums import IndicatorSource

Number = int | float

# Levels of a territory filter, and of the breakdown.
FILTER_LEVELS = (ZoneLevel.REGION, ZoneLevel.DEPARTEMENT, ZoneLevel.EPCI, ZoneLevel.COMMUNE)
BREAKDOWN_LEVELS = (ZoneLevel.DEPARTEMENT.value, ZoneLevel.EPCI.value)
# A referral answered within this many days counts as answered "in time" (the strategy's commitment).
ANSWER_DAYS = 9
SHOWCASE_APP = "maille.showcase"


class ComputationError(ValueError):
    """A computation cannot run as asked (unknown name, manual indicator, bad territory or dates)."""


@dataclass(frozen=True)
class Result:
    value: Number | None
    breakdown: dict[str, dict[str, Number | None]] = field(default_factory=dict)
    includes_demo: bool = False
    note: str = ""

    @property
    def has_data(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Computation:
    name: str
    label: str
    objectives: tuple[str, ...]
    unit: str
    function: Callable[[date, date, str | None, str | None], Result]
    description: str = ""

    def __call__(self, start: date, end: date, level: str | None = None, code: str | None = None) -> Result:
        _check_arguments(start, end, level, code)
        return self.function(start, end, level or None, code or None)


COMPUTATIONS: dict[str, Computation] = {}


def register(name: str, label, objectives: Iterable[str], unit, description=""):
    """Add the decorated function to `COMPUTATIONS` under `name`."""

    def decorator(function):
        COMPUTATIONS[name] = Computation(name, label, tuple(objectives), unit, function, description)
        return function

    return decorator


def _lazy_format(message, **params) -> str:
    """`message % params`, translated when displayed (not at import)."""
    return lazy(lambda: str(message) % {key: str(value) for key, value in params.items()}, str)()


def _check_arguments(start: date, end: date, level: str | None, code: str | None) -> None:
    if not isinstance(start, date) or not isinstance(end, date):
        raise ComputationError(_("Indiquez une date de début et une date de fin."))
    if start > end:
        raise ComputationError(_("La date de fin doit suivre la date de début."))
    if level and level not in FILTER_LEVELS:
        raise ComputationError(
            _("Niveau de territoire inconnu « %(level)s » : choisissez parmi %(levels)s.")
            % {"level": level, "levels": ", ".join(FILTER_LEVELS)}
        )
    if level and not code:
        raise ComputationError(_("Indiquez le code du territoire."))
    if code and not level:
        raise ComputationError(_("Indiquez le niveau du territoire de ce code."))


def compute_indicator(
    indicator, start: date, end: date, level: str | None = None, code: str | None = None
) -> Result:
    """The value of a computed `Indicator` over the period (and territory). Raise `ComputationError` otherwise."""
    if indicator.source != IndicatorSource.COMPUTED:
        raise ComputationError(
            _("L'indicateur « %(name)s » est saisi à la main : il n'a pas de calcul.")
            % {"name": indicator.name}
        )
    computation = COMPUTATIONS.get(indicator.computation)
    if computation is None:
        raise ComputationError(
            _(
                "Calcul inconnu « %(computation)s » pour l'indicateur « %(name)s ». Calculs possibles : %(names)s."
            )
            % {"computation": indicator.computation, "name": indicator.name, "names": ", ".join(COMPUTATIONS)}
        )
    return computation(start, end, level, code)


def choices() -> list[tuple[str, str]]:
    """(name, label) of every computation, for a form's select."""
    return [(name, f"{c.label} ({', '.join(c.objectives)})") for name, c in COMPUTATIONS.items()]


# Shared helpers


def _installed(*labels: str) -> bool:
    return all(apps.is_installed(label) for label in labels)


def no_source() -> Result:
    return Result(None, note=_("Source pas encore disponible"))


def _in_period(lookup: str, start: date, end: date) -> Q:
    """Rows whose datetime field `lookup` falls within the period (local dates, both ends included)."""
    return Q(**{f"{lookup}__date__gte": start, f"{lookup}__date__lte": end})


def _territory_q(level: str | None, code: str | None, prefix: str) -> Q:
    """Rows whose commune (reached through `prefix`, e.g. ``project__commune__``) lies in the territory."""
    return commune_in_zone_q(level, code, prefix) if level else Q()


Row = tuple[str | None, str | None, bool]  # (département, EPCI, is_demo) of one counted item


def _count_result(rows: Iterable[Row], note: str = "") -> Result:
    """A count with its breakdown, from one (département, EPCI, is_demo) tuple per counted item."""
    rows = list(rows)
    breakdown: dict[str, dict[str, Number | None]] = {level: {} for level in BREAKDOWN_LEVELS}
    for departement, epci, _demo in rows:
        for level, key in zip(BREAKDOWN_LEVELS, (departement, epci), strict=True):
            if key:
                breakdown[level][key] = breakdown[level].get(key, 0) + 1
    return Result(len(rows), _sorted(breakdown), any(demo for *_, demo in rows), note)


def _grouped_result(
    items: list[tuple[str | None, str | None, bool, float]],
    aggregate: Callable[[list[float]], Number | None],
    note: str = "",
) -> Result:
    """An aggregate (median, share…) of per-item values, overall and by département and EPCI."""
    groups: dict[str, dict[str, list[float]]] = {level: {} for level in BREAKDOWN_LEVELS}
    for departement, epci, _demo, value in items:
        for level, key in zip(BREAKDOWN_LEVELS, (departement, epci), strict=True):
            if key:
                groups[level].setdefault(key, []).append(value)
    breakdown = {
        level: {key: aggregate(values) for key, values in by_key.items()} for level, by_key in groups.items()
    }
    values = [item[3] for item in items]
    return Result(aggregate(values), _sorted(breakdown), any(item[2] for item in items), note)


def _sorted(breakdown: dict[str, dict]) -> dict[str, dict]:
    return {level: dict(sorted(values.items())) for level, values in breakdown.items()}


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _share(values: list[float]) -> float | None:
    """Percentage of truthy values (1.0 / 0.0), or None when there are none."""
    return round(100.0 * sum(values) / len(values), 1) if values else None


def _days(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 86400.0


# Projects (O1, O2, O3, O5)


def _projects(start: date, end: date, level: str | None, code: str | None, **filters):
    from maille.projects.models import Project

    return Project.objects.filter(
        _in_period("created_at", start, end), _territory_q(level, code, "commune__"), **filters
    )


def _project_rows(queryset, prefix: str = "") -> list[Row]:
    return list(
        queryset.values_list(
            f"{prefix}commune__departement_id", f"{prefix}commune__epci_id", f"{prefix}is_demo"
        )
    )


def _oriented(stage: str | None):
    def compute(start, end, level, code):
        if not _installed("maille.projects"):
            return no_source()
        filters = {"stage": stage} if stage else {}
        return _count_result(_project_rows(_projects(start, end, level, code, **filters)))

    return compute


STAGE_OBJECTIVES = {
    Stage.EMERGENCE: ("O1", "O5"),
    Stage.CREATION: ("O1",),
    Stage.DEVELOPPEMENT: ("O2",),
    Stage.CHANGEMENT_ECHELLE: ("O2",),
    Stage.CONSOLIDATION: ("O3",),
}

register(
    "projects_oriented",
    gettext_lazy("Projets orientés (tous stades)"),
    ("O1", "O2", "O3"),
    gettext_lazy("projets"),
    gettext_lazy(
        "Projets enregistrés sur Maille pendant la période (chaque projet y passe par l'orientation)."
    ),
)(_oriented(None))

for _stage, _objectives in STAGE_OBJECTIVES.items():
    register(
        f"projects_oriented_{_stage.value}",
        _lazy_format(gettext_lazy("Projets orientés au stade « %(stage)s »"), stage=_stage.label),
        _objectives,
        gettext_lazy("projets"),
        gettext_lazy("Projets enregistrés sur Maille pendant la période, à ce stade."),
    )(_oriented(_stage.value))


@register(
    "collective_projects",
    gettext_lazy("Projets collectifs orientés"),
    ("O5",),
    gettext_lazy("projets"),
    gettext_lazy("Projets déclarés collectifs, enregistrés pendant la période."),
)
def collective_projects(start, end, level, code) -> Result:
    if not _installed("maille.projects"):
        return no_source()
    return _count_result(_project_rows(_projects(start, end, level, code, collective=True)))


# Referrals (O1, O3, O10)

ACCEPTED_STATUSES = (
    "accepted",
    "closed",
)  # a closed referral was accepted first (referrals.services.TRANSITIONS)


def _referrals(level: str | None, code: str | None):
    from maille.referrals.models import Referral

    return Referral.objects.filter(_territory_q(level, code, "project__commune__"))


@register(
    "referrals_accepted",
    gettext_lazy("Mises en relation acceptées"),
    ("O1", "O10"),
    gettext_lazy("mises en relation"),
    gettext_lazy("Mises en relation acceptées pendant la période (y compris celles clôturées depuis)."),
)
def referrals_accepted(start, end, level, code) -> Result:
    if not _installed("maille.projects", "maille.referrals"):
        return no_source()
    queryset = _referrals(level, code).filter(
        _in_period("answered_at", start, end), status__in=ACCEPTED_STATUSES
    )
    return _count_result(_project_rows(queryset, "project__"))


@register(
    "referral_median_days_to_answer",
    gettext_lazy("Délai médian de réponse à une mise en relation"),
    ("O1", "O10"),
    gettext_lazy("jours"),
    gettext_lazy(
        "Médiane des jours entre l'envoi d'une mise en relation et sa réponse (acceptée ou déclinée), sur les "
        "mises en relation envoyées pendant la période et qui ont reçu une réponse."
    ),
)
def referral_median_days_to_answer(start, end, level, code) -> Result:
    if not _installed("maille.projects", "maille.referrals"):
        return no_source()
    rows = (
        _referrals(level, code)
        .filter(_in_period("created_at", start, end), answered_at__isnull=False)
        .values_list(
            "project__commune__departement_id",
            "project__commune__epci_id",
            "project__is_demo",
            "created_at",
            "answered_at",
        )
    )
    items = [(dep, epci, demo, _days(answered, sent)) for dep, epci, demo, sent, answered in rows]
    return _grouped_result(items, _median)


@register(
    "referrals_answered_in_time",
    _lazy_format(
        gettext_lazy("Part des mises en relation ayant reçu une réponse en %(days)s jours au plus"),
        days=ANSWER_DAYS,
    ),
    ("O1", "O10"),
    "%",
    _lazy_format(
        gettext_lazy(
            "Sur les mises en relation envoyées pendant la période, la part de celles qui ont reçu une réponse "
            "(acceptée ou déclinée) en %(days)s jours au plus. Celles encore en attente depuis moins de "
            "%(days)s jours ne comptent pas : leur issue n'est pas encore connue."
        ),
        days=ANSWER_DAYS,
    ),
)
def referrals_answered_in_time(start, end, level, code) -> Result:
    if not _installed("maille.projects", "maille.referrals"):
        return no_source()
    now = timezone.now()
    rows = (
        _referrals(level, code)
        .filter(_in_period("created_at", start, end))
        .values_list(
            "project__commune__departement_id",
            "project__commune__epci_id",
            "project__is_demo",
            "created_at",
            "answered_at",
        )
    )
    items = []
    for dep, epci, demo, sent, answered in rows:
        if answered is not None:
            items.append((dep, epci, demo, float(_days(answered, sent) <= ANSWER_DAYS)))
        elif _days(now, sent) > ANSWER_DAYS:  # no answer and the delay is over: late
            items.append((dep, epci, demo, 0.0))
    return _grouped_result(items, _share)


@register(
    "consolidations_supported",
    gettext_lazy("Structures en consolidation accompagnées"),
    ("O3",),
    gettext_lazy("projets"),
    gettext_lazy(
        "Projets au stade « consolidation » dont une mise en relation a été acceptée pendant la période (comptés "
        "une fois)."
    ),
)
def consolidations_supported(start, end, level, code) -> Result:
    if not _installed("maille.projects", "maille.referrals"):
        return no_source()
    from maille.projects.models import Project

    accepted = _referrals(None, None).filter(
        _in_period("answered_at", start, end), status__in=ACCEPTED_STATUSES
    )
    queryset = Project.objects.filter(
        _territory_q(level, code, "commune__"),
        stage=Stage.CONSOLIDATION,
        pk__in=accepted.values("project_id"),
    )
    return _count_result(_project_rows(queryset))


# Funding plans (O10)


@register(
    "projects_multi_funded",
    gettext_lazy("Projets financés par au moins deux financeurs"),
    ("O10",),
    gettext_lazy("projets"),
    gettext_lazy(
        "Projets dont le plan de financement a atteint deux financeurs distincts ou plus pendant la période "
        "(lignes envisagées, demandées ou accordées ; les lignes refusées ne comptent pas)."
    ),
)
def projects_multi_funded(start, end, level, code) -> Result:
    if not _installed("maille.projects"):
        return no_source()
    from maille.projects.enums import FundingLineStatus
    from maille.projects.models import FundingLine

    lines = (
        FundingLine.objects.filter(_territory_q(level, code, "project__commune__"), created_at__date__lte=end)
        .exclude(status=FundingLineStatus.REFUSED)
        .order_by("project_id", "created_at")
        .values_list(
            "project_id",
            "funder_id",
            "created_at",
            "project__commune__departement_id",
            "project__commune__epci_id",
            "project__is_demo",
        )
    )
    funders: dict[int, dict[int, datetime]] = {}
    places: dict[int, Row] = {}
    for project_id, funder_id, created_at, dep, epci, demo in lines:
        funders.setdefault(project_id, {}).setdefault(funder_id, created_at)
        places[project_id] = (dep, epci, demo)
    rows = []
    for project_id, first_lines in funders.items():
        dates = sorted(first_lines.values())
        # The day the plan reached two funders: the first line of its second funder.
        if len(dates) >= 2 and start <= timezone.localdate(dates[1]) <= end:
            rows.append(places[project_id])
    return _count_result(rows)


# Directory (O6)


@register(
    "advisor_competences",
    gettext_lazy("Compétences de conseillers et conseillères recensées"),
    ("O6",),
    gettext_lazy("compétences"),
    gettext_lazy(
        "Compétences (besoin + zone) recensées dans l'annuaire, à ce jour : l'annuaire ne date pas leur saisie, "
        "la période n'est donc pas appliquée. Territoire : compétences dont la zone est ce territoire ou se trouve "
        "dedans (une compétence régionale ne compte que dans le total de la région)."
    ),
)
def advisor_competences(start, end, level, code) -> Result:
    if not _installed("maille.directory"):
        return no_source()
    from maille.directory.models import Competence
    from maille.territories.models import Commune

    competences = list(Competence.objects.values_list("zone_level", "zone_code", "organisation__is_demo"))
    places = {}
    for zone_level, zone_code in {(lvl, c) for lvl, c, _demo in competences}:
        if zone_level == ZoneLevel.FRANCE:
            places[(zone_level, zone_code)] = {}
            continue
        rows = Commune.objects.filter(commune_in_zone_q(zone_level, zone_code)).values_list(
            "region_id", "departement_id", "epci_id", "code"
        )
        sets: dict[str, set[str]] = {lvl: set() for lvl in FILTER_LEVELS}
        for region, dep, epci, commune in rows:
            sets[ZoneLevel.REGION].add(region)
            sets[ZoneLevel.DEPARTEMENT].add(dep)
            if epci:
                sets[ZoneLevel.EPCI].add(epci)
            sets[ZoneLevel.COMMUNE].add(commune)
        # A zone lies within a territory when all its communes do: keep only the levels it fits in whole.
        places[(zone_level, zone_code)] = {
            lvl: next(iter(values)) for lvl, values in sets.items() if len(values) == 1
        }
    rows: list[Row] = []
    for zone_level, zone_code, demo in competences:
        within = places[(zone_level, zone_code)]
        if level and within.get(level) != code:
            continue
        rows.append((within.get(ZoneLevel.DEPARTEMENT), within.get(ZoneLevel.EPCI), demo))
    return _count_result(rows, note=_("Nombre à ce jour : la période n'est pas appliquée."))


# Showcase (O9, O12, O13, O14): the showcase app gives the rows (maille/showcase/indicators.py), counted here


def _showcase(name: str):
    def compute(start, end, level, code):
        if not _installed(SHOWCASE_APP):
            return no_source()
        from maille.showcase.indicators import ROWS

        rows, note = ROWS[name](start, end, level, code)
        return _count_result(rows, note)

    return compute


SHOWCASE_COMPUTATIONS = {
    "success_stories_published": (
        gettext_lazy("Réussites publiées"),
        ("O9",),
        gettext_lazy("réussites"),
    ),
    "events_held": (gettext_lazy("Temps collectifs organisés"), ("O12",), gettext_lazy("événements")),
    "event_participants": (
        gettext_lazy("Participants et participantes aux temps collectifs"),
        ("O12",),
        gettext_lazy("personnes"),
    ),
    "epci_partnerships_signed": (
        gettext_lazy("EPCI ayant signé un partenariat"),
        ("O13",),
        gettext_lazy("EPCI"),
    ),
    "tiers_lieux_people_trained": (
        gettext_lazy("Personnes des tiers-lieux formées"),
        ("O14",),
        gettext_lazy("personnes"),
    ),
}

for _name, (_label, _objectives, _unit) in SHOWCASE_COMPUTATIONS.items():
    register(
        _name,
        _label,
        _objectives,
        _unit,
        gettext_lazy("Calculé depuis la vitrine (réussites, temps collectifs, EPCI, tiers-lieux)."),
    )(_showcase(_name))


# Observatory (the register: O1, O2, O3, O8) and platform figures for O4, O7, O8, O11, defined in
# maille/observatory/indicators.py and registered here like every other computation.
from maille.observatory.indicators import COMPUTATIONS as _OBSERVATORY_COMPUTATIONS  # noqa: E402

for _name, (_label, _objectives, _unit, _description, _function) in _OBSERVATORY_COMPUTATIONS.items():
    register(_name, _label, _objectives, _unit, _description)(_function)
