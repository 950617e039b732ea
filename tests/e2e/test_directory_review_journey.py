"""Journey of the review queue: staff review a scheme imported from Aides-territoires (a recorded response) and
publish it; then the public finds its page, which says where it comes from."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from maille.directory.enums import Origin, PublicationStatus
from maille.funding.models import FundingScheme
from tests.e2e.conftest import assert_accessible
from tests.factories import UserFactory

AIDS = Path(__file__).resolve().parent.parent / "funding" / "fixtures" / "aides_territoires_aids.json"
NAME = "Soutenir les projets associatifs d'utilité sociale (exemple enregistré)"


def test_staff_review_an_imported_scheme_and_publish_it(page):
    call_command("sync_aides_territoires", "--file", str(AIDS), stdout=StringIO(), verbosity=0)
    scheme = FundingScheme.objects.get(origin=Origin.AIDES_TERRITOIRES, external_id="910001")
    assert scheme.status == PublicationStatus.TO_REVIEW
    assert page.goto(page.base_url + f"/financements/dispositifs/{scheme.slug}/").status == 404

    reviewer = UserFactory(is_staff=True)
    page.goto(page.base_url + "/comptes/login/")
    page.get_by_label("Courriel").fill(reviewer.email)
    page.get_by_label("Mot de passe :").fill("mot-de-passe-test")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()

    page.goto(page.base_url + "/annuaire/a-verifier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fiches à relire et à vérifier")
    queue = page.get_by_role("table", name="Dispositifs de financement importés")
    expect(queue).to_contain_text(NAME)
    assert_accessible(page)

    queue.get_by_role("link", name=NAME, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Fiche importée depuis Aides-territoires")
    expect(main).to_contain_text("Elle attend la relecture")
    assert_accessible(page)

    page.get_by_role("button", name="Publier cette fiche").click()
    expect(page.get_by_role("main")).to_contain_text("est publiée")
    expect(page.get_by_role("table", name="Dispositifs de financement importés")).not_to_contain_text(NAME)
    assert_accessible(page)
    scheme.refresh_from_db()
    assert scheme.status == PublicationStatus.PUBLISHED and scheme.last_verified_by_user == reviewer

    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(page.base_url + f"/financements/dispositifs/{scheme.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_role("main")).to_contain_text("Vérifié le")
    expect(page.get_by_role("main")).to_contain_text("Fiche importée depuis Aides-territoires")
    assert_accessible(page)
