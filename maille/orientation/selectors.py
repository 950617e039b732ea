"""Loading the orientation's candidates in a bounded number of queries, whatever the directory's size:
the commune (2), the covering offers (1), the covering open schemes (1) and their funders (1), the pending referrals
per organisation (1)."""

import datetime

from django.db import connection
from django.db.models import Count

from maille.core.text import normalize
from maille.directory.enums import OrganisationKind, PublicationStatus
from maille.directory.models import Offer, OfferZone, Organisation
from maille.funding.models import FundingScheme, SchemeZone
from maille.territories.models import Commune
from maille.territories.selectors import covering_zone_sql, narrowness_sql

from .engine import Candidate


def _covering_cte(zone_table: str, fk: str, commune: Commune) -> tuple[str, list]:
    """A materialised CTE `covering(item_id, coverage_rank)` of the items whose zones cover the commune.

    Raw SQL on purpose: the materialised CTE makes both SQLite and PostgreSQL start from the few covering zones
    (an index on level + code) and fetch those items by primary key, instead of scanning every offer.
    """
    condition, params = covering_zone_sql(commune)
    sql = (
        f"WITH covering AS MATERIALIZED (SELECT {fk} AS item_id, MIN({narrowness_sql()}) AS coverage_rank "
        f"FROM {zone_table} WHERE {condition} GROUP BY {fk})"
    )
    return sql, params


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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


def _eligibility_sql(alias: str, profile) -> tuple[str, list]:
    """Published, the profile's stage, and its legal form eligible (an empty list means every form)."""
    sql = (
        f"{alias}.status = %s AND {alias}.stages LIKE %s "
        f"AND ({alias}.legal_forms = '' OR {alias}.legal_forms LIKE %s)"
    )
    return sql, [PublicationStatus.PUBLISHED, f"%,{profile.stage},%", f"%,{profile.legal_form},%"]


def offer_candidates(profile, commune: Commune) -> list[Candidate]:
    """Published offers covering the commune for the profile's stage and legal form (load not filled in yet)."""
    cte, params = _covering_cte(OfferZone._meta.db_table, "offer_id", commune)
    eligibility, more = _eligibility_sql("o", profile)
    sql = (
        f"{cte} SELECT o.id, o.slug, o.name, o.organisation_id, org.name, org.kind, o.stages, o.needs, "
        "o.legal_forms, o.employees_min, o.employees_max, o.years_min, o.years_max, c.coverage_rank "
        f"FROM covering c JOIN {Offer._meta.db_table} o ON o.id = c.item_id "
        f"JOIN {Organisation._meta.db_table} org ON org.id = o.organisation_id WHERE {eligibility}"
    )
    return [
        Candidate(
            kind="offer",
            id=row[0],
            slug=row[1],
            name=row[2],
            organisation_id=row[3],
            organisation_name=row[4],
            organisation_kind=row[5],
            stages=split(row[6]),
            needs=split(row[7]),
            legal_forms=split(row[8]),
            employees_min=row[9],
            employees_max=row[10],
            years_min=row[11],
            years_max=row[12],
            coverage_rank=row[13],
            for_tiers_lieux=for_tiers_lieux(row[5], row[2], row[4]),
        )
        for row in _rows(sql, params + more)
    ]


def for_tiers_lieux(organisation_kind: str, *names: str) -> bool:
    """An item meant for tiers-lieux: its organisation is a tiers-lieu, or its name or its organisation's says so
    (« Formation « Piloter un tiers-lieu » », « CAP Tiers-Lieux »)."""
    return organisation_kind == OrganisationKind.TIERS_LIEU or any(
        "tiers lieu" in normalize(n or "") for n in names
    )


def split(stored: str) -> list[str]:
    return [item for item in (stored or "").split(",") if item]


def funding_candidates(profile, commune: Commune, today: datetime.date) -> list[Candidate]:
    """Open published schemes covering the commune for the profile's stage and legal form, with their first funder."""
    cte, params = _covering_cte(SchemeZone._meta.db_table, "scheme_id", commune)
    eligibility, more = _eligibility_sql("s", profile)
    sql = (
        f"{cte} SELECT s.id, s.slug, s.name, s.stages, s.needs, s.legal_forms, s.closes_on, s.recurrence, "
        f"c.coverage_rank FROM covering c JOIN {FundingScheme._meta.db_table} s ON s.id = c.item_id "
        f"WHERE {eligibility} AND (s.recurrence = %s OR s.closes_on IS NULL OR s.closes_on >= %s)"
    )
    keys = [
        "id",
        "slug",
        "name",
        "stages",
        "needs",
        "legal_forms",
        "closes_on",
        "recurrence",
        "coverage_rank",
    ]
    rows = [dict(zip(keys, row, strict=True)) for row in _rows(sql, [*params, *more, "permanent", today])]
    for row in rows:
        for key in ("stages", "needs", "legal_forms"):
            row[key] = split(row[key])
        if isinstance(row["closes_on"], str):  # SQLite gives dates as text in raw queries
            row["closes_on"] = datetime.date.fromisoformat(row["closes_on"])
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
                for_tiers_lieux=for_tiers_lieux(org_kind, row["name"], org_name),
            )
        )
    return candidates
