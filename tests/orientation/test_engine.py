"""The orientation engine as a pure function: hard filters, scoring terms with their reasons, deterministic order."""

import datetime

import pytest

from maille.orientation.engine import Candidate, contenders, eligible, rank_candidates, score
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


# --- The stated needs come first ---


def test_an_item_covering_none_of_the_stated_needs_ranks_below_every_item_covering_one():
    p = profile(stage="creation", needs=["financement", "gouvernance"], legal_form="scic", employees=0)
    # Everything but the needs in its favour: the commune, a specialised stage, a SCIC specialist.
    strong_but_off = candidate(
        id=1,
        name="Permanence locale",
        stages=["creation"],
        needs=["commercial"],
        legal_forms=["scic"],
        coverage_rank=0,
    )
    weak_but_on = candidate(
        id=2,
        name="Information régionale",
        stages=["emergence", "creation", "developpement"],
        needs=["financement"],
        organisation_kind="autre",
        coverage_rank=3,
    )
    assert score(p, strong_but_off, TODAY).score > score(p, weak_but_on, TODAY).score
    ranked = rank_candidates(p, [strong_but_off, weak_but_on], TODAY, limit=5)
    assert [r.candidate.id for r in ranked] == [2, 1]
    assert "Ne couvre aucun des besoins indiqués (financement, gouvernance)" in ranked[1].reasons
    assert not any("Ne couvre aucun" in reason for reason in ranked[0].reasons)


def test_the_same_needs_rule_holds_for_funding_schemes():
    p = profile(needs=["financement"])
    off = candidate(kind="funding", id=1, needs=["formation"], legal_forms=["association"], coverage_rank=2)
    on = candidate(
        kind="funding", id=2, needs=["financement"], organisation_kind="financeur", coverage_rank=4
    )
    ranked = rank_candidates(p, [off, on], TODAY, limit=5)
    assert [r.candidate.id for r in ranked] == [2, 1]
    assert any("Ne couvre aucun des besoins indiqués" in reason for reason in ranked[1].reasons)


def test_without_stated_needs_nothing_is_held_back_or_said():
    p = profile(needs=[])
    local = candidate(id=1, needs=["commercial"], coverage_rank=0)
    regional = candidate(id=2, needs=["financement"], coverage_rank=3)
    ranked = rank_candidates(p, [regional, local], TODAY, limit=5)
    assert [r.candidate.id for r in ranked] == [1, 2]
    assert not any("besoins" in reason for r in ranked for reason in r.reasons)


def test_contenders_never_drop_an_item_covering_a_need_for_one_covering_none():
    p = profile()
    off = [candidate(id=i, name=f"Hors besoin {i}", needs=["locaux"], coverage_rank=0) for i in range(4)]
    on = [
        candidate(
            id=10 + i,
            name=f"Dans le besoin {i}",
            needs=["emploi"],
            coverage_rank=4,
            organisation_kind="autre",
        )
        for i in range(3)
    ]
    kept = contenders(p, off + on, TODAY, limit=3)
    assert {c.id for c in on} <= {c.id for c in kept}
    for c in off + on:
        c.pending_referrals = 12 if c.id == 10 else 0
    assert [r.candidate.id for r in rank_candidates(p, kept, TODAY, 3)] == [
        r.candidate.id for r in rank_candidates(p, off + on, TODAY, 3)
    ]


# --- Traits count only for a holder who has them ---


