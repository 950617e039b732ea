"""Changing the directory: saving offers with their zones, loading the region's directory from data/directory."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maille.core.text import normalize
from maille.territories.enums import ZoneLevel
from maille.territories.selectors import zone_errors

from .enums import PublicationStatus
from .models import Branch, BranchZone, Offer, OfferZone, Organisation

DIRECTORY_DIR = settings.BASE_DIR / "data" / "directory"
ZONE_LEVELS = tuple(ZoneLevel.values)


def check_zones(zones: list[tuple[str, str]], field: str = "zones") -> list[tuple[str, str]]:
    """Zones as (level, code) pairs, each naming a real territory; raise a French ValidationError otherwise."""
    if not zones:
        raise ValidationError({field: _("Indiquez au moins une zone couverte.")})
    messages = []
    for level, code in zones:
        for message in zone_errors(level, code, levels=ZONE_LEVELS).values():
            messages.append(f"{level}:{code} — {message}")
    if messages:
        raise ValidationError({field: messages})
    return list(dict.fromkeys(zones))


def offer_search_text(offer: Offer) -> str:
    parts = [offer.name, offer.description, offer.added_value, offer.organisation.name]
    return normalize(" ".join(p for p in parts if p))


@transaction.atomic
def save_offer(offer: Offer, zones: list[tuple[str, str]]) -> Offer:
    """Validate and save an offer and replace its zones. Nothing is written when anything is invalid."""
    zones = check_zones(zones)
    offer.search_text = offer_search_text(offer)
    offer.full_clean()
    offer.save()
    current = set(offer.zones.values_list("zone_level", "zone_code"))
    if current != set(zones):
        offer.zones.all().delete()
        OfferZone.objects.bulk_create(OfferZone(offer=offer, zone_level=lv, zone_code=cd) for lv, cd in zones)
    return offer


def zones_from_data(items: list[dict]) -> list[tuple[str, str]]:
    return [(item["type"], item.get("code") or "") for item in items]


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


OFFER_FIELDS = [
    "name",
    "description",
    "stages",
    "needs",
    "legal_forms",
    "employees_min",
    "employees_max",
    "years_min",
    "years_max",
    "is_free",
    "on_site",
    "remote",
    "mobilisation",
    "added_value",
    "source_url",
    "demo_fields",
]
ORGANISATION_FIELDS = ["name", "kind", "address", "website", "description", "source_url", "demo_fields"]


@transaction.atomic
def load_directory(data_dir: Path = DIRECTORY_DIR) -> dict[str, int]:
    """Upsert the region's organisations (with branches) and offers from the committed files, by slug."""
    counts = {"organisations": 0, "offres": 0}
    if not (data_dir / "organisations.json").exists():
        return counts
    organisations = {}
    for row in _read(data_dir / "organisations.json"):
        values = {
            field: row.get(field) or ("" if field != "demo_fields" else []) for field in ORGANISATION_FIELDS
        }
        values.update(siret=row.get("siret") or "", commune_id=row.get("commune") or None)
        org, created = Organisation.objects.get_or_create(slug=row["slug"], defaults=values)
        if not created and any(getattr(org, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(org, key, value)
            org.full_clean()
            org.save()
        counts["organisations"] += created
        organisations[row["slug"]] = org
        for branch_row in row.get("branches") or []:
            branch, _created = Branch.objects.update_or_create(
                organisation=org, name=branch_row["name"], defaults={"commune_id": branch_row.get("commune")}
            )
            wanted = set(zones_from_data(branch_row.get("zones") or []))
            if set(branch.zones.values_list("zone_level", "zone_code")) != wanted:
                branch.zones.all().delete()
                BranchZone.objects.bulk_create(
                    BranchZone(branch=branch, zone_level=lv, zone_code=cd) for lv, cd in wanted
                )
    for row in _read(data_dir / "offers.json"):
        org = organisations[row["organisation"]]
        offer = Offer.objects.filter(slug=row["slug"]).first()
        created = offer is None
        offer = offer or Offer(slug=row["slug"], status=PublicationStatus.PUBLISHED)
        offer.organisation = org
        offer.branch = org.branches.filter(name=row["branch"]).first() if row.get("branch") else None
        for field in OFFER_FIELDS:
            if field in offer.edited_fields:
                continue  # a person edited it on Maille: the file does not overwrite it
            value = row.get(field)
            if value is None and field in {"added_value", "source_url"}:
                value = ""
            if value is None and field in {"stages", "needs", "legal_forms", "demo_fields"}:
                value = []
            setattr(offer, field, value)
        if "contact" not in offer.edited_fields:
            offer.contact = row.get("contact") or ""
        apply_file_verification(offer, row)
        zones = zones_from_data(row["zones"])
        if "zones" in offer.edited_fields and not created:
            zones = list(offer.zones.values_list("zone_level", "zone_code"))
        save_offer(offer, zones)
        counts["offres"] += created
    return counts


# Fields of an offer a person may edit (on the site or in the back-office): remembered in `edited_fields`.
EDITABLE_FIELDS = {*OFFER_FIELDS, "contact", "zones", "branch", "status"} - {"demo_fields"}


def stamp_edit(record, user) -> None:
    """A person who saves a record has checked it: stamp it verified now, by them (saved with the record)."""
    from django.utils import timezone

    from .freshness import person_label

    record.last_verified_at = timezone.now()
    record.last_verified_by = person_label(user)
    record.last_verified_by_user = user if getattr(user, "is_authenticated", False) else None
    record.verification_source = _("Modifiée par %(who)s sur Maille") % {"who": record.last_verified_by}


def apply_file_verification(record, row: dict) -> None:
    """A reference file's `verified_on` (AAAA-MM-JJ) / `verified_by`: when its source was last read. Kept only when
    newer than the record's own verification (an organisation's « toujours à jour » is not undone by a reload)."""
    import datetime

    from django.utils import timezone

    if not row.get("verified_on"):
        return
    day = datetime.date.fromisoformat(row["verified_on"])
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    if record.last_verified_at is not None and record.last_verified_at >= when:
        return
    record.last_verified_at = when
    record.last_verified_by = (row.get("verified_by") or _("Équipe Maille"))[:200]
    record.last_verified_by_user = None
    record.verification_source = (row.get("source_url") or "")[:500]


def unique_offer_slug(organisation: Organisation, name: str) -> str:
    from django.utils.text import slugify

    base = slugify(f"{organisation.slug}-{name}")[:140] or "offre"
    slug, n = base, 2
    while Offer.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
