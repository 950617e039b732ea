"""Reading referrals: what a user may list (the rule of `perms.can_view_referral` as one query), the inbox tabs
and their counts, who is told of a referral (`resolve_delivery`) and how the holder reads it, the regional desk's
queue, and the referrals due for a reminder or expiry."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maille.accounts.enums import MemberRole
from maille.accounts.perms import is_staff
from maille.accounts.selectors import member_emails, staff_emails

from .enums import DeliveryChannel, ReferralStatus
from .models import Referral


def with_related(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    return queryset.select_related("project", "project__commune", "offer", "organisation", "answered_by")


def referrals_visible_to(user) -> QuerySet[Referral]:
    """Referrals a user may see: staff all; members their organisations'; a holder those on their projects."""
    if not (user.is_authenticated and user.is_active):
        return Referral.objects.none()
    if is_staff(user):
        return Referral.objects.all()
    return Referral.objects.filter(
        Q(organisation__in=user.memberships.values("organisation_id")) | Q(project__holder=user)
    )


def inbox_referrals(user) -> QuerySet[Referral]:
    """The organisations' inbox: the referrals addressed to the user's organisations (staff: every one)."""
    if not (user.is_authenticated and user.is_active):
        return Referral.objects.none()
    if is_staff(user):
        return Referral.objects.all()
    return Referral.objects.filter(organisation__in=user.memberships.values("organisation_id"))


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    statuses: tuple[str, ...]


TABS = (
    Tab("a-traiter", gettext_lazy("À traiter"), (ReferralStatus.PENDING,)),
    Tab("en-cours", gettext_lazy("En cours"), (ReferralStatus.ACCEPTED,)),
    Tab("terminees", gettext_lazy("Terminées"), (ReferralStatus.CLOSED, ReferralStatus.DECLINED)),
    Tab("expirees", gettext_lazy("Expirées"), (ReferralStatus.EXPIRED,)),
)
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}


def tab_counts(queryset: QuerySet[Referral]) -> dict[str, int]:
    """The number of referrals in each tab, in one query."""
    by_status = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return {tab.slug: sum(by_status.get(status, 0) for status in tab.statuses) for tab in TABS}


def _email_in(text: str) -> str:
    """The e-mail address written in a free-text contact field, if there is one."""
    for word in text.replace(",", " ").replace(";", " ").split():
        word = word.strip("<>()[]").removeprefix("mailto:")
        if "@" in word:
            try:
                validate_email(word)
            except ValidationError:
                continue
            return word
    return ""


class Delivery(NamedTuple):
    channel: str
    recipients: list[str]


def _unique(emails) -> list[str]:
    unique: dict[str, str] = {}
    for email in emails:
        if email:
            unique.setdefault(email.lower(), email)
    return list(unique.values())


def desk_organisation():
    """The organisation that animates the network and runs the regional orientation desk (configurable)."""
    from maille.directory.models import Organisation

    return Organisation.objects.filter(slug=settings.MAILLE_DESK_ORGANISATION).first()


def desk_recipients() -> list[str]:
    """The regional orientation desk: its shared address if configured, the members of the organisation that runs
    it, and the active staff accounts. Never empty while one staff account exists."""
    members = member_emails(settings.MAILLE_DESK_ORGANISATION)
    return _unique([settings.MAILLE_DESK_EMAIL, *members, *staff_emails()])


def resolve_delivery(organisation, offer) -> Delivery:
    """Who is told of a new referral, in this order: the organisation's active advisors; else the offer's contact
    e-mail; else the organisation's e-mail; else the regional orientation desk."""
    advisors = member_emails(organisation.slug, MemberRole.ADVISOR)
    if advisors:
        return Delivery(DeliveryChannel.ADVISORS, _unique(advisors))
    contact = _email_in(offer.contact or "")
    if contact:
        return Delivery(DeliveryChannel.OFFER_CONTACT, [contact])
    if organisation.email:
        return Delivery(DeliveryChannel.ORGANISATION_EMAIL, [organisation.email])
    return Delivery(DeliveryChannel.DESK, desk_recipients())


def reaches_someone_directly(organisation, offer) -> bool:
    return resolve_delivery(organisation, offer).channel != DeliveryChannel.DESK


def answered_by_link(referral: Referral) -> bool:
    """Its recipients answer through a link sent by e-mail (no account): an address, not advisors or the desk."""
    if referral.forwarded_to:
        return True
    return referral.delivery_channel in (DeliveryChannel.OFFER_CONTACT, DeliveryChannel.ORGANISATION_EMAIL)


def is_at_desk(referral: Referral) -> bool:
    """Waiting at the regional desk: nobody at the organisation could be told, and the desk has not forwarded it."""
    return referral.delivery_channel == DeliveryChannel.DESK and referral.forwarded_at is None


