"""The competences map counts each competence exactly once: in its département, or on the line of the competences
of the whole region (or of several départements), so that its total is the number of competences."""

import pytest
from django.core.management import call_command

from maille.directory.models import Competence, Organisation
from maille.directory.selectors import competence_tally, competences
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LAVAL = "53130"
NANTES_METROPOLE = "244400404"
ACROSS_53_AND_72 = "247200090"  # an EPCI with communes in Mayenne and in Sarthe


def add_competence(zone_level, zone_code, need="gouvernance"):
    return Competence.objects.create(
        advisor=UserFactory(),
        organisation=Organisation.objects.get(slug="cress-pdl"),
        need=need,
        zone_level=zone_level,
        zone_code=zone_code,
    )


def page_tally(client, **query):
    response = client.get("/annuaire/competences/", query)
    assert response.status_code == 200
    return response.context["tally"], response.content.decode()


def test_the_map_total_equals_the_number_of_demo_competences(client):
    call_command("load_demo", verbosity=0)
    tally, html = page_tally(client)
    number = Competence.objects.count()
    assert number > 0
    assert sum(tally.by_departement.values()) + tally.several + tally.outside == number == tally.total
    # No département reaches more competences than exist (the old join counted thousands).
    assert max(tally.by_departement.values()) <= number
    assert f'id="competences-total">{number}<' in html
    assert "Chaque compétence est comptée une seule fois" in html


def test_the_total_follows_the_need_filter(client):
    call_command("load_demo", verbosity=0)
    tally, _html = page_tally(client, need="modele_economique")
    assert tally.total == Competence.objects.filter(need="modele_economique").count()


def test_each_zone_is_counted_once_where_it_lies():
    before = competence_tally(competences())
    add_competence("commune", LAVAL)
    add_competence("epci", NANTES_METROPOLE)
    add_competence("departement", "85")
    add_competence("region", "52")
    add_competence("france", "")
    add_competence("epci", ACROSS_53_AND_72)
    add_competence("departement", "35")  # Ille-et-Vilaine, in another region
    after = competence_tally(competences())

    gained = {code: after.by_departement[code] - before.by_departement[code] for code in after.by_departement}
    assert gained == {"44": 1, "49": 0, "53": 1, "72": 0, "85": 1}
    assert after.several - before.several == 3  # the region, France and the EPCI across two départements
    assert after.outside - before.outside == 1
    assert after.total == Competence.objects.count()


def test_the_page_shows_the_separate_lines_and_stays_consistent_with_the_table(client):
    add_competence("region", "52", need="juridique")
    add_competence("departement", "35", need="juridique")
    tally, html = page_tally(client, need="juridique")
    assert tally.several >= 1 and tally.outside == 1
    assert "Toute la région, la France ou plusieurs départements" in html
    assert "Hors de la région" in html
    assert tally.total == Competence.objects.filter(need="juridique").count()
