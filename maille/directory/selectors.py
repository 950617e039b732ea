"""Reading the directory: offers covering a commune (narrowest zone first), filters, organisations, competences."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from maille.core.fields import has_choice
from maille.core.text import normalize
from maille.territories.enums import NARROWNESS, ZoneLevel
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


# How a zone's level is shown after its name: « Angers Loire Métropole (EPCI) », « Mayenne (département) ».
ZONE_LEVEL_SHORT = {
    ZoneLevel.COMMUNE: _("commune"),
    ZoneLevel.EPCI: _("EPCI"),
    ZoneLevel.DEPARTEMENT: _("département"),
    ZoneLevel.REGION: _("région"),
}


def zone_label(level: str, code: str, names: dict[tuple[str, str], str]) -> dict[str, str]:
    """`{"name", "level"}` of one zone, its name taken from `names` (see `zone_labels`); level "" for France."""
    name = names.get((level, code)) or (str(ZoneLevel(level).label) if level == ZoneLevel.FRANCE else code)
    return {"name": name, "level": str(ZONE_LEVEL_SHORT.get(level, ""))}


def with_zone_labels(objects):
    """Give each offer or scheme (with `zones` prefetched) a `zone_labels` list, narrowest first; the names of all
    the zones of all the objects are read at once (one query per level present, never one per object)."""
    objects = list(objects)
    names = zone_labels({(z.zone_level, z.zone_code) for obj in objects for z in obj.zones.all()})
    for obj in objects:
        zones = sorted(obj.zones.all(), key=lambda z: NARROWNESS.get(z.zone_level, 9))
        obj.zone_labels = [zone_label(z.zone_level, z.zone_code, names) for z in zones]
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


@dataclass
class CompetenceTally:
    """Each competence counted once: in the département its zone lies in, else on one of two lines of their own."""

    by_departement: dict[str, int]  # every département of the region, in code order
    several: int = 0  # the whole region, France, or a zone across several départements (an EPCI)
    outside: int = 0  # a zone outside the region

    @property
    def total(self) -> int:
        return sum(self.by_departement.values()) + self.several + self.outside


def competence_tally(rows: QuerySet[Competence], region_code: str | None = None) -> CompetenceTally:
    """How many competences lie in each département of the region, each competence counted exactly once.

    A commune's or a département's competence counts for its département, an EPCI's for the département of all its
    communes; a competence of the whole region, of France or of an EPCI across départements counts on the line
    `several`; one elsewhere on the line `outside`. So the lines always add up to the number of competences.
    """
    from django.conf import settings

    from maille.territories.enums import ZoneLevel
    from maille.territories.models import Departement

    region_code = region_code or settings.MAILLE_REGION_CODE
    tally = CompetenceTally(
        by_departement=dict.fromkeys(
            Departement.objects.filter(region_id=region_code).order_by("code").values_list("code", flat=True),
            0,
        )
    )
    zones = list(rows.order_by().values_list("zone_level", "zone_code"))
    codes = {
        level: {code for lvl, code in zones if lvl == level} for level in (ZoneLevel.COMMUNE, ZoneLevel.EPCI)
    }
    commune_departement = dict(
        Commune.objects.filter(code__in=codes[ZoneLevel.COMMUNE])
        .order_by()
        .values_list("code", "departement_id")
    )
    epci_departements: dict[str, set[str]] = {}
    for epci, dep in (
        Commune.objects.filter(epci_id__in=codes[ZoneLevel.EPCI])
        .order_by()
        .values_list("epci_id", "departement_id")
        .distinct()
    ):
        epci_departements.setdefault(epci, set()).add(dep)
    for level, code in zones:
        if level == ZoneLevel.FRANCE or (level == ZoneLevel.REGION and code == region_code):
            tally.several += 1
            continue
        if level == ZoneLevel.DEPARTEMENT:
            departements = {code}
        elif level == ZoneLevel.EPCI:
            departements = epci_departements.get(code, set())
        elif level == ZoneLevel.COMMUNE:
            departements = {commune_departement.get(code)}
        else:
            departements = set()
        if len(departements) > 1 and departements & tally.by_departement.keys():
            tally.several += 1
        elif len(departements) == 1 and (dep := next(iter(departements))) in tally.by_departement:
            tally.by_departement[dep] += 1
        else:
            tally.outside += 1
    return tally


def labelled_competence_zones(rows: QuerySet[Competence], extra=()) -> dict[tuple[str, str], str]:
    return zone_labels({*rows.values_list("zone_level", "zone_code"), *extra})


def offers_of_organisations(organisation_ids) -> QuerySet[Offer]:
    """Every offer of these organisations, published or not, the least recently updated first (to keep up to date)."""
    return (
        Offer.objects.filter(organisation__in=organisation_ids)
        .select_related("organisation")
        .order_by("updated_at", "name", "pk")
    )


def competences_of_organisations(organisation_ids) -> QuerySet[Competence]:
    """The advisors' competences of these organisations, the least recently updated first."""
    return (
        Competence.objects.filter(organisation__in=organisation_ids)
        .select_related("advisor", "organisation")
        .order_by("updated_at", "need", "pk")
    )
