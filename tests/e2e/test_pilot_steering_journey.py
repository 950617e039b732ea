"""Journey (issue 13): a pilot creates an action for O6 with two pilot organisations and a computed indicator, records
a COPIL with a decision due next month, and sees O6's progress change; an advisor of one pilot organisation updates
that action's status from « Mon espace » and cannot edit another action; the report lists the decision. axe-core
clean on every page (and no page wider than a phone)."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from maille.accounts.enums import MemberRole
from maille.directory.models import Organisation
from maille.strategy.enums import ActionStatus
from maille.strategy.models import Action, Decision, Indicator
from tests.e2e.conftest import assert_accessible
from tests.factories import MembershipFactory

DECISION = "Présenter la cartographie partagée aux EPCI"


def log_in(page, email):
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def o6_progress(page) -> str:
    page.goto(page.base_url + "/pilotage/objectifs/O6/")
    return page.locator("[data-objective-progress]").inner_text()


def test_pilots_steer_and_an_action_pilot_updates_its_action_from_its_space(page):
    call_command("load_demo", verbosity=0)
    network = Organisation.objects.get(slug="demo-reseau-accompagnement")
    cress = Organisation.objects.get(slug="cress-pdl")
    pilot = MembershipFactory(role=MemberRole.PILOT).user
    advisor = MembershipFactory(organisation=network, role=MemberRole.ADVISOR).user
    today = timezone.localdate()
    due = today + timedelta(days=30)

    log_in(page, pilot.email)
    before = o6_progress(page)

    # The guided entry of the actions, then a new action for O6 with two pilot organisations.
    page.goto(page.base_url + "/pilotage/")
    page.get_by_role("link", name="Saisir les actions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir les actions")
    expect(page.get_by_role("heading", name="objectifs sans action")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Nouvelle action").first.click()
    form = page.locator("form.stacked-form")
    form.get_by_label("Code :").fill("A6-1")
    form.get_by_label("Intitulé :").fill("Animation du réseau des accompagnateurs (fictive)")
    form.get_by_label("Poids pour O6", exact=False).fill("2")
    form.get_by_label("Organisations pilotes").select_option(label=[network.name, cress.name])
    form.get_by_label("Statut :").select_option("done")
    form.get_by_label("Budget prévu (€, facultatif)").fill("45 000 €")
    assert_accessible(page)
    form.get_by_role("button", name="Créer l'action").click()
    expect(page.get_by_role("status")).to_contain_text("Action A6-1 créée")
    expect(page.get_by_role("heading", level=1)).to_contain_text("A6-1")
    assert_accessible(page)

    # A computed indicator for the action.
    page.get_by_role("link", name="Ajouter un indicateur").click()
    form = page.locator("form.stacked-form")
    form.get_by_label("Nom").fill("Mises en relation acceptées (A6-1)")
    form.get_by_label("Calculé par la plateforme").check()
    form.get_by_label("Calcul (indicateur calculé)").select_option("referrals_accepted")
    page.locator("details#calculs summary").click()
    assert_accessible(page)
    form.get_by_role("button", name="Enregistrer l'indicateur").click()
    expect(page.get_by_role("status")).to_contain_text("créé")
    assert_accessible(page)
    indicator = Indicator.objects.get(name="Mises en relation acceptées (A6-1)")
    assert indicator.computation == "referrals_accepted"
    assert list(indicator.actions.values_list("code", flat=True)) == ["A6-1"]

    # A COPIL today, and its decision due next month.
    page.goto(page.base_url + "/pilotage/comites/")
    page.get_by_role("link", name="Nouvelle réunion").click()
    form = page.locator("form.stacked-form")
    form.get_by_label("Instance").select_option("copil")
    form.get_by_label("Date :", exact=True).fill(today.isoformat())
    form.get_by_label("Organisations présentes").select_option(label=[network.name, cress.name])
    form.get_by_label("Ordre du jour").fill("1. Les actions de l'objectif O6")
    assert_accessible(page)
    form.get_by_role("button", name="Enregistrer la réunion").click()
    expect(page.get_by_role("status")).to_contain_text("Réunion enregistrée")
    page.get_by_role("link", name="Ajouter une décision", exact=False).first.click()
    form = page.locator("form.stacked-form")
    form.get_by_label("Décision :", exact=True).fill(DECISION)
    form.get_by_label("Organisation responsable").select_option(label=network.name)
    form.get_by_label("Échéance").fill(due.isoformat())
    form.get_by_label("Actions concernées").select_option(
        label="A6-1 — Animation du réseau des accompagnateurs (fictive)"
    )
    assert_accessible(page)
    form.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_role("status")).to_contain_text("Décision enregistrée")
    expect(page.locator(f"#decision-{Decision.objects.get(text=DECISION).pk}")).to_contain_text(DECISION)
    assert_accessible(page)

    # O6's progress has changed at once.
    after = o6_progress(page)
    assert after != before, (before, after)
    assert_accessible(page)

    # The governance report lists the decision.
    response = page.request.get(
        page.base_url
        + f"/pilotage/rapport.xlsx?from={today.replace(month=1, day=1).isoformat()}&to={today.isoformat()}"
    )
    assert response.ok
    workbook = load_workbook(io.BytesIO(response.body()))
    assert DECISION in [row[2] for row in workbook["Décisions"].iter_rows(min_row=2, values_only=True)]

    # The advisor of one pilot organisation: from « Mon espace » to the action's update.
    page.context.clear_cookies()
    log_in(page, advisor.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")
    section = page.get_by_role("region", name="Actions de la stratégie que vous pilotez")
    expect(section).to_contain_text("A6-1")
    assert_accessible(page)
    section.get_by_role("link", name="A6-1 —", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A6-1")
    expect(page.get_by_role("link", name="Modifier l'action")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Mettre à jour le statut et l'avancement").click()
    page.get_by_label("Statut").select_option("well_under_way")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer l'avancement").click()
    expect(page.get_by_role("status")).to_contain_text("Avancement de l'action A6-1 enregistré")
    expect(page.locator(".facts").first).to_contain_text("Bien avancée")
    expect(page.get_by_role("region", name="Historique des modifications")).to_contain_text(
        "Réalisée → Bien avancée"
    )
    assert_accessible(page)
    assert Action.objects.get(code="A6-1").status == ActionStatus.WELL_UNDER_WAY

    # Another action (piloted by other organisations): not for them.
    page.goto(page.base_url + "/pilotage/actions/DEMO-1/avancement/")
    expect(page.get_by_role("main")).to_contain_text("Seules les organisations qui pilotent l'action DEMO-1")
    assert_accessible(page)
    assert Action.objects.get(code="DEMO-1").status == ActionStatus.STARTED
