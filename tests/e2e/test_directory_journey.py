"""Journeys in the directory and funding: find the Mayenne DLA from Laval; subscribe to a funding alert."""

from playwright.sync_api import expect

from maille.funding.models import SavedSearch
from tests.e2e.conftest import assert_accessible


def test_visitor_searches_laval_in_consolidation_and_opens_the_dla_offer(page):
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Trouver un accompagnement").first.click()
    assert_accessible(page)

    page.get_by_label("Commune").fill("Laval")
    page.get_by_label("Stade du projet").select_option("consolidation")
    page.get_by_role("button", name="Rechercher").click()

    results = page.locator(".cards-list")
    expect(results).to_contain_text("DLA de la Mayenne")
    expect(results).not_to_contain_text("DLA de Loire-Atlantique")
    assert_accessible(page)

    results.get_by_role("link", name="Accompagnement DLA de la Mayenne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accompagnement DLA de la Mayenne")
    expect(page.get_by_role("main")).to_contain_text("Mayenne")
    assert_accessible(page)


def test_visitor_subscribes_to_funding_alerts(page):
    page.goto(page.base_url + "/financements/")
    page.get_by_label("Commune").fill("53130")
    page.get_by_label("Stade du projet").select_option("creation")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="Être prévenu des nouveaux dispositifs")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Votre adresse e-mail").fill("porteuse@example.org")
    page.get_by_role("button", name="Créer l'alerte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre alerte")
    saved = SavedSearch.objects.get(email="porteuse@example.org")
    assert (saved.commune, saved.stage) == ("53130", "creation")

    page.goto(page.base_url + f"/financements/alertes/{saved.token}/confirmer/")
    page.get_by_role("button", name="Confirmer l'alerte").click()
    expect(page.get_by_role("main")).to_contain_text("Votre alerte est active")
    assert_accessible(page)


def test_competences_map_is_accessible(page):
    page.goto(page.base_url + "/annuaire/competences/")
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(5)
    assert_accessible(page)


def test_member_of_an_organisation_updates_its_offer(page):
    from maille.accounts.enums import MemberRole
    from maille.directory.models import Offer, Organisation
    from tests.factories import MembershipFactory

    membership = MembershipFactory(
        organisation=Organisation.objects.get(slug="dla-53"), role=MemberRole.ADVISOR
    )
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(membership.user.email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.goto(page.base_url + "/annuaire/offres/dla-53-accompagnement/")
    page.get_by_role("link", name="Modifier cette offre").click()
    assert_accessible(page)
    page.get_by_label("Zones couvertes").fill("departement 99")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("alert")).to_contain_text("Corrigez les champs signalés")
    assert_accessible(page)

    page.get_by_label("Zones couvertes").fill("departement 53")
    page.get_by_label("Nom :", exact=True).fill("Accompagnement DLA de la Mayenne (mis à jour)")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accompagnement DLA de la Mayenne (mis à jour)")
    assert Offer.objects.get(slug="dla-53-accompagnement").name.endswith("(mis à jour)")