def test_an_item_for_tiers_lieux_gains_nothing_for_a_holder_who_is_not_a_tiers_lieu():
    p = profile(stage="developpement", needs=["gouvernance"], tiers_lieu=False)
    common = {"stages": ["developpement"], "needs": ["gouvernance"], "coverage_rank": 3}
    plain = candidate(id=1, name="Appui à la gouvernance", **common)
    network_offer = candidate(id=2, name="Piloter un tiers-lieu", for_tiers_lieux=True, **common)
    place = candidate(id=3, name="Espaces partagés", organisation_kind="tiers_lieu", **common)
    plain_score = score(p, plain, TODAY).score
    for item in (network_offer, place):
        ranked = score(p, item, TODAY)
        assert ranked.score <= plain_score
        assert "Conçu pour les tiers-lieux : sans points, votre projet n'en est pas un" in ranked.reasons
        assert not any("spécialiste de l'ESS" in reason for reason in ranked.reasons)
    assert rank_candidates(p, [place, network_offer, plain], TODAY, 3)[0].candidate.id == 1


def test_an_item_for_tiers_lieux_counts_for_a_tiers_lieu():
    p = profile(stage="developpement", needs=["cooperation"], tiers_lieu=True)
    common = {"stages": ["developpement"], "needs": ["cooperation"], "coverage_rank": 3}
    plain = score(p, candidate(id=1, **common), TODAY)
    for_them = score(p, candidate(id=2, for_tiers_lieux=True, **common), TODAY)
    assert for_them.score > plain.score
    assert "Conçu pour les tiers-lieux, comme votre projet" in for_them.reasons
    assert any("spécialiste de l'ESS" in reason for reason in for_them.reasons)
    assert not any("tiers-lieux" in reason for reason in plain.reasons)


def test_collective_and_social_innovation_count_only_for_holders_who_have_them():
    item = candidate(needs=["modele_economique", "cooperation", "innovation_sociale"])
    neither = score(profile(), item, TODAY)
    both = score(profile(collective=True, social_innovation=True), item, TODAY)
    assert both.score == neither.score + 10
    assert not any("collectifs" in r or "innovation sociale" in r for r in neither.reasons)
    assert "Accompagne les projets collectifs" in both.reasons
    assert "Accompagne l'innovation sociale" in both.reasons


# --- The holder's territory decides between items of the same fit ---


@pytest.mark.parametrize("local_rank", [0, 1, 2])
def test_a_local_item_beats_a_region_wide_one_with_the_same_fit(local_rank):
    p = profile()
    regional = candidate(id=1, name="A régionale", coverage_rank=3)
    local = candidate(id=2, name="Z locale", coverage_rank=local_rank)
    assert [r.candidate.id for r in rank_candidates(p, [regional, local], TODAY, 2)] == [2, 1]


@pytest.mark.parametrize(
    ("regional_edge", "kind"),
    [
        ({"stages": ["consolidation"]}, "offer"),  # specialised in the stage, the local one is not
        ({"legal_forms": ["association"]}, "offer"),  # a specialist of the holder's legal form
        ({"employees_min": 1}, "offer"),  # made for employers
        ({"organisation_kind": "reseau_ess"}, "offer"),  # an ESS network for an ESS-specific need
        ({"permanent": False, "closes_on": TODAY + datetime.timedelta(days=10)}, "funding"),  # closing soon
    ],
)
def test_the_territory_outweighs_any_single_other_term(regional_edge, kind):
    p = profile(needs=["emploi"])
    base = {"kind": kind, "needs": ["emploi"], "organisation_kind": "autre"}
    local = candidate(
        id=1, name="Z locale", coverage_rank=2, stages=["consolidation", "creation", "emergence"], **base
    )
    regional = candidate(
        id=2, name="A régionale", coverage_rank=3, **{**base, "stages": local.stages, **regional_edge}
    )
    assert [r.candidate.id for r in rank_candidates(p, [regional, local], TODAY, 2)] == [1, 2]


def test_a_better_fit_on_needs_still_beats_a_closer_territory():
    p = profile()
    local_one_need = candidate(id=1, needs=["emploi"], coverage_rank=0)
    regional_two_needs = candidate(id=2, needs=["emploi", "modele_economique"], coverage_rank=3)
    assert rank_candidates(p, [local_one_need, regional_two_needs], TODAY, 2)[0].candidate.id == 2
