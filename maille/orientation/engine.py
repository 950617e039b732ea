"""The orientation engine: a pure function from a project profile and candidate offers / schemes (plain data) to a
ranked list, each item with the French reasons of its score.

1. Hard filters (an item failing one is out): the zone covers the commune (done by the candidate loader, which gives
   `coverage_rank`), published, stage eligible, legal form / size / age eligible (from the item's eligibility data,
   never from code: the DLA is for employers because its offer says `employees_min = 1`), funding open.
2. Scoring terms, each adding points and one reason: stage fit, needs covered, territorial specificity, ESS
   specialisation for ESS-specific needs or the classic path for generic ones, the structure's load (pending
   referrals), a funding deadline that is close, and the project's collective / social-innovation / tiers-lieu traits.
   A trait term counts only when the project has the trait: an item meant for tiers-lieux gains nothing, not even
   as an ESS specialist, for a project that is not a tiers-lieu (its reason says so).
   Weights: each need covered is worth more (15) than the gap between a local zone (commune, EPCI, département) and
   the region (12 to 14), which is worth more than any other single term (at most 10). So, for the same needs
   covered, an item of the holder's territory beats a region-wide one unless the latter is better on two other terms.
3. Deterministic order: when the holder states needs, every item covering at least one of them comes before every
   item covering none (whose reasons say so); then score, narrower territory, name, id. At most `limit` items per
   kind.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maille.core.enums import LegalForm, Need, Stage

# Needs where the ESS networks bring what the classic path does not (O7).
ESS_SPECIFIC_NEEDS = {
    "gouvernance",
    "cooperation",
    "innovation_sociale",
    "benevolat",
    "evaluation_impact",
    "emploi",
}
ESS_KINDS = {"reseau_ess", "tiers_lieu"}
CLASSIC_KINDS = {"reseau_creation"}
# Commune, EPCI, département, region, France: a local zone is 12 to 14 points above the region, more than any other
# single term (at most 10) and less than one more need covered (15) — see the module docstring.
TERRITORY_POINTS = {0: 22, 1: 21, 2: 20, 3: 8, 4: 0}
POINTS_PER_NEED = 15
MAX_COUNTED_NEEDS = 3
CLOSING_SOON_DAYS = 30
BUSY_THRESHOLD = 5
MAX_LOAD_PENALTY = 10


@dataclass
class Candidate:
    kind: str  # "offer" or "funding"
    id: int
    slug: str
    name: str
    organisation_id: int | None
    organisation_name: str
    organisation_kind: str
    stages: list[str]
    needs: list[str]
    legal_forms: list[str]
    coverage_rank: int
    coverage_name: str = ""
    employees_min: int | None = None
    employees_max: int | None = None
    years_min: int | None = None
    years_max: int | None = None
    closes_on: datetime.date | None = None
    permanent: bool = True
    pending_referrals: int = 0
    published: bool = True
    for_tiers_lieux: bool = (
        False  # meant for tiers-lieux (a tiers-lieu organisation, or it says so in its name)
    )


@dataclass
class Ranked:
    """A candidate's score; its reasons are formatted only for the items kept (translating is the costly part)."""

    candidate: Candidate
    score: float
    reason_makers: list[Callable[[], str]] = field(default_factory=list)
    misses_needs: bool = False  # the holder stated needs and the item covers none of them

    @property
    def reasons(self) -> list[str]:
        return [make() for make in self.reason_makers]


def eligible(profile, c: Candidate, today: datetime.date) -> bool:
    if not c.published or profile.stage not in c.stages:
        return False
    if c.legal_forms and profile.legal_form not in c.legal_forms:
        return False
    if c.employees_min is not None and profile.employees < c.employees_min:
        return False
    if c.employees_max is not None and profile.employees > c.employees_max:
        return False
    if c.years_min is not None and profile.years_of_existence < c.years_min:
        return False
    if c.years_max is not None and profile.years_of_existence > c.years_max:
        return False
    return not (c.kind == "funding" and not c.permanent and c.closes_on is not None and c.closes_on < today)


def _labels(enum, codes) -> str:
    chosen = set(codes)
    return ", ".join(str(label).lower() for value, label in enum.choices if value in chosen)


