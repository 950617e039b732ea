"""Changing funding data: saving schemes with zones and funders, loading the region's schemes, saved searches."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from maille.core.text import normalize
from maille.directory.enums import PublicationStatus
from maille.directory.models import Organisation
from maille.directory.services import _read as read_json
from maille.directory.services import check_zones, zones_from_data

from .models import FundingScheme, SchemeZone

FUNDING_FILE = settings.BASE_DIR / "data" / "directory" / "funding.json"


def scheme_search_text(scheme: FundingScheme, funders: list[Organisation]) -> str:
    return normalize(" ".join([scheme.name, scheme.description, *(f.name for f in funders)]))


@transaction.atomic
def save_scheme(
    scheme: FundingScheme, zones: list[tuple[str, str]], funders: list[Organisation]
) -> FundingScheme:
    """Validate and save a scheme, its zones and funders; stamp its first publication (alerts read it)."""
    zones = check_zones(zones)
    scheme.search_text = scheme_search_text(scheme, funders)
    if scheme.status == PublicationStatus.PUBLISHED and scheme.published_at is None:
        scheme.published_at = timezone.now()
    scheme.full_clean()
    scheme.save()
    if set(scheme.zones.values_list("zone_level", "zone_code")) != set(zones):
        scheme.zones.all().delete()
        SchemeZone.objects.bulk_create(
            SchemeZone(scheme=scheme, zone_level=lv, zone_code=cd) for lv, cd in zones
        )
    if {f.pk for f in funders} != set(scheme.funders.values_list("pk", flat=True)):
        scheme.funders.set(funders)
    return scheme


SCHEME_FIELDS = [
    "name",
    "description",
    "stages",
    "needs",
    "legal_forms",
    "amount_min",
    "amount_max",
    "rate",
    "opens_on",
    "closes_on",
    "recurrence",
    "source_url",
    "demo_fields",
]
LIST_FIELDS = {"stages", "needs", "legal_forms", "demo_fields"}


@transaction.atomic
def load_funding(path: Path = FUNDING_FILE) -> dict[str, int]:
    """Upsert the region's funding schemes from the committed file, by slug (after the directory's organisations)."""
    counts = {"dispositifs": 0}
    if not path.exists():
        return counts
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for row in read_json(path):
        scheme = FundingScheme.objects.filter(slug=row["slug"]).first()
        created = scheme is None
        scheme = scheme or FundingScheme(slug=row["slug"], status=PublicationStatus.PUBLISHED)
        scheme.kind = row["type"]
        for field in SCHEME_FIELDS:
            value = row.get(field)
            if value is None:
                value = [] if field in LIST_FIELDS else ("" if field in {"rate", "source_url"} else None)
            setattr(scheme, field, value)
        save_scheme(scheme, zones_from_data(row["zones"]), [organisations[slug] for slug in row["funders"]])
        counts["dispositifs"] += created
    return counts
