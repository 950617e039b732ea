"""Keeping the directory true: verification stamps, the « à vérifier » query, the review queue, the yearly request.

- `record_verification` stamps an offer or a funding scheme (when, by whom, against which source) under its row lock,
  with an audit entry; `confirm_organisation` does it for every published offer and scheme of an organisation (the
  one-click « toujours à jour » of the yearly e-mail, or a member on the site).
- `stale_q` selects records never verified or verified more than `VERIFICATION_MAX_AGE_DAYS` ago.
- `send_verification_requests` e-mails, once a year, every member of each organisation that has published offers or
  schemes, with a signed link (`verification_token`) scoped to that organisation and that request. The request is
  stamped on the organisation under its row lock, so running it twice (or two runs at once) never sends twice.
- `publish_record` moves an imported record from « à relire » to « publiée » (staff, from the review queue).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.audit import record as audit
from maille.core.emails import send_on_commit

from .enums import PublicationStatus
from .models import VERIFICATION_MAX_AGE_DAYS, Offer, Organisation

TOKEN_SALT = "maille.directory.verification"
# A link stays valid a little longer than the year between two requests; a newer request replaces it.
TOKEN_MAX_AGE = datetime.timedelta(days=VERIFICATION_MAX_AGE_DAYS + 60)


def stale_q(now: datetime.datetime | None = None) -> Q:
    """Never verified, or verified before a year ago: « à vérifier »."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=VERIFICATION_MAX_AGE_DAYS)
    return Q(last_verified_at__isnull=True) | Q(last_verified_at__lte=limit)


def person_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (full or user.email or str(user))[:200]


def _stamp(record, now, by: str, user, source: str) -> None:
    record.last_verified_at = now
    record.last_verified_by = by[:200]
    record.last_verified_by_user = user if getattr(user, "is_authenticated", False) else None
    record.verification_source = source[:500]
    record.save(
        update_fields=["last_verified_at", "last_verified_by", "last_verified_by_user", "verification_source"]
    )