def score(profile, c: Candidate, today: datetime.date) -> Ranked:
    ranked = Ranked(candidate=c, score=0.0)

    def add(points: float, reason: Callable[[], str]) -> None:
        ranked.score += points
        ranked.reason_makers.append(reason)

    def stage_label() -> str:
        return str(dict(Stage.choices)[profile.stage]).lower()

    if len(c.stages) <= 2:
        add(30, lambda: _("Spécialisé dans votre stade : %(stage)s") % {"stage": stage_label()})
    else:
        add(20, lambda: _("Adapté à votre stade : %(stage)s") % {"stage": stage_label()})

    covered = [need for need in profile.needs if need in c.needs]
    if covered:
        add(
            POINTS_PER_NEED * min(MAX_COUNTED_NEEDS, len(covered)),
            lambda: _("Répond à vos besoins : %(needs)s") % {"needs": _labels(Need, covered)},
        )
    elif profile.needs:
        ranked.misses_needs = True
        add(
            0,
            lambda: (
                _("Ne couvre aucun des besoins indiqués (%(needs)s)")
                % {"needs": _labels(Need, profile.needs)}
            ),
        )

    add(TERRITORY_POINTS.get(c.coverage_rank, 0), lambda: territory_reason(c))

    ess_needs = [need for need in covered if need in ESS_SPECIFIC_NEEDS]
    generic_needs = [need for need in covered if need not in ESS_SPECIFIC_NEEDS]
    # An item meant for tiers-lieux is a specialist of tiers-lieux, not of a project that is not one.
    tiers_lieu_only = (c.for_tiers_lieux or c.organisation_kind == "tiers_lieu") and not profile.tiers_lieu
    if ess_needs and c.organisation_kind in ESS_KINDS and not tiers_lieu_only:
        add(
            10,
            lambda: _("Réseau spécialiste de l'ESS pour : %(needs)s") % {"needs": _labels(Need, ess_needs)},
        )
    elif generic_needs and not ess_needs and c.organisation_kind in CLASSIC_KINDS:
        add(
            5,
            lambda: (
                _("Parcours classique de création pour : %(needs)s") % {"needs": _labels(Need, generic_needs)}
            ),
        )
    if c.legal_forms and len(c.legal_forms) <= 3 and profile.legal_form in c.legal_forms:
        add(
            10,
            lambda: (
                _("Spécialiste des structures : %(forms)s") % {"forms": _labels(LegalForm, c.legal_forms)}
            ),
        )
    if c.employees_min is not None and c.employees_min >= 1 and profile.employees >= 1:
        add(8, lambda: _("Adapté à une structure employeuse"))
    if profile.collective and "cooperation" in c.needs:
        add(5, lambda: _("Accompagne les projets collectifs"))
    if profile.social_innovation and "innovation_sociale" in c.needs:
        add(5, lambda: _("Accompagne l'innovation sociale"))
    if c.for_tiers_lieux or c.organisation_kind == "tiers_lieu":
        if profile.tiers_lieu:
            add(8, lambda: _("Conçu pour les tiers-lieux, comme votre projet"))
        else:
            add(0, lambda: _("Conçu pour les tiers-lieux : sans points, votre projet n'en est pas un"))

    n = c.pending_referrals
    if n >= BUSY_THRESHOLD:
        add(
            -min(MAX_LOAD_PENALTY, n - BUSY_THRESHOLD + 1),
            lambda: (
                ngettext(
                    "Structure très sollicitée : %(n)d demande en attente",
                    "Structure très sollicitée : %(n)d demandes en attente",
                    n,
                )
                % {"n": n}
            ),
        )

    if c.kind == "funding" and not c.permanent and c.closes_on is not None:
        days = (c.closes_on - today).days
        if 0 <= days <= CLOSING_SOON_DAYS:
            add(
                10,
                lambda: (
                    ngettext("Date limite dans %(n)d jour", "Date limite dans %(n)d jours", days)
                    % {"n": days}
                ),
            )
    return ranked


def territory_reason(c: Candidate) -> str:
    return {
        0: _("Couvre votre commune"),
        1: _("Couvre votre intercommunalité (%(name)s)"),
        2: _("Couvre votre département (%(name)s)"),
        3: _("Couvre toute la région"),
        4: _("Offre nationale"),
    }[c.coverage_rank] % {"name": c.coverage_name}


def order_key(r: Ranked) -> tuple:
    """Items covering a stated need first, then the best score, the narrower territory, the name, the id."""
    return (r.misses_needs, -r.score, r.candidate.coverage_rank, r.candidate.name, r.candidate.id)


def contenders(profile, candidates: list[Candidate], today: datetime.date, limit: int) -> list[Candidate]:
    """The eligible candidates that can still reach the top `limit` once their load is known.

    The load only removes points (at most MAX_LOAD_PENALTY) and never changes whether an item covers a need, so an
    item behind the `limit`-th best one's group (covering a need or not), or in its group with a score below its
    score minus that penalty, before load, can never enter the top: its load need not be fetched.
    """
    scored = [score(profile, c, today) for c in candidates if eligible(profile, c, today)]
    if len(scored) <= limit:
        return [r.candidate for r in scored]
    last = sorted(scored, key=order_key)[limit - 1]
    threshold = last.score - MAX_LOAD_PENALTY
    return [
        r.candidate
        for r in scored
        if r.misses_needs < last.misses_needs
        or (r.misses_needs == last.misses_needs and r.score >= threshold)
    ]


def rank_candidates(profile, candidates: list[Candidate], today: datetime.date, limit: int) -> list[Ranked]:
    ranked = [score(profile, c, today) for c in candidates if eligible(profile, c, today)]
    ranked.sort(key=order_key)
    return ranked[:limit]
