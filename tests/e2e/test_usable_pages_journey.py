"""Journeys of a person on a phone: the menu button, commune suggestions in the intake, empty states, error and
account pages — each page accessible and no wider than a 390 px screen."""

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, assert_accessible, new_context


def test_on_a_phone_the_menu_folds_behind_a_button(browser, live_server):
    from tests.conftest import ensure_reference_data

    ensure_reference_data()
    context = new_context(browser, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="Menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Financements")).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="Financements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver un financement")
    assert_accessible(page)
    context.close()


def test_without_javascript_the_menu_stays_open(browser, live_server):
    context = new_context(browser, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Financements")).to_be_visible()
    context.close()


def test_the_intake_suggests_communes_as_you_type(page):
    page.goto(page.base_url + "/projets/nouveau/")
    page.get_by_label("Nom et prénom").fill("Camille Martin")
    page.get_by_label("Adresse e-mail").fill("camille.martin@example.org")
    page.get_by_label("J'accepte que mon dossier").check()
    page.get_by_role("button", name="Continuer").click()

    field = page.get_by_label("Commune du projet")
    field.press_sequentially("Trela", delay=30)
    suggestion = page.locator("#commune-suggestions button.suggestion").first
    expect(suggestion).to_contain_text("Trélazé")
    assert_accessible(page)
    field.press("ArrowDown")
    expect(suggestion).to_be_focused()
    page.keyboard.press("Enter")
    expect(field).to_have_value("Trélazé")
    expect(field).to_be_focused()
    expect(page.locator('input[name="commune_code"]')).to_have_value("49353")
    expect(page.locator("#commune-suggestions button.suggestion")).to_have_count(0)


def test_empty_searches_error_and_account_pages_fit_a_phone(page):
    for path, heading in [
        ("/annuaire/?commune=Laval&q=zzzintrouvable", "Trouver un accompagnement"),
        ("/financements/?commune=Laval&q=zzzintrouvable", "Trouver un financement"),
        ("/territoires/communes/?q=zzzintrouvable", "Rechercher une commune"),
        ("/une-page-qui-n-existe-pas/", "Page introuvable"),
        ("/comptes/login/code/", None),
        ("/comptes/password/reset/", None),
        ("/comptes/signup/", None),
        ("/territoires/epci/244900015/", None),
        ("/pilotage/", None),
    ]:
        page.goto(page.base_url + path)
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if "zzz" in path:
            expect(page.get_by_text("Essayez")).to_be_visible()
        assert_accessible(page)
