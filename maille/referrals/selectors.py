"""Reading referrals: what a user may list (the rule of `perms.can_view_referral` as one query), the inbox tabs
and their counts, who an organisation's e-mails go to, and the referrals due for a reminder or expiry."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from maille.accounts.enums import MemberRole
from maille.accounts.perms import is_staff

from .enums import ReferralStatus
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
    Tab("a-traiter", _("À traiter"), (ReferralStatus.PENDING,)),
    Tab("en-cours", _("En cours"), (ReferralStatus.ACCEPTED,)),
    Tab("terminees", _("Terminées"), (ReferralStatus.CLOSED, ReferralStatus.DECLINED)),
    Tab("expirees", _("Expirées"), (ReferralStatus.EXPIRED,)),
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


def organisation_recipients(referral: Referral) -> list[str]:
    """Who is told about a referral: the organisation's advisors, and the offer's contact e-mail if any (the
    organisation's own e-mail when there is nobody else). Each address once."""
    organisation = referral.organisation
    emails = list(
        organisation.memberships.filter(role=MemberRole.ADVISOR, user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    contact = _email_in(referral.offer.contact)
    if contact:
        emails.append(contact)
    if not emails and organisation.email:
        emails.append(organisation.email)
    unique: dict[str, str] = {}
    for email in emails:
        unique.setdefault(email.lower(), email)
    return list(unique.values())


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