def desk_queue() -> QuerySet[Referral]:
    """The desk's work: pending referrals that nobody could receive, oldest first."""
    return Referral.objects.filter(
        status=ReferralStatus.PENDING, delivery_channel=DeliveryChannel.DESK, forwarded_at__isnull=True
    ).order_by("created_at", "pk")


def desk_forwarded() -> QuerySet[Referral]:
    return Referral.objects.filter(forwarded_at__isnull=False).order_by("-forwarded_at", "-pk")


def delivery_description(referral: Referral) -> str:
    """Who was told and how, in the holder's words ("never sent when nobody received it")."""
    organisation = referral.organisation.name
    if referral.forwarded_to:
        return _(
            "transmise à l'équipe régionale d'orientation, qui l'a fait suivre à l'adresse de %(organisation)s "
            "(%(email)s)"
        ) % {"organisation": organisation, "email": referral.forwarded_to}
    channel = referral.delivery_channel
    if channel == DeliveryChannel.ADVISORS:
        count = len(referral.delivery_recipients)
        return ngettext(
            "envoyée au conseiller de %(organisation)s inscrit sur Maille",
            "envoyée aux %(count)s conseillers de %(organisation)s inscrits sur Maille",
            count,
        ) % {"organisation": organisation, "count": count}
    if channel == DeliveryChannel.OFFER_CONTACT:
        return _("envoyée à l'adresse de contact de l'offre de %(organisation)s (%(email)s)") % {
            "organisation": organisation,
            "email": ", ".join(referral.delivery_recipients),
        }
    if channel == DeliveryChannel.ORGANISATION_EMAIL:
        return _("envoyée à l'adresse de %(organisation)s (%(email)s)") % {
            "organisation": organisation,
            "email": ", ".join(referral.delivery_recipients),
        }
    if channel == DeliveryChannel.DESK:
        desk = desk_organisation()
        if desk is not None:
            return _(
                "%(organisation)s n'a pas d'adresse connue : votre demande est transmise à l'équipe régionale "
                "d'orientation (%(desk)s), qui la fera suivre"
            ) % {"organisation": organisation, "desk": desk.name}
        return _(
            "%(organisation)s n'a pas d'adresse connue : votre demande est transmise à l'équipe régionale "
            "d'orientation, qui la fera suivre"
        ) % {"organisation": organisation}
    return _("transmission non renseignée")


def due_dates(created_at: datetime.datetime) -> dict[str, datetime.datetime]:
    """When a pending referral gets its reminders and expires."""
    return {
        "first": created_at + datetime.timedelta(days=settings.MAILLE_REFERRAL_FIRST_REMINDER_DAYS),
        "second": created_at + datetime.timedelta(days=settings.MAILLE_REFERRAL_SECOND_REMINDER_DAYS),
        "expiry": created_at + datetime.timedelta(days=settings.MAILLE_REFERRAL_EXPIRY_DAYS),
    }


def _before(now: datetime.datetime, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def due_for_expiry(now: datetime.datetime) -> QuerySet[Referral]:
    return Referral.objects.filter(
        status=ReferralStatus.PENDING, created_at__lte=_before(now, settings.MAILLE_REFERRAL_EXPIRY_DAYS)
    )


def due_for_second_reminder(now: datetime.datetime) -> QuerySet[Referral]:
    return Referral.objects.filter(
        status=ReferralStatus.PENDING,
        second_reminder_sent_at__isnull=True,
        created_at__lte=_before(now, settings.MAILLE_REFERRAL_SECOND_REMINDER_DAYS),
        created_at__gt=_before(now, settings.MAILLE_REFERRAL_EXPIRY_DAYS),
    )


def due_for_first_reminder(now: datetime.datetime) -> QuerySet[Referral]:
    """Only before the second reminder is due: a late run sends the most recent reminder, never both."""
    return Referral.objects.filter(
        status=ReferralStatus.PENDING,
        first_reminder_sent_at__isnull=True,
        second_reminder_sent_at__isnull=True,
        created_at__lte=_before(now, settings.MAILLE_REFERRAL_FIRST_REMINDER_DAYS),
        created_at__gt=_before(now, settings.MAILLE_REFERRAL_SECOND_REMINDER_DAYS),
    )


@dataclass
class HolderReferral:
    """One referral as its holder reads it: who was told and how, and what happens next and when."""

    referral: Referral
    delivery: str
    dates: dict
    at_desk: bool


def for_holder(project) -> list[HolderReferral]:
    referrals = project.referrals.select_related("offer", "organisation").order_by("-created_at", "-pk")
    return [
        HolderReferral(
            referral=referral,
            delivery=delivery_description(referral),
            dates=due_dates(referral.created_at),
            at_desk=is_at_desk(referral),
        )
        for referral in referrals
    ]


def desk_contact() -> dict:
    """How a holder reaches the regional orientation desk: its shared address, or its organisation's website."""
    organisation = desk_organisation()
    return {
        "email": settings.MAILLE_DESK_EMAIL,
        "name": organisation.name if organisation else "",
        "website": organisation.website if organisation else "",
    }
