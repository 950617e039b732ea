"""Reading the geography: commune search, coverage through the hierarchy, area filters, region summaries."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from maille.core.text import normalize

from .enums import AREA_LEVELS, NARROWNESS, ZoneLevel
from .models import Commune, CommuneAlias, Contour, Departement, Epci, PostalCode, Region


def communes() -> QuerySet[Commune]:
    """Communes with what every listing shows (constant number of queries for any page)."""
    return Commune.objects.select_related("departement", "region", "epci").prefetch_related("postal_codes")


def get_commune(code: str) -> Commune | None:
    return communes().filter(code=code).first()


def resolve_commune(code: str) -> Commune | None:
    """The current commune for a code, following delegated/associated communes and municipal arrondissements."""
    commune = get_commune(code)
    if commune is None:
        alias = CommuneAlias.objects.filter(code=code).first()
        if alias is not None:
            commune = get_commune(alias.commune_id)
    return commune


def search_communes(q: str = "", postal_code: str = "") -> QuerySet[Commune]:
    """Communes whose name (or a word of it) starts with `q`, accents and case ignored; or with a postal code.

    Names that start with the query come first, then the most populated.
    """
    qs = communes()
    if postal_code:
        qs = qs.filter(code__in=PostalCode.objects.filter(code=postal_code).values("commune_id"))
    term = normalize(q)
    if term:
        if term.isascii() and term.isdigit():
            with_prefix = PostalCode.objects.filter(code__startswith=term).values("commune_id")
            qs = qs.filter(Q(code__in=with_prefix) | Q(code__startswith=term))
        else:
            qs = qs.filter(Q(search_name__startswith=term) | Q(search_name__contains=f" {term}"))
            starts = Case(
                When(search_name__startswith=term, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
            return qs.annotate(_starts=starts).order_by("_starts", "-population", "name", "code")
    return qs.order_by("-population", "name", "code")


def covering_zones_q(commune: Commune, level_field: str = "zone_level", code_field: str = "zone_code") -> Q:
    """A filter on any model with zones: the zones that cover `commune` (itself, its EPCI, département, région, France)."""

    def zone(level, code):
        return Q(**{level_field: level, code_field: code})

    q = Q(**{level_field: ZoneLevel.FRANCE}) | zone(ZoneLevel.REGION, commune.region_id)
    q |= zone(ZoneLevel.DEPARTEMENT, commune.departement_id) | zone(ZoneLevel.COMMUNE, commune.code)
    if commune.epci_id:
        q |= zone(ZoneLevel.EPCI, commune.epci_id)
    return q


def narrowness(level_field: str = "zone_level") -> Case:
    """An expression ranking zones narrowest first (commune 0 … France 4), for `order_by`."""
    return Case(
        *[When(**{level_field: level}, then=Value(rank)) for level, rank in NARROWNESS.items()],
        default=Value(len(NARROWNESS)),
        output_field=IntegerField(),
    )


def commune_in_zone_q(level: str, code: str, prefix: str = "") -> Q:
    """A filter on communes (or on a relation to a commune, with `prefix`) that lie in a zone."""
    fields = {
        ZoneLevel.COMMUNE: "code",
        ZoneLevel.EPCI: "epci_id",
        ZoneLevel.DEPARTEMENT: "departement_id",
        ZoneLevel.REGION: "region_id",
    }
    if level == ZoneLevel.FRANCE:
        return Q()
    return Q(**{f"{prefix}{fields[level]}": code})


def zone_covers(level: str, code: str, commune_code: str) -> bool:
    """Whether the zone (level + code) covers the commune: one query."""
    return Commune.objects.filter(Q(code=commune_code) & commune_in_zone_q(level, code)).exists()


_MODELS = {
    ZoneLevel.REGION: Region,
    ZoneLevel.DEPARTEMENT: Departement,
    ZoneLevel.EPCI: Epci,
    ZoneLevel.COMMUNE: Commune,
}


def zone_errors(level: str, code: str, levels=AREA_LEVELS, prefix: str = "") -> dict[str, str]:
    """French messages for a level + code that do not name a real zone (empty when they do)."""
    if level == ZoneLevel.FRANCE and ZoneLevel.FRANCE in levels:
        return {} if not code else {f"{prefix}code": _("La France entière n'a pas de code.")}
    if level not in levels:
        return {
            f"{prefix}level": _("Niveau inconnu : choisissez parmi %(levels)s.")
            % {"levels": ", ".join(levels)}
        }
    if not code:
        return {f"{prefix}code": _("Indiquez le code du territoire.")}
    if not _MODELS[level].objects.filter(pk=code).exists():
        return {
            f"{prefix}code": _("Aucun territoire de niveau « %(level)s » n'a le code « %(code)s ».")
            % {"level": level, "code": code}
        }
    return {}


def validate_area(level: str, code: str) -> tuple[str, str]:
    """Check an area filter (`level` + `code`); raise a ValidationError with French messages per field."""
    errors = zone_errors(level, code)
    if errors:
        raise ValidationError(errors)
    return level, code


def zone_labels(zones) -> dict[tuple[str, str], str]:
    """Names of many zones at once, in one query (a union over the levels): {(level, code): "Mayenne"}."""
    labels: dict[tuple[str, str], str] = {}
    by_level: dict[str, set[str]] = {}
    for level, code in zones:
        if level == ZoneLevel.FRANCE:
            labels[(level, code)] = _("France entière")
        elif level in _MODELS:
            by_level.setdefault(level, set()).add(code)
    queries = [
        _MODELS[level].objects.filter(pk__in=codes).values_list(Value(level), "pk", "name").order_by()
        for level, codes in by_level.items()
    ]
    if queries:
        for level, code, name in queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]:
            labels[(level, code)] = name
    return labels


def region_summary(code: str) -> dict | None:
    region = Region.objects.filter(code=code).first()
    if region is None:
        return None
    return {
        "region": region,
        "departements": list(region.departements.order_by("code")),
        "epci_count": Epci.objects.filter(communes__region=region).distinct().count(),
        "communes_count": region.communes.count(),
    }


def served_region() -> Region | None:
    return Region.objects.filter(code=settings.MAILLE_REGION_CODE).first()


def epci_with_communes(code: str) -> Epci | None:
    return Epci.objects.filter(code=code).prefetch_related("communes").first()


def epci_communes(epci: Epci) -> QuerySet[Commune]:
    return communes().filter(epci=epci).order_by("search_name", "code")


def departements_of_epci(epci: Epci) -> QuerySet[Departement]:
    return Departement.objects.filter(communes__epci=epci).distinct().order_by("code")


def contour(level: str, code: str) -> dict | None:
    found = Contour.objects.filter(level=level, code=code).values_list("geometry", flat=True).first()
    return found


def contours_of_communes(filters: Q, exclude: str = "") -> list[dict]:
    """GeoJSON features of the communes matching `filters` that have a contour (for map context)."""
    names = dict(Commune.objects.filter(filters).exclude(code=exclude).values_list("code", "name"))
    return _features(ZoneLevel.COMMUNE, names)


def _features(level: str, names: dict[str, str]) -> list[dict]:
    rows = Contour.objects.filter(level=level, code__in=names).values_list("code", "geometry")
    return [
        {"type": "Feature", "properties": {"code": code, "nom": names[code]}, "geometry": geometry}
        for code, geometry in rows
    ]


def resolve_commune_input(text: str, limit: int = 10) -> tuple[Commune | None, list[Commune]]:
    """What a person typed in a commune field (name, INSEE code or postal code) → the commune, or candidates to pick.

    A postal code shared by several communes, or a name that several communes carry, gives candidates.
    """
    text = text.strip()
    if not text:
        return None, []
    if (text.isascii() and text.isdigit()) and len(text) == 5:
        commune = resolve_commune(text)
        if commune is not None:
            return commune, []
        candidates = list(search_communes(postal_code=text)[:limit])
    else:
        term = normalize(text)
        exact = list(communes().filter(search_name=term)[:limit])
        candidates = exact or list(search_communes(q=text)[:limit])
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates


def epci_contours(region_code: str) -> list[dict]:
    """The EPCI with at least one member commune in the region (their in-region part, as built in data/contours)."""
    names = dict(Epci.objects.filter(communes__region_id=region_code).distinct().values_list("code", "name"))
    return _features(ZoneLevel.EPCI, names)


def departement_contours(region_code: str) -> list[dict]:
    names = dict(Departement.objects.filter(region_id=region_code).values_list("code", "name"))
    return _features(ZoneLevel.DEPARTEMENT, names)


def departements_by_region(region_codes) -> dict[str, list[str]]:
    """{région code: [its département codes, sorted]} in one query."""
    mapping: dict[str, list[str]] = {}
    rows = (
        Departement.objects.filter(region_id__in=set(region_codes))
        .order_by("code")
        .values_list("region_id", "code")
    )
    for region, departement in rows:
        mapping.setdefault(region, []).append(departement)
    return mapping


def covering_zone_sql(commune: Commune, alias: str = "") -> tuple[str, list]:
    """The same condition as `covering_zones_q`, as raw SQL on a zone table's `zone_level` / `zone_code` columns.

    For the hot paths that start from the zones (a materialised CTE, a correlated subquery): see
    `directory.selectors.covering` and `orientation.selectors`.
    """
    prefix = f"{alias}." if alias else ""
    levels = [(ZoneLevel.REGION, commune.region_id), (ZoneLevel.DEPARTEMENT, commune.departement_id)]
    levels.append((ZoneLevel.COMMUNE, commune.code))
    if commune.epci_id:
        levels.append((ZoneLevel.EPCI, commune.epci_id))
    conditions, params = [f"{prefix}zone_level = %s"], [ZoneLevel.FRANCE.value]
    for level, code in levels:
        conditions.append(f"({prefix}zone_level = %s AND {prefix}zone_code = %s)")
        params += [level.value, code]
    return "(" + " OR ".join(conditions) + ")", params


def narrowness_sql(alias: str = "") -> str:
    """`narrowness()` as raw SQL: commune 0 … France 4."""
    prefix = f"{alias}." if alias else ""
    cases = " ".join(f"WHEN '{level}' THEN {rank}" for level, rank in NARROWNESS.items())
    return f"CASE {prefix}zone_level {cases} ELSE {len(NARROWNESS)} END"


def epci_facts(codes) -> list[Epci]:
    """These EPCI with their population and `communes_count`, in one query."""
    from django.db.models import Count

    return list(
        Epci.objects.filter(code__in=codes).annotate(communes_count=Count("communes")).order_by("name")
    )
