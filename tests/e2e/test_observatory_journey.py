"""Journey: a visitor opens the observatory, clicks an EPCI on the map and downloads its CSV; an advisor signals a
newly created establishment to their network (a detected project, prefilled from the register). Every page is checked
with axe-core and at a phone's width. A small generated register (a few thousand rows of région 52) keeps it fast."""

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible

STOCK_DATE = datetime.date(2026, 11, 30)


@pytest.fixture(scope="session")
def small_register(tmp_path_factory):
    """Both stock files of a generated regional extract (8,000 establishments, all in région 52), made once."""
    from maille.observatory.generator import generate

    return generate(
        8000, tmp_path_factory.mktemp("sirene"), seed=52, as_of=STOCK_DATE, region="52", region_share=1
    )


@pytest.fixture
def snapshot(small_register):
    from maille.observatory.services import import_sirene

    units, places = small_register
    return import_sirene(units, places, "52", STOCK_DATE, is_demo=True).snapshot


def log_in(page, user):
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_a_visitor_opens_an_epci_from_the_map_and_downloads_its_csv(page, snapshot):
    page.goto(page.base_url + "/observatoire/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observatoire de l'ESS — Pays de la Loire")
    expect(page.get_by_role("main")).to_contain_text("Données de démonstration")
    paths = page.locator("#map path.leaflet-interactive")
    expect(paths.first).to_be_attached()
    assert paths.count() > 50  # the région's EPCI
    assert_accessible(page)

    # The map's EPCI link to their page; click the largest one at a point of its own (not a neighbour's).
    page.locator("#map").scroll_into_view_if_needed()
    target = page.evaluate(
        """() => {
          let best = null;
          for (const path of document.querySelectorAll('#map path.leaflet-interactive')) {
            if (path.getAttribute('fill') === 'none') continue;
            const box = path.getBoundingClientRect();
            if (!best || box.width * box.height > best.area) best = {area: box.width * box.height, path};
          }
          const box = best.path.getBoundingClientRect();
          for (let dy = 0; dy < box.height / 2; dy += 4) {
            for (const sign of [1, -1]) {
              const x = box.x + box.width / 2, y = box.y + box.height / 2 + sign * dy;
              if (document.elementFromPoint(x, y) === best.path) return {x, y};
            }
          }
          return null;
        }"""
    )
    assert target, "aucun point cliquable sur la carte"
    page.mouse.click(target["x"], target["y"])
    expect(page).to_have_url(re.compile(r"/observatoire/territoire/epci/\d{9}/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("(EPCI)")
    name = heading.inner_text().removeprefix("L'ESS — ").removesuffix(" (EPCI)")
    expect(page.locator("#map path.leaflet-interactive").first).to_be_attached()  # its communes
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.locator("p.downloads").first.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("ess-epci-") and download.suggested_filename.endswith(
        ".csv"
    )
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("Répartition,Catégorie,Établissements de l'ESS,Salariés (estimation)")
    total = page.locator("#ess-establishments").inner_text().replace("\u202f", "").replace("\xa0", "")
    assert f"Total,{name},{total}," in content


def test_an_advisor_signals_a_newly_created_establishment_to_their_network(page, snapshot):
    from maille.accounts.enums import MemberRole
    from maille.observatory.models import Establishment
    from maille.projects.models import Project
    from tests.factories import MembershipFactory

    membership = MembershipFactory(role=MemberRole.ADVISOR, organisation__name="Réseau test des coopératives")
    log_in(page, membership.user)
    page.goto(page.base_url + "/observatoire/reperage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Listes de repérage — Pays de la Loire")
    expect(page.locator("#new-title")).to_contain_text("Créations depuis le")
    assert_accessible(page)

    newest = (
        page.locator("#new-title ~ .table-scroll")
        .first.get_by_role("link", name="Signaler à un réseau")
        .first
    )
    expect(newest).to_be_visible()
    newest.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("à un réseau")
    siret = page.url.rstrip("/").rsplit("/", 1)[-1]
    establishment = Establishment.objects.get(snapshot=snapshot, siret=siret)
    expect(page.get_by_label("SIRET", exact=False)).to_have_value(siret)  # a Luhn-valid generated SIRET
    assert_accessible(page)

    page.get_by_label("Nom et prénom du porteur").fill("Camille Martin")
    page.get_by_label("Adresse e-mail du porteur").fill("camille.martin@example.org")
    page.get_by_label("Financement").check()
    if not page.get_by_label("Emplois (équivalents temps plein)").input_value():
        page.get_by_label("Emplois (équivalents temps plein)").fill("2")
    page.get_by_role("button", name="Enregistrer le projet repéré").click()
    expect(page.get_by_role("status").or_(page.locator(".message-success")).first).to_contain_text(
        "Le projet est enregistré"
    )
    assert_accessible(page)

    project = Project.objects.get()
    assert project.detected_by == membership.organisation
    assert project.siret == siret and project.commune_id == establishment.commune_code
