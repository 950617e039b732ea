"""The orientation engine as a pure function: hard filters, scoring terms with their reasons, deterministic order."""

import datetime

from maille.orientation.engine import Candidate, eligible, rank_candidates, score
from maille.orientation.services import Profile

TODAY = datetime.date(2026, 12, 1)


def profile(**changes):
    values = {
        "commune_code": "53130",
        "stage": "consolidation",
        "needs": ["modele_economique", "emploi"],
        "legal_form": "association",
        "employees": 12,
        "years_of_existence": 8,
    }
    values.update(changes)
    return Profile(**values)


def candidate(**changes):
    values = {
        "kind": "offer",
        "id": 1,
        "slug": "o",
        "name": "Offre",
        "organisation_id": 1,
        "organisation_name": "Réseau",
        "organisation_kind": "reseau_ess",
        "stages": ["consolidation"],
        "needs": ["modele_economique"],
        "legal_forms": [],
        "coverage_rank": 2,
        "coverage_name": "Mayenne",
    }
    values.update(changes)
    return Candidate(**values)


def test_hard_filters_stage_legal_form_size_age_and_deadline():
    p = profile()
    assert eligible(p, candidate(), TODAY)
    assert not eligible(p, candidate(stages=["creation"]), TODAY)
    assert not eligible(p, candidate(legal_forms=["scop"]), TODAY)
    assert not eligible(profile(employees=0), candidate(employees_min=1), TODAY)
    assert not eligible(p, candidate(employees_max=10), TODAY)
    assert not eligible(p, candidate(years_min=10), TODAY)
    assert not eligible(p, candidate(years_max=3), TODAY)
    assert not eligible(p, candidate(published=False), TODAY)
    closed = candidate(kind="funding", permanent=False, closes_on=datetime.date(2026, 11, 30))
    assert not eligible(p, closed, TODAY)
    assert eligible(p, candidate(kind="funding", permanent=True, closes_on=datetime.date(2020, 1, 1)), TODAY)


def test_the_employer_only_nature_comes_from_the_offer_data():
    dla = candidate(employees_min=1, legal_forms=["association", "scop", "scic"])
    assert eligible(profile(employees=12), dla, TODAY)
    assert not eligible(profile(employees=0), dla, TODAY)


def test_each_scoring_term_gives_its_reason():
    ranked = score(
        profile(collective=True),
        candidate(needs=["modele_economique", "emploi", "cooperation"], employees_min=1),
        TODAY,
    )
    text = " | ".join(ranked.reasons)
    assert "Spécialisé dans votre stade" in text
    assert "Répond à vos besoins : modèle économique, emploi" in text
    assert "Couvre votre département (Mayenne)" in text
    assert "Réseau spécialiste de l'ESS" in text
    assert "structure employeuse" in text
    assert "projets collectifs" in text


def test_narrower_territory_scores_higher():
    p = profile()
    scores = [score(p, candidate(coverage_rank=rank), TODAY).score for rank in range(5)]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


def test_classic_path_for_generic_needs_and_ess_network_for_specific_ones():
    p = profile(needs=["commercial"], stage="creation")
    classic = score(
        p, candidate(stages=["creation"], needs=["commercial"], organisation_kind="reseau_creation"), TODAY
    )
    assert any("Parcours classique" in reason for reason in classic.reasons)
    p = profile(needs=["gouvernance"], stage="creation")
    ess = score(
        p, candidate(stages=["creation"], needs=["gouvernance"], organisation_kind="reseau_ess"), TODAY
    )
    assert any("spécialiste de l'ESS" in reason for reason in ess.reasons)


def test_a_busy_organisation_loses_points_and_says_why():
    calm = score(profile(), candidate(pending_referrals=0), TODAY)
    busy = score(profile(), candidate(pending_referrals=9), TODAY)
    assert busy.score < calm.score
    assert any("9 demandes en attente" in reason for reason in busy.reasons)


def test_a_close_deadline_is_a_reason():
    soon = candidate(kind="funding", permanent=False, closes_on=TODAY + datetime.timedelta(days=12))
    assert "Date limite dans 12 jours" in score(profile(), soon, TODAY).reasons


def test_order_is_deterministic_and_limited():
    candidates = [candidate(id=i, name=f"Offre {i % 3}", coverage_rank=i % 5) for i in range(20)]
    first = rank_candidates(profile(), candidates, TODAY, limit=5)
    second = rank_candidates(profile(), list(reversed(candidates)), TODAY, limit=5)
    assert [r.candidate.id for r in first] == [r.candidate.id for r in second]
    assert len(first) == 5


def test_contenders_keep_every_item_that_could_still_make_the_top():
    from maille.orientation.engine import contenders

    strong = [
        candidate(id=i, name=f"Forte {i}", needs=["modele_economique", "emploi"], coverage_rank=0)
        for i in range(3)
    ]
    weak = [
        candidate(
            id=10 + i,
            name=f"Faible {i}",
            needs=[],
            coverage_rank=4,
            stages=["consolidation", "creation", "emergence"],
        )
        for i in range(5)
    ]
    kept = contenders(profile(), strong + weak, TODAY, limit=2)
    assert {c.id for c in strong} <= {c.id for c in kept}
    assert not {c.id for c in weak} & {c.id for c in kept}
    # Whatever the loads, ranking the contenders gives the same top as ranking everyone.
    for c in strong + weak:
        c.pending_referrals = 20 if c.id == 0 else 0
    assert [r.candidate.id for r in rank_candidates(profile(), kept, TODAY, 2)] == [
        r.candidate.id for r in rank_candidates(profile(), strong + weak, TODAY, 2)
    ]
