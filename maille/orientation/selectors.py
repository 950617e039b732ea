"""Loading the orientation's candidates in a bounded number of queries, whatever the directory's size:
the commune (2), the covering offers (1), the covering open schemes (1) and their funders (1), the pending referrals
per organisation (1)."""

import datetime

from django.db.models import Count, Min

from maille.core.fields import has_choice
from maille.directory.enums import PublicationStatus
from maille.directory.models import Offer
from maille.directory.selectors import eligible_legal_form_q
from maille.funding.models import FundingScheme
from maille.funding.selectors import open_q
from maille.territories.models import Commune
from maille.territories.selectors import covering_zones_q, narrowness

from .engine import Candidate

OFFER_FIELDS = [
    "id",
    "slug",
    "name",
    "organisation_id",
    "organisation__name",
    "organisation__kind",
    "stages",
    "needs",
    "legal_forms",
    "employees_min",
    "employees_max",
    "years_min",
    "years_max",
]
SCHEME_FIELDS = ["id", "slug", "name", "stages", "needs", "legal_forms", "closes_on", "recurrence"]


def _covering(queryset, commune: Commune):
    return queryset.filter(covering_zones_q(commune, "zones__zone_level", "zones__zone_code")).annotate(
        coverage_rank=Min(narrowness("zones__zone_level"))
    )


def pending_referrals_by_organisation(organisation_ids) -> dict[int, int]:
    """The current load of each organisation: its referrals waiting for an answer (one query)."""
    from maille.referrals.enums import ReferralStatus
    from maille.referrals.models import Referral

    rows = (
        Referral.objects.filter(organisation_id__in=organisation_ids, status=ReferralStatus.PENDING)
        .values("organisation_id")
        .annotate(n=Count("id"))
    )
    return {row["organisation_id"]: row["n"] for row in rows}


def offer_candidates(profile, commune: Commune) -> list[Candidate]:
    qs = Offer.objects.filter(status=PublicationStatus.PUBLISHED).filter(has_choice("stages", profile.stage))
    qs = qs.filter(eligible_legal_form_q("legal_forms", profile.legal_form))
    rows = list(_covering(qs, commune).values(*OFFER_FIELDS, "coverage_rank"))
    load = pending_referrals_by_organisation({row["organisation_id"] for row in rows})
    return [
        Candidate(
            kind="offer",
            id=row["id"],
            slug=row["slug"],
            name=row["name"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation__name"],
            organisation_kind=row["organisation__kind"],
            stages=row["stages"],
            needs=row["needs"],
            legal_forms=row["legal_forms"],
            coverage_rank=row["coverage_rank"],
            employees_min=row["employees_min"],
            employees_max=row["employees_max"],
            years_min=row["years_min"],
            years_max=row["years_max"],
            pending_referrals=load.get(row["organisation_id"], 0),
        )
        for row in rows
    ]


def funding_candidates(profile, commune: Commune, today: datetime.date) -> list[Candidate]:
    qs = FundingScheme.objects.filter(status=PublicationStatus.PUBLISHED).filter(
        has_choice("stages", profile.stage)
    )
    qs = qs.filter(eligible_legal_form_q("legal_forms", profile.legal_form)).filter(open_q(today))
    rows = list(_covering(qs, commune).values(*SCHEME_FIELDS, "coverage_rank"))
    funders: dict[int, tuple[int, str, str]] = {}
    through = FundingScheme.funders.through.objects.filter(fundingscheme_id__in=[r["id"] for r in rows])
    for scheme_id, org_id, name, kind in through.order_by("organisation_id").values_list(
        "fundingscheme_id", "organisation_id", "organisation__name", "organisation__kind"
    ):
        funders.setdefault(scheme_id, (org_id, name, kind))
    candidates = []
    for row in rows:
        org_id, org_name, org_kind = funders.get(row["id"], (None, "", ""))
        candidates.append(
            Candidate(
                kind="funding",
                id=row["id"],
                slug=row["slug"],
                name=row["name"],
                organisation_id=org_id,
                organisation_name=org_name,
                organisation_kind=org_kind,
                stages=row["stages"],
                needs=row["needs"],
                legal_forms=row["legal_forms"],
                coverage_rank=row["coverage_rank"],
                closes_on=row["closes_on"],
                permanent=row["recurrence"] == "permanent",
            )
        )
    return candidates
