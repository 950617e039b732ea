"""Reading funding schemes: search by commune and criteria, open / closing soon / closed, alerts due."""

import datetime

from django.db.models import Q, QuerySet

from maille.core.fields import has_choice
from maille.directory.enums import PublicationStatus
from maille.directory.selectors import covering, eligible_legal_form_q, keyword_q
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
    qs = FundingScheme.objects.filter(status=PublicationStatus.PUBLISHED)
    if stage:
        qs = qs.filter(has_choice("stages", stage))
    if need:
        qs = qs.filter(has_choice("needs", need))
    if kind:
        qs = qs.filter(kind=kind)
    if legal_form:
        qs = qs.filter(eligible_legal_form_q("legal_forms", legal_form))
    if is_open is True:
        qs = qs.filter(open_q(today))
    elif is_open is False:
        qs = qs.exclude(open_q(today))
    if q:
        qs = keyword_q(qs, q)
    order = ["name", "pk"]
    if commune is not None:
        qs = covering(qs, commune)
        order = ["coverage_rank", *order]
    return qs.prefetch_related("zones", "funders").order_by(*order)


def scheme_detail(slug: str) -> FundingScheme | None:
    return FundingScheme.objects.prefetch_related("zones", "funders").filter(slug=slug).first()


def schemes_of_funder(organisation) -> QuerySet[FundingScheme]:
    return FundingScheme.objects.filter(status=PublicationStatus.PUBLISHED, funders=organisation).order_by(
        "name"
    )
