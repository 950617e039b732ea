"""Reading the directory: offers covering a commune (narrowest zone first), filters, organisations, competences."""

from django.db import connection
from django.db.models import Min, Prefetch, Q, QuerySet

from maille.core.fields import has_choice
from maille.core.text import normalize
from maille.territories.models import Commune
from maille.territories.selectors import covering_zones_q, narrowness, zone_labels

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
    """Rows (offers or schemes, with `zones`) covering `commune`, annotated with `coverage_rank` (0 = commune)."""
    return queryset.filter(covering_zones_q(commune, "zones__zone_level", "zones__zone_code")).annotate(
        coverage_rank=Min(narrowness("zones__zone_level"))
    )


def search_offers(
    commune: Commune | None = None, stage: str = "", need: str = "", legal_form: str = "", q: str = ""
) -> QuerySet[Offer]:
    """Published offers matching the filters; with a commune, narrowest territory first."""
    qs = Offer.objects.filter(status=PublicationStatus.PUBLISHED)
    if stage:
        qs = qs.filter(has_choice("stages", stage))
    if need:
        qs = qs.filter(has_choice("needs", need))
    if legal_form:
        qs = qs.filter(eligible_legal_form_q("legal_forms", legal_form))
    if q:
        qs = keyword_q(qs, q)
    order = ["name", "pk"]
    if commune is not None:
        qs = covering(qs, commune)
        order = ["coverage_rank", *order]
    return qs.select_related("organisation").prefetch_related("zones").order_by(*order)


def offer_detail(slug: str) -> Offer | None:
    return (
        Offer.objects.select_related("organisation", "branch")
        .prefetch_related("zones")
        .filter(slug=slug)
        .first()
    )


def labelled_zones(objects) -> dict[tuple[str, str], str]:
    """Names of every zone of these offers or schemes (their `zones` prefetched), in one query per level."""
    return zone_labels({(z.zone_level, z.zone_code) for obj in objects for z in obj.zones.all()})


def organisations_with_offers() -> QuerySet[Organisation]:
    """Organisations with their published offers (and zones) and branches, for detail pages and the API."""
    published = Offer.objects.filter(status=PublicationStatus.PUBLISHED).prefetch_related("zones")
    return Organisation.objects.select_related("commune").prefetch_related(
        Prefetch("offers", queryset=published), "branches__zones"
    )


def competences(need: str = "") -> QuerySet[Competence]:
    qs = Competence.objects.select_related("advisor", "organisation")
    return qs.filter(need=need) if need else qs