def record_verification(record, actor=None, by: str = "", source: str = "", now=None):
    """Stamp one offer or scheme as verified now (row lock, audit). Returns the fresh record."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        _stamp(locked, now, by or person_label(actor), actor, source or locked.source_url)
        audit(
            actor, "directory.verified", locked, by=locked.last_verified_by, source=locked.verification_source
        )
    return locked


def records_of(organisation: Organisation) -> tuple[QuerySet, QuerySet]:
    """The published offers of an organisation and the published schemes it funds (what it is asked to confirm)."""
    from maille.funding.models import FundingScheme

    offers = Offer.objects.filter(organisation=organisation, status=PublicationStatus.PUBLISHED).order_by(
        "name"
    )
    schemes = FundingScheme.objects.filter(funders=organisation, status=PublicationStatus.PUBLISHED).order_by(
        "name"
    )
    return offers, schemes


def confirm_organisation(organisation: Organisation, actor=None, by: str = "", now=None) -> int:
    """« Toujours à jour »: stamp every published offer and scheme of the organisation. Returns how many."""
    now = now or timezone.now()
    by = (
        by
        or person_label(actor)
        or _("%(organisation)s (lien de vérification)") % {"organisation": organisation.name}
    )
    source = _("Confirmé par l'organisation sur Maille")
    count = 0
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        for queryset in records_of(organisation):
            for record in queryset.select_for_update():
                _stamp(record, now, by, actor, source)
                count += 1
        audit(actor, "directory.organisation_confirmed", organisation, by=by, records=count)
    return count


def verification_token(organisation: Organisation) -> str:
    """An opaque signed token for this organisation and its latest request (a newer request voids it)."""
    stamp = organisation.verification_requested_at
    return signing.dumps(
        {"o": organisation.pk, "r": stamp.isoformat() if stamp else ""}, salt=TOKEN_SALT, compress=True
    )


def organisation_from_token(token: str) -> Organisation | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    organisation = Organisation.objects.filter(pk=data.get("o")).first()
    if organisation is None:
        return None
    stamp = organisation.verification_requested_at
    if (stamp.isoformat() if stamp else "") != data.get("r"):
        return None
    return organisation


def verification_url(organisation: Organisation) -> str:
    return settings.MAILLE_SITE_URL + reverse(
        "directory:verify_token", args=[verification_token(organisation)]
    )


def member_emails(organisation: Organisation) -> list[str]:
    from maille.accounts.models import Membership

    rows = Membership.objects.filter(organisation=organisation, user__is_active=True).select_related("user")
    return sorted({m.user.email for m in rows if m.user.email})


def due_organisations(now: datetime.datetime):
    """Organisations with members and with published offers or schemes, not asked within a year."""
    limit = now - datetime.timedelta(days=VERIFICATION_MAX_AGE_DAYS)
    return (
        Organisation.objects.filter(memberships__user__is_active=True, is_demo=False)
        .filter(
            Q(offers__status=PublicationStatus.PUBLISHED)
            | Q(funding_schemes__status=PublicationStatus.PUBLISHED)
        )
        .filter(Q(verification_requested_at__isnull=True) | Q(verification_requested_at__lte=limit))
        .distinct()
        .order_by("pk")
    )


def send_verification_requests(now: datetime.datetime | None = None, progress=lambda rows: rows) -> dict:
    """E-mail each due organisation's members once a year; the stamp is re-checked under the row lock."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=VERIFICATION_MAX_AGE_DAYS)
    summary = {"organisations": 0, "e-mails": 0}
    for pk in progress(list(due_organisations(now).values_list("pk", flat=True))):
        with transaction.atomic():
            organisation = Organisation.objects.select_for_update().get(pk=pk)
            stamp = organisation.verification_requested_at
            if stamp is not None and stamp > limit:
                continue  # asked in the meantime (another run)
            recipients = member_emails(organisation)
            if not recipients:
                continue
            organisation.verification_requested_at = now
            organisation.save(update_fields=["verification_requested_at"])
            offers, schemes = records_of(organisation)
            context = {
                "organisation": organisation,
                "offers": list(offers),
                "schemes": list(schemes),
                "confirm_url": verification_url(organisation),
                "organisation_url": settings.MAILLE_SITE_URL
                + reverse("directory:organisation", args=[organisation.slug]),
            }
            for address in recipients:
                send_on_commit(
                    address,
                    _("Vos offres sur Maille sont-elles toujours à jour ?"),
                    "directory_verification_request",
                    context,
                )
            audit(None, "directory.verification_requested", organisation, recipients=len(recipients))
        summary["organisations"] += 1
        summary["e-mails"] += len(recipients)
    return summary


def publish_record(record, actor=None):
    """Publish an imported record waiting for review (« à relire »); anything else is refused with a message."""
    from django.core.exceptions import ValidationError

    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        if locked.status != PublicationStatus.TO_REVIEW:
            raise ValidationError(_("Cette fiche n'est pas en attente de relecture."))
        locked.status = PublicationStatus.PUBLISHED
        fields = ["status"]
        if hasattr(locked, "published_at") and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        audit(actor, "directory.published", locked, origin=locked.origin)
    return record_verification(
        locked, actor=actor, source=locked.external_url or locked.source_url or _("Relecture par l'équipe")
    )


def review_queue(now=None) -> dict:
    """What staff review: imported records waiting (« à relire ») and published records « à vérifier »."""
    from maille.funding.models import FundingScheme

    stale = stale_q(now)
    offers = Offer.objects.select_related("organisation")
    schemes = FundingScheme.objects.prefetch_related("funders")
    return {
        "offers_to_review": offers.filter(status=PublicationStatus.TO_REVIEW).order_by("name"),
        "schemes_to_review": schemes.filter(status=PublicationStatus.TO_REVIEW).order_by("name"),
        "offers_stale": offers.filter(stale, status=PublicationStatus.PUBLISHED).order_by(
            "last_verified_at", "name"
        ),
        "schemes_stale": schemes.filter(stale, status=PublicationStatus.PUBLISHED).order_by(
            "last_verified_at", "name"
        ),
    }
