"""Journey: a pilot opens the strategy, records a measurement of an indicator that an indicator-based action follows,
and sees the objective's progress move; the public page, the indicator map and the committees are accessible."""

from datetime import date

from django.core.management import call_command
from playwright.sync_api import expect

from maille.accounts.enums import MemberRole
from maille.strategy.models import Indicator, Measurement
from tests.e2e.conftest import assert_accessible
from tests.factories import MembershipFactory

INDICATOR = "Structures de l'ESS accompagnées en consolidation (démo)"


def log_in(page, email):
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_pilot_records_a_measurement_and_sees_the_objective_progress_move(page):
    call_command("load_demo", verbosity=0)
    pilot = MembershipFactory(role=MemberRole.PILOT).user

    # The public page, from the main nav: the 14 objectives, no action.
    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Stratégie").click()
    expect(page.get_by_role("link", name="O14 —", exact=False)).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("DEMO-3")
    expect(page.get_by_role("heading", name="Comment l'avancement est calculé")).to_be_visible()
    assert_accessible(page)

    log_in(page, pilot.email)
    page.goto(page.base_url + "/pilotage/public/")
    page.get_by_role("link", name="Espace de pilotage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pilotage de la stratégie")
    expect(page.get_by_role("link", name="DEMO-3", exact=False)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="O3 —", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("O3 — Consolider")
    progress = page.locator("[data-objective-progress]")
    expect(progress).to_contain_text("67,5 %")
    expect(page.get_by_role("row", name="DEMO-3", exact=False)).to_contain_text("ses indicateurs")
    expect(page.locator("canvas[data-chart]").first).to_be_visible()
    assert_accessible(page)

    # A bad value: a French error, nothing written.
    form = page.locator("form.stacked-form")
    form.get_by_label("Indicateur").select_option(label=INDICATOR)
    form.get_by_label("Date de la mesure").fill(date.today().isoformat())
    form.get_by_label("Valeur").fill("beaucoup")
    form.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez un nombre")
    assert not Measurement.objects.filter(date=date.today()).exists()
    assert_accessible(page)

    form = page.locator("form.stacked-form")
    form.get_by_label("Indicateur").select_option(label=INDICATOR)
    form.get_by_label("Date de la mesure").fill(date.today().isoformat())
    form.get_by_label("Valeur").fill("120")
    form.get_by_label("Source :").fill("Bilan du comité technique")
    form.get_by_role("button", name="Enregistrer la mesure").click()
    expect(page.get_by_role("status")).to_contain_text("Mesure enregistrée")
    expect(page.locator("[data-objective-progress]")).to_contain_text("87,5 %")
    indicator = Indicator.objects.get(name=INDICATOR)
    assert Measurement.objects.get(indicator=indicator, date=date.today(), zone_level="").value == 120
    assert_accessible(page)

    # The indicator's map by département, then the committees.
    page.get_by_role("link", name=f"carte de « {INDICATOR} » par département").click()
    expect(page.locator("#map path.leaflet-interactive")).to_have_count(5)
    expect(page.get_by_role("table")).to_contain_text("Mayenne (53)")
    assert_accessible(page)

    page.goto(page.base_url + "/pilotage/comites/")
    expect(page.locator("tr.overdue").first).to_contain_text("En retard")
    assert_accessible(page)
