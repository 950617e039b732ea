"""Orientation entry point for the other apps: `recommend(profile)` → ranked offers and funding with reasons."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.territories.selectors import get_commune, resolve_commune

from . import selectors
from .engine import contenders, rank_candidates

NATIONAL_RANK = 4
DEFAULT_LIMIT = 8


@dataclass
class Profile:
    """What the engine needs to know of a project (plain data: a Project or an API payload gives one)."""

    commune_code: str
    stage: str
    needs: list[str]
    legal_form: str
    employees: float = 0
    years_of_existence: int = 0
    siret: str = ""
    naf: str = ""
    collective: bool = False
    social_innovation: bool = False
    tiers_lieu: bool = False

    @classmethod
    def of_project(cls, project) -> "Profile":
        return cls(
            commune_code=project.commune_id,
            stage=project.stage,
            needs=list(project.needs),
            legal_form=project.legal_form,
            employees=float(project.jobs_fte),
            years_of_existence=project.years_of_existence,
            siret=project.siret,
            naf=project.naf,
            collective=project.collective,
            social_innovation=project.social_innovation,
            tiers_lieu=project.tiers_lieu,
        )


@dataclass
class Recommendation:
    kind: str  # "offer" or "funding"
    id: int
    name: str
    slug: str
    organisation_id: int | None
    organisation_name: str
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class Recommendations:
    offers: list[Recommendation]
    funding: list[Recommendation]
    outside_region: bool = False
    notice: str = ""


def _as_recommendations(ranked) -> list[Recommendation]:
    return [
        Recommendation(
            kind=r.candidate.kind,
            id=r.candidate.id,
            name=r.candidate.name,
            slug=r.candidate.slug,
            organisation_id=r.candidate.organisation_id,
            organisation_name=r.candidate.organisation_name,
            score=r.score,
            reasons=r.reasons,
        )
        for r in ranked
    ]


def recommend(
    profile: Profile, limit: int = DEFAULT_LIMIT, today: datetime.date | None = None
) -> Recommendations:
    """Offers and funding schemes for the profile, best first, each with its reasons.

    A commune outside the served region gets only national offers and schemes, and a notice saying so.
    """
    today = today or timezone.localdate()
    commune = get_commune(profile.commune_code) or resolve_commune(profile.commune_code)
    if commune is None:
        raise ValueError(f"Unknown commune {profile.commune_code}")
    offers = selectors.offer_candidates(profile, commune)
    funding = selectors.funding_candidates(profile, commune, today)
    names = {1: commune.epci.name if commune.epci else "", 2: commune.departement.name}
    for candidate in (*offers, *funding):
        candidate.coverage_name = names.get(candidate.coverage_rank, "")
    outside = commune.region_id != settings.MAILLE_REGION_CODE
    notice = ""
    if outside:
        offers = [c for c in offers if c.coverage_rank == NATIONAL_RANK]
        funding = [c for c in funding if c.coverage_rank == NATIONAL_RANK]
        notice = _(
            "%(commune)s n'est pas dans la région servie par Maille : seules les offres et les financements nationaux "
            "vous sont proposés. Rapprochez-vous des réseaux de l'ESS de votre région."
        ) % {"commune": commune.name}
    # The organisations' load (pending referrals) is read only for the offers that can still make the top.
    offers = contenders(profile, offers, today, limit)
    load = selectors.pending_referrals_by_organisation({c.organisation_id for c in offers})
    for candidate in offers:
        candidate.pending_referrals = load.get(candidate.organisation_id, 0)
    return Recommendations(
        offers=_as_recommendations(rank_candidates(profile, offers, today, limit)),
        funding=_as_recommendations(rank_candidates(profile, funding, today, limit)),
        outside_region=outside,
        notice=notice,
    )
