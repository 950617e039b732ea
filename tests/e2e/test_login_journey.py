"""Journey: a demo advisor logs in with e-mail and password; the login page is accessible."""

from django.core.management import call_command
from playwright.sync_api import expect

from maille.accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import assert_accessible


def test_demo_advisor_logs_in_and_out(page):
    call_command("load_demo", verbosity=0)
    page.goto(page.base_url + "/")
    page.get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Courriel").fill("accompagnateur@demo.maille.fr")
    page.get_by_label("Mot de passe :").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
