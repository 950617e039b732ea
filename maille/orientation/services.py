"""Orientation entry point for the other apps: `recommend(profile)` → ranked offers and funding with reasons.

(Interface first; the engine lands in `engine.py` and the candidate loading in `selectors.py`.)
"""

from dataclasses import dataclass, field


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


def recommend(profile: Profile, limit: int = 8) -> Recommendations:
    from .selectors import load_candidates
    from .engine import rank

    candidates = load_candidates(profile)
    return rank(profile, candidates, limit=limit)
