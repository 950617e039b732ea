"""Journeys: each demo account logs in with its e-mail and password and lands on « Mon espace », with something to
do for its role; the page is accessible (axe-core) and no wider than a 390 px phone."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from maille.accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible, assert_fits_phone

# e-mail, then texts the space shows for that role (from the demo data)
SPACES = {
    "holder": ("porteur@demo.maille.fr", ["Mes projets", "Atelier vélo solidaire de Saumur (démo)"]),
    "advisor": (
        "accompagnateur@demo.maille.fr",
        ["Offres à tenir à jour", "Diagnostic de modèle économique (démo)", "Compétences à tenir à jour"],
    ),
    "funder": (
        "financeur@demo.maille.fr",
        ["Vos dispositifs", "Prêt solidaire de démarrage (démo)", "Camion de collecte"],
    ),
    "epci": (
        "epci@demo.maille.fr",
        ["Mon territoire", "Angers Loire Métropole", "Recyclerie de quartier à Trélazé (démo)"],
    ),
    "pilot": ("pilote@demo.maille.fr", ["Pilotage de la stratégie", "Comités et décisions"]),
    "staff": ("equipe@demo.maille.fr", ["Équipe de la plateforme", "Back-office"]),
}


def _log_in(page, email: str) -> None:
    page.goto(page.base_url + "/comptes/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/mon-espace/$"))
    expect(page.get_by_role("heading", level=1, name="Mon espace")).to_be_visible()


def _check_space(page, role: str) -> None:
    call_command("load_demo", verbosity=0)
    email, texts = SPACES[role]
    _log_in(page, email)
    main = page.locator("main")
    for text in texts:
        expect(main.get_by_text(text, exact=False).first).to_be_visible()
    expect(main.get_by_text("Aucun projet n'est encore rattaché à votre compte")).to_have_count(0)
    assert_accessible(page)
    assert_fits_phone(page)


def test_the_demo_holder_lands_on_their_projects(page):
    _check_space(page, "holder")
    expect(page.locator("main").get_by_text("En attente de réponse").first).to_be_visible()


def test_the_demo_advisor_lands_on_inbox_counts_offers_and_competences(page):
    _check_space(page, "advisor")
    pending = page.locator("main").get_by_role("link", name="À traiter")
    expect(pending).to_have_attribute("href", "/mises-en-relation/?onglet=a-traiter")


def test_the_demo_funder_lands_on_their_schemes_and_requests(page):
    _check_space(page, "funder")
    expect(page.get_by_role("link", name=re.compile("Toutes les demandes adressées"))).to_be_visible()


def test_the_demo_epci_agent_lands_on_their_territory_and_detected_project(page):
    _check_space(page, "epci")
    expect(page.get_by_role("link", name="CU Angers Loire Métropole", exact=True)).to_have_attribute(
        "href", "/territoires/epci/244900015/"
    )
    expect(page.get_by_role("link", name=re.compile("L'espace ESS de"))).to_have_attribute(
        "href", "/vitrine/epci/244900015/"
    )


def test_the_demo_pilot_lands_on_the_pilot_area(page):
    _check_space(page, "pilot")
    expect(page.get_by_role("link", name="Comités et décisions")).to_have_attribute(
        "href", "/pilotage/comites/"
    )


def test_the_demo_staff_member_lands_on_the_desk_and_back_office(page):
    _check_space(page, "staff")
    expect(page.locator("main").get_by_role("link", name="Back-office")).to_have_attribute("href", "/admin/")
