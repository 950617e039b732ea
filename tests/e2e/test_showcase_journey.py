"""Journeys of the showcase: a person registers to a full event and lands on the waiting list, then gets the place
when someone cancels by their e-mailed link; an EPCI agent updates their partnership; a holder withdraws consent and
their story disappears. Every page visited is axe-core clean and fits a 390 px phone."""

import re

from django.core import mail
from playwright.sync_api import expect

from maille.accounts.demo import DEMO_PASSWORD
from maille.projects.services import holder_token
from maille.showcase import services
from maille.showcase.models import Partnership, Registration
from tests.e2e.conftest import assert_accessible
from tests.factories import ProjectFactory
from tests.showcase.factories import EventFactory, StoryFactory


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_full_event_puts_a_newcomer_on_the_waiting_list_then_promotes_them_on_a_cancellation(page):
    event = EventFactory(title="Atelier coopération (journey)", capacity=1)
    _registration, first_link = services.register(event, "Première Personne", "premiere@example.org")
    page.goto(page.base_url + "/vitrine/evenements/")
    assert_accessible(page)
    page.get_by_role("link", name="Atelier coopération (journey)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Atelier coopération (journey)")
    expect(page.locator("#places")).to_contain_text("0 sur 1 disponibles")
    assert_accessible(page)
    page.get_by_label("Nom et prénom").fill("Deuxième Personne")
    page.get_by_label("Adresse e-mail").fill("deuxieme@example.org")
    page.get_by_role("button", name="Rejoindre la liste d'attente").click()
    expect(page.locator(".messages")).to_contain_text("vous êtes sur la liste d'attente")
    expect(page.locator("#places")).to_contain_text("1 personne en liste d'attente")
    assert_accessible(page)
    waiting = Registration.objects.get(event=event, email="deuxieme@example.org")
    assert waiting.status == "waiting"

    # The first person cancels from their e-mail's link: the place goes to the person waiting, who is told.
    mail.outbox.clear()
    page.goto(page.base_url + _path(first_link))
    expect(page.locator("#registration-status")).to_have_text("Inscription confirmée")
    assert_accessible(page)
    page.get_by_role("button", name="Annuler mon inscription").click()
    expect(page.locator("#registration-status")).to_have_text("Annulée")
    assert_accessible(page)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert any(
        m.to == ["deuxieme@example.org"] and "Une place s'est libérée" in m.subject for m in mail.outbox
    )
    page.goto(page.base_url + f"/vitrine/evenements/{event.slug}/")
    expect(page.locator("#places")).to_contain_text("0 sur 1 disponibles")


def load_demo():
    """The demo accounts and the showcase's demo (faster than every app's `load_demo`)."""
    from maille.accounts import demo as accounts_demo
    from maille.showcase import demo

    accounts_demo.load()
    demo.load_tiers_lieux()
    demo.load()


def test_an_epci_agent_updates_their_partnership(page):
    load_demo()
    page.goto(page.base_url + "/comptes/login/")
    page.locator("input[name=login]").fill("epci@demo.maille.fr")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/mon-espace/$"))
    page.get_by_role("link", name="L'espace ESS de CU Angers Loire Métropole").click()
    expect(page.locator("#partnership-status")).to_contain_text("En discussion")
    assert_accessible(page)
    page.get_by_role("link", name="Mettre à jour le partenariat").click()
    assert_accessible(page)
    page.get_by_label("Signé").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#error-summary")).to_contain_text("Indiquez la date de signature")
    assert_accessible(page)
    page.get_by_label("Date de signature").fill("2026-09-15")
    page.get_by_label("Personne à contacter").fill("Chargée de mission ESS (démo)")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#partnership-status")).to_contain_text("Signé")
    expect(page.locator("main")).to_contain_text("15 septembre 2026")
    assert_accessible(page)
    assert Partnership.objects.get(epci_id="244900015").status == "signed"
    # Another EPCI's space offers no edit.
    page.goto(page.base_url + "/vitrine/epci/200083392/")
    expect(page.get_by_role("link", name="Mettre à jour le partenariat")).to_have_count(0)


def test_a_holder_withdraws_consent_and_their_story_disappears(page):
    project = ProjectFactory(name="Recyclerie des Bords de Mayenne")
    story = StoryFactory(
        title="La recyclerie qui répare le quartier (journey)",
        project=project,
        consent_given_at="2026-01-05T09:00Z",
    )
    page.goto(page.base_url + "/vitrine/reussites/")
    expect(page.get_by_role("link", name=story.title)).to_be_visible()
    assert_accessible(page)
    page.goto(page.base_url + f"/vitrine/reussites/{story.pk}/accord/{holder_token(project)}/")
    expect(page.locator("#consent-state")).to_contain_text("la réussite est publiée")
    assert_accessible(page)
    page.get_by_role("button", name="Retirer mon accord").click()
    expect(page.locator("#consent-state")).to_contain_text("Vous avez retiré votre accord")
    assert_accessible(page)
    page.goto(page.base_url + "/vitrine/reussites/")
    expect(page.get_by_role("link", name=story.title)).to_have_count(0)
    page.goto(page.base_url + f"/vitrine/reussites/{story.slug}/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(story.title)


def test_the_showcase_pages_are_accessible(page):
    load_demo()
    for path in (
        "/vitrine/",
        "/vitrine/tiers-lieux/",
        "/vitrine/formations/",
        "/vitrine/epci/",
        "/vitrine/reussites/ressourcerie-laval-demo/",
        "/vitrine/tiers-lieux/solilab-nantes/",
    ):
        page.goto(page.base_url + path)
        assert_accessible(page)
