"""Changing funding data: saving schemes with zones and funders, loading the region's schemes, saved searches."""

import datetime
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maille.core.emails import send_on_commit
from maille.core.text import normalize
from maille.directory.enums import PublicationStatus
from maille.directory.models import Organisation
from maille.directory.services import _read as read_json
from maille.directory.services import apply_file_verification, check_zones, zones_from_data
from maille.territories.selectors import resolve_commune

from .enums import AlertFrequency
from .models import AlertDelivery, FundingScheme, SavedSearch, SchemeZone

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
        if "kind" not in scheme.edited_fields:
            scheme.kind = row["type"]
        for field in SCHEME_FIELDS:
            if field in scheme.edited_fields:
                continue  # a person edited it on Maille: the file does not overwrite it
            value = row.get(field)
            if value is None:
                value = [] if field in LIST_FIELDS else ("" if field in {"rate", "source_url"} else None)
            setattr(scheme, field, value)
        if row.get("status") and "status" not in scheme.edited_fields:
            scheme.status = row["status"]  # e.g. « archived » for a scheme that has ended
        apply_file_verification(scheme, row)
        zones = zones_from_data(row["zones"])
        if "zones" in scheme.edited_fields and not created:
            zones = list(scheme.zones.values_list("zone_level", "zone_code"))
        save_scheme(scheme, zones, [organisations[slug] for slug in row["funders"]])
        counts["dispositifs"] += created
    return counts


def alert_links(saved: SavedSearch) -> dict[str, str]:
    base = settings.MAILLE_SITE_URL
    return {
        "confirm_url": base + reverse("funding:alert_confirm", args=[saved.token]),
        "unsubscribe_url": base + reverse("funding:alert_unsubscribe", args=[saved.token]),
        "search_url": base + reverse("funding:search") + "?" + urlencode(saved_search_params(saved)),
    }


def saved_search_params(saved: SavedSearch) -> dict[str, str]:
    params = {
        "commune": saved.commune,
        "stage": saved.stage,
        "kind": saved.kind,
        "legal_form": saved.legal_form,
    }
    params["q"] = saved.query
    return {k: v for k, v in params.items() if v}


@transaction.atomic
def create_saved_search(saved: SavedSearch) -> SavedSearch:
    """Save an unconfirmed search and e-mail its confirmation link."""
    saved.full_clean()
    saved.save()
    send_on_commit(
        saved.email,
        _("Confirmez votre alerte financements"),
        "funding_alert_confirm",
        {"saved": saved, **alert_links(saved)},
    )
    return saved


def confirm_saved_search(saved: SavedSearch) -> bool:
    """Confirm once (a second click changes nothing). Returns whether it was just confirmed."""
    if saved.confirmed_at is not None:
        return False
    saved.confirmed_at = timezone.now()
    saved.save(update_fields=["confirmed_at"])
    return True


def unsubscribe(saved: SavedSearch) -> bool:
    if saved.unsubscribed_at is not None:
        return False
    saved.unsubscribed_at = timezone.now()
    saved.save(update_fields=["unsubscribed_at"])
    return True


PERIODS = {
    AlertFrequency.DAILY: datetime.timedelta(hours=20),
    AlertFrequency.WEEKLY: datetime.timedelta(days=6, hours=20),
}


def matching_new_schemes(saved: SavedSearch, today: datetime.date):
    """Open published schemes matching the search, published after its confirmation, never sent to it."""
    from . import selectors

    commune = resolve_commune(saved.commune) if saved.commune else None
    schemes = selectors.search_schemes(
        commune=commune,
        stage=saved.stage,
        kind=saved.kind,
        legal_form=saved.legal_form,
        q=saved.query,
        is_open=True,
        today=today,
    )
    delivered = AlertDelivery.objects.filter(saved_search=saved).values("scheme_id")
    return schemes.filter(published_at__gt=saved.confirmed_at).exclude(pk__in=delivered)


def send_alerts(now: datetime.datetime | None = None, frequency: str | None = None) -> dict[str, int]:
    """Send every due alert once: a scheme is never sent twice to the same search (AlertDelivery)."""
    now = now or timezone.now()
    searches = SavedSearch.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    if frequency:
        searches = searches.filter(frequency=frequency)
    summary = {"recherches": 0, "e-mails": 0, "dispositifs": 0}
    for saved in searches.order_by("pk"):
        summary["recherches"] += 1
        if saved.last_sent_at and now - saved.last_sent_at < PERIODS[AlertFrequency(saved.frequency)]:
            continue
        with transaction.atomic():
            locked = SavedSearch.objects.select_for_update().get(pk=saved.pk)
            schemes = list(matching_new_schemes(locked, timezone.localdate(now)))
            if not schemes:
                continue
            AlertDelivery.objects.bulk_create(AlertDelivery(saved_search=locked, scheme=s) for s in schemes)
            locked.last_sent_at = now
            locked.save(update_fields=["last_sent_at"])
            links = alert_links(locked)
            send_on_commit(
                locked.email,
                ngettext(
                    "%(n)d nouveau dispositif de financement",
                    "%(n)d nouveaux dispositifs de financement",
                    len(schemes),
                )
                % {"n": len(schemes)},
                "funding_alert",
                {"saved": locked, "schemes": schemes, **links},
                headers={"List-Unsubscribe": f"<{links['unsubscribe_url']}>"},
            )
        summary["e-mails"] += 1
        summary["dispositifs"] += len(schemes)
    return summary
