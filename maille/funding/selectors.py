"""Reading funding schemes: search by commune and criteria, open / closing soon / closed, alerts due."""

import datetime

from django.db.models import Q, QuerySet

from maille.directory.enums import PublicationStatus
from maille.directory.selectors import matching, ranked
from maille.territories.models import Commune

from .enums import Deadline, Recurrence
from .models import FundingScheme

CLOSING_SOON_DAYS = 30


def open_q(today: datetime.date) -> Q:
    """A scheme is open when it is permanent, or has no deadline, or its deadline has not passed."""
    return Q(recurrence=Recurrence.PERMANENT) | Q(closes_on__isnull=True) | Q(closes_on__gte=today)


def deadline_status(scheme: FundingScheme, today: datetime.date) -> Deadline:
    if scheme.recurrence == Recurrence.PERMANENT or scheme.closes_on is None:
        return Deadline.OPEN
    if scheme.closes_on < today:
        return Deadline.CLOSED
    if (scheme.closes_on - today).days <= CLOSING_SOON_DAYS:
        return Deadline.CLOSING_SOON
    return Deadline.OPEN


def search_schemes(
    commune: Commune | None = None,
    stage: str = "",
    kind: str = "",
    legal_form: str = "",
    is_open: bool | None = None,
    today: datetime.date | None = None,
    q: str = "",
    need: str = "",
) -> QuerySet[FundingScheme]:
    """Published schemes matching the filters (`is_open`: open, or closed, on `today`); narrowest territory first."""
    qs = matching(FundingScheme.objects.all(), stage=stage, need=need, legal_form=legal_form, q=q)
    if kind:
        qs = qs.filter(kind=kind)
    if is_open is True:
        qs = qs.filter(open_q(today))
    elif is_open is False:
        qs = qs.exclude(open_q(today))
    qs = ranked(qs, commune)
    return qs.prefetch_related("zones", "funders")


def scheme_detail(slug: str) -> FundingScheme | None:
    return FundingScheme.objects.prefetch_related("zones", "funders").filter(slug=slug).first()


def schemes_of_funder(organisation) -> QuerySet[FundingScheme]:
    return FundingScheme.objects.filter(status=PublicationStatus.PUBLISHED, funders=organisation).order_by(
        "name"
    )


def schemes_of_funders(organisation_ids) -> QuerySet[FundingScheme]:
    """Every scheme of these funders, published or not, by name (for the funders' own space)."""
    return FundingScheme.objects.filter(funders__in=organisation_ids).distinct().order_by("name", "pk")
