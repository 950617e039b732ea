"""Orientation over the region's real directory for a few realistic holders: the stated needs come first, the
tiers-lieu trait counts only for tiers-lieux, the holder's territory wins between items of the same fit."""

import datetime

import pytest

from maille.orientation.services import Profile, recommend

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)
LAVAL = "53130"
NANTES = "44109"
NO_NEED = "Ne couvre aucun des besoins indiqués"
TIERS_LIEU_FOR_OTHERS = "Conçu pour les tiers-lieux : sans points, votre projet n'en est pas un"
TIERS_LIEU_FOR_THEM = "Conçu pour les tiers-lieux, comme votre projet"


def everything(**values) -> tuple[list, list]:
    result = recommend(Profile(**values), limit=100, today=TODAY)
    return result.offers, result.funding


def assert_needs_first(items):
    """Every item covering a stated need comes before every item covering none, and says which it is."""
    misses = [any(reason.startswith(NO_NEED) for reason in item.reasons) for item in items]
    assert misses == sorted(misses), [item.name for item in items]
    for item, missed in zip(items, misses, strict=True):
        assert missed or any(reason.startswith("Répond à vos besoins") for reason in item.reasons)


def position(items, text: str) -> int:
    return next(i for i, item in enumerate(items) if text in item.name)


def scic_in_laval(**changes):
    values = {
        "commune_code": LAVAL,
        "stage": "creation",
        "needs": ["financement", "gouvernance"],
        "legal_form": "scic",
        "collective": True,
    }
    return {**values, **changes}


def tiers_lieu_in_nantes(**changes):
    values = {
        "commune_code": NANTES,
        "stage": "developpement",
        "needs": ["locaux", "cooperation"],
        "legal_form": "association",
        "employees": 3,
        "years_of_existence": 4,
        "collective": True,
        "tiers_lieu": True,
    }
    return {**values, **changes}


def test_a_scic_in_creation_in_laval_gets_offers_and_schemes_for_its_needs_first():
    offers, funding = everything(**scic_in_laval())
    assert offers and funding
    assert_needs_first(offers)
    assert_needs_first(funding)
    assert "Couvre votre département (Mayenne)" in offers[0].reasons


def test_in_loire_atlantique_the_cooperative_movements_schemes_come_before_the_generic_ones():
    """The Scop union of the West covers Loire-Atlantique only (its own zoning): its schemes, made for SCOP and SCIC,
    rank before the generic regional ones there, and are not offered in Laval."""
    _offers, funding = everything(**scic_in_laval(commune_code=NANTES))
    assert_needs_first(funding)
    assert position(funding, "Sofiscop") < position(funding, "Garantie France Active")
    _offers, in_laval = everything(**scic_in_laval())
    assert not any("Sofiscop" in item.name for item in in_laval)


def test_the_tiers_lieux_network_gets_no_points_from_a_scic_that_is_not_a_tiers_lieu():
    offers, _funding = everything(**scic_in_laval())
    for item in offers:
        if item.organisation_name == "CAP Tiers-Lieux":
            assert TIERS_LIEU_FOR_OTHERS in item.reasons
            assert not any("spécialiste de l'ESS" in reason for reason in item.reasons)
    # The CRESS's regional support of cooperation hubs covers the same need, and comes first.
    assert position(offers, "pôles territoriaux de coopération") < position(offers, "Piloter un tiers-lieu")


def test_a_tiers_lieu_association_in_nantes_gets_the_tiers_lieux_network_higher():
    as_tiers_lieu, _ = everything(**tiers_lieu_in_nantes())
    as_other, _ = everything(**tiers_lieu_in_nantes(tiers_lieu=False))
    assert_needs_first(as_tiers_lieu)
    network = "Centre de ressources et rencontres des tiers-lieux"
    item = as_tiers_lieu[position(as_tiers_lieu, network)]
    assert TIERS_LIEU_FOR_THEM in item.reasons
    assert position(as_tiers_lieu, network) < position(as_other, network)
    other = as_other[position(as_other, network)]
    assert item.score > other.score and TIERS_LIEU_FOR_OTHERS in other.reasons


def test_in_nantes_the_metropole_s_own_place_comes_first():
    offers, _ = everything(**tiers_lieu_in_nantes())
    assert offers[0].organisation_name == "Les Ecossolies"
    assert "Couvre votre intercommunalité (Nantes Métropole)" in offers[0].reasons


def test_an_employer_association_in_laval_gets_its_departement_s_dla_before_the_regional_one():
    offers, funding = everything(
        commune_code=LAVAL,
        stage="consolidation",
        needs=["modele_economique", "emploi"],
        legal_form="association",
        employees=12,
        years_of_existence=8,
    )
    assert offers[0].organisation_name == "DLA de la Mayenne"
    assert position(offers, "DLA de la Mayenne") < position(offers, "DLA régional")
    assert_needs_first(offers)
    assert_needs_first(funding)
    # An item covering neither need says so, and names them.
    missing = next(item for item in offers if any(r.startswith(NO_NEED) for r in item.reasons))
    assert f"{NO_NEED} (modèle économique, emploi et fonction employeur)" in missing.reasons


@pytest.mark.parametrize(
    ("commune", "platform"), [(LAVAL, "Initiative Mayenne"), ("72181", "Initiative Sarthe")]
)
def test_a_creator_in_laval_or_le_mans_gets_the_departements_own_initiative_platform_first(commune, platform):
    """Issue 11: a holder in Mayenne or Sarthe no longer gets region-wide offers only."""
    offers, funding = everything(
        commune_code=commune, stage="creation", needs=["financement"], legal_form="non_creee"
    )
    assert offers[0].organisation_name == platform
    assert any("Couvre votre département" in reason for reason in offers[0].reasons)
    assert platform in [scheme.organisation_name for scheme in funding[:5]]  # its honour loan
