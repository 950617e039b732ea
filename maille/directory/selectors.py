"""Reading the directory: offers covering a commune (narrowest zone first), filters, organisations, competences."""

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from maille.core.fields import has_choice
from maille.core.text import normalize
from maille.territories.enums import NARROWNESS
from maille.territories.models import Commune
from maille.territories.selectors import covering_zone_sql, narrowness_sql, zone_labels

from .enums import PublicationStatus
from .models import Competence, Offer, Organisation


def eligible_legal_form_q(field: str, legal_form: str) -> Q:
    """An empty list of legal forms means every legal form is eligible."""
    return Q(**{field: ""}) | has_choice(field, legal_form)


def keyword_q(queryset: QuerySet, q: str) -> QuerySet:
    """French full-text search on PostgreSQL; every word contained in the normalised text elsewhere."""
    words = normalize(q).split()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return queryset.annotate(_search=SearchVector("search_text", config="french")).filter(
            _search=SearchQuery(" ".join(words), config="french", search_type="plain")
        )
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def covering(queryset: QuerySet, commune: Commune) -> QuerySet:
    """Rows (offers or schemes, with `zones`) covering `commune`, annotated with `coverage_rank` (0 = commune).

    The covering ids come from a materialised CTE over the zone table, so the database starts from the few covering
    zones and reads those rows by primary key (instead of scanning every offer); the rank is a correlated subquery
    evaluated for the matching rows only.
    """
    zones = queryset.model._meta.get_field("zones")
    zone_table = zones.related_model._meta.db_table
    fk = zones.field.column
    table = queryset.model._meta.db_table
    condition, params = covering_zone_sql(commune)
    correlated, correlated_params = covering_zone_sql(commune, "z")
    ids = RawSQL(
        f"WITH covering AS MATERIALIZED (SELECT {fk} FROM {zone_table} WHERE {condition}) SELECT {fk} FROM covering",
        params,
    )
    rank = RawSQL(
        f'(SELECT MIN({narrowness_sql("z")}) FROM {zone_table} z WHERE z.{fk} = "{table}"."id" '
        f"AND {correlated})",
        correlated_params,
    )
    return queryset.filter(pk__in=ids).annotate(coverage_rank=rank)


def matching(
    queryset: QuerySet, stage: str = "", need: str = "", legal_form: str = "", q: str = ""
) -> QuerySet:
    """Published offers or schemes for a stage, a need, a legal form (eligible) and keywords, each optional."""
    qs = queryset.filter(status=PublicationStatus.PUBLISHED)
    if stage:
        qs = qs.filter(has_choice("stages", stage))
    if need:
        qs = qs.filter(has_choice("needs", need))
    if legal_form:
        qs = qs.filter(eligible_legal_form_q("legal_forms", legal_form))
    return keyword_q(qs, q) if q else qs


def ranked(queryset: QuerySet, commune: Commune | None) -> QuerySet:
    """By name; with a commune, only what covers it, narrowest territory first."""
    if commune is None:
        return queryset.order_by("name", "pk")
    return covering(queryset, commune).order_by("coverage_rank", "name", "pk")


def search_offers(
    commune: Commune | None = None, stage: str = "", need: str = "", legal_form: str = "", q: str = ""
) -> QuerySet[Offer]:
    """Published offers matching the filters; with a commune, narrowest territory first."""
    qs = matching(Offer.objects.all(), stage=stage, need=need, legal_form=legal_form, q=q)
    return ranked(qs, commune).select_related("organisation").prefetch_related("zones")


def offer_detail(slug: str) -> Offer | None:
    return (
        Offer.objects.select_related("organisation", "branch")
        .prefetch_related("zones")
        .filter(slug=slug)
        .first()
    )


def with_zone_labels(objects):
    """Give each offer or scheme (with `zones` prefetched) a `zone_labels` list, narrowest first; one query per level."""
    objects = list(objects)
    names = zone_labels({(z.zone_level, z.zone_code) for obj in objects for z in obj.zones.all()})
    for obj in objects:
        zones = sorted(obj.zones.all(), key=lambda z: NARROWNESS.get(z.zone_level, 9))
        obj.zone_labels = [
            {"name": names.get((z.zone_level, z.zone_code), z.zone_code), "level": z.get_zone_level_display()}
            for z in zones
        ]
    return objects


def organisations_with_offers() -> QuerySet[Organisation]:
    """Organisations with their published offers (and zones) and branches, for detail pages and the API."""
    published = Offer.objects.filter(status=PublicationStatus.PUBLISHED).prefetch_related("zones")
    return Organisation.objects.select_related("commune").prefetch_related(
        Prefetch("offers", queryset=published), "branches__zones"
    )


def competences(need: str = "") -> QuerySet[Competence]:
    qs = Competence.objects.select_related("advisor", "organisation")
    return qs.filter(need=need) if need else qs


def competence_counts_by_departement(
    rows: QuerySet[Competence], region_code: str | None = None
) -> dict[str, int]:
    """How many competences reach each département of the region (a regional or national one reaches them all)."""
    from django.conf import settings

    from maille.territories.enums import ZoneLevel

    region_code = region_code or settings.MAILLE_REGION_CODE
    departements = list(
        Commune.objects.filter(region_id=region_code).values_list("departement_id", flat=True).distinct()
    )
    epci_departements: dict[str, set[str]] = {}
    for epci, dep in (
        Commune.objects.filter(region_id=region_code).values_list("epci_id", "departement_id").distinct()
    ):
        epci_departements.setdefault(epci, set()).add(dep)
    commune_departement = {}
    zones = list(rows.values_list("zone_level", "zone_code"))
    commune_codes = {code for level, code in zones if level == ZoneLevel.COMMUNE}
    if commune_codes:
        commune_departement = dict(
            Commune.objects.filter(code__in=commune_codes).values_list("code", "departement_id")
        )
    counts = dict.fromkeys(sorted(departements), 0)
    for level, code in zones:
        if level in (ZoneLevel.FRANCE, ZoneLevel.REGION) and (
            level == ZoneLevel.FRANCE or code == region_code
        ):
            reached = departements
        elif level == ZoneLevel.DEPARTEMENT:
            reached = [code]
        elif level == ZoneLevel.EPCI:
            reached = epci_departements.get(code, ())
        else:
            reached = [commune_departement.get(code)]
        for dep in reached:
            if dep in counts:
                counts[dep] += 1
    return counts


def labelled_competence_zones(rows: QuerySet[Competence], extra=()) -> dict[tuple[str, str], str]:
    return zone_labels({*rows.values_list("zone_level", "zone_code"), *extra})
