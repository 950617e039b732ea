"""Journey: a visitor finds a commune from the home page, then its intercommunality; each page is accessible."""

from playwright.sync_api import expect

from tests.conftest import ensure_reference_data
from tests.e2e.conftest import assert_accessible, new_context


def test_visitor_types_trelaze_reaches_its_page_and_sees_angers_loire_metropole(page):
    page.goto(page.base_url + "/")
    assert_accessible(page)

    page.get_by_label("Rechercher une commune").fill("Trélazé")
    result = page.locator("#commune-results").get_by_role("link", name="Trélazé")
    expect(result).to_be_visible()
    assert_accessible(page)
    result.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Trélazé")
    expect(page.get_by_role("main")).to_contain_text("Angers Loire Métropole")
    expect(page.locator("#map path.leaflet-interactive").first).to_be_attached()
    assert_accessible(page)

    page.get_by_role("link", name="CU Angers Loire Métropole").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CU Angers Loire Métropole")
    expect(page.get_by_role("table")).to_contain_text("Trélazé")
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(30)
    assert_accessible(page)


def test_search_works_without_javascript_through_the_form(browser, live_server):
    ensure_reference_data()
    context = new_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Rechercher une commune").fill("49800")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Trélazé")).to_be_visible()
    context.close()


def test_pages_fit_a_phone_screen(browser, live_server):
    ensure_reference_data()
    context = new_context(browser, viewport={"width": 375, "height": 740})
    page = context.new_page()
    for path in ["/", "/territoires/communes/49353/", "/territoires/epci/244900015/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} déborde de {overflow} px sur un téléphone"
    context.close()
