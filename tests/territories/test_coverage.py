"""Coverage through the hierarchy: a zone covers a commune when it is the commune, its EPCI, département, région or France."""

import pytest

from maille.territories import selectors
from maille.territories.models import Contour

pytestmark = pytest.mark.django_db

TRELAZE = "49353"


@pytest.mark.parametrize(
    ("level", "code", "covers"),
    [
        ("commune", TRELAZE, True),
        ("commune", "49007", False),  # Angers
        ("epci", "244900015", True),
        ("epci", "200071314", False),  # an EPCI of another département
        ("departement", "49", True),
        ("departement", "53", False),
        ("region", "52", True),
        ("region", "53", False),
        ("france", "", True),
    ],
)
def test_zone_covers_a_commune_through_the_hierarchy(level, code, covers):
    assert selectors.zone_covers(level, code, TRELAZE) is covers


def test_zone_covers_takes_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.zone_covers("epci", "244900015", TRELAZE)


def test_covering_zones_filter_finds_every_level_narrowest_first(django_assert_num_queries):
    trelaze = selectors.get_commune(TRELAZE)
    with django_assert_num_queries(1):
        rows = list(
            Contour.objects.filter(selectors.covering_zones_q(trelaze, "level", "code"))
            .order_by(selectors.narrowness("level"))
            .values_list("level", "code")
        )
    assert rows == [("commune", TRELAZE), ("epci", "244900015"), ("departement", "49")]


def test_a_commune_without_epci_is_covered_by_its_departement_but_no_epci():
    ile_d_yeu = selectors.get_commune("85113")
    levels = set(
        Contour.objects.filter(selectors.covering_zones_q(ile_d_yeu, "level", "code")).values_list(
            "level", flat=True
        )
    )
    assert levels == {"commune", "departement"}


def test_commune_in_zone_filter_for_a_cross_region_epci_keeps_only_its_communes():
    from maille.territories.models import Commune

    # CA Redon Agglomération spans Brittany and Pays de la Loire.
    in_region = Commune.objects.filter(selectors.commune_in_zone_q("epci", "243500741"), region_id="52")
    everywhere = Commune.objects.filter(selectors.commune_in_zone_q("epci", "243500741"))
    assert 0 < in_region.count() < everywhere.count()
