"""A funder's page: the requests and grants on its own schemes, by stage and département, downloadable; members
with the funder role (and staff) only."""

from decimal import Decimal

import pytest

from maille.accounts.enums import MemberRole
from maille.directory.enums import OrganisationKind
from maille.projects.models import FundingLine
from maille.territories.models import Commune
from tests.factories import MembershipFactory, OrganisationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def funder():
    organisation = OrganisationFactory(
        slug="financeur-test", name="Financeur test", kind=OrganisationKind.FUNDER
    )
    nantes = Commune.objects.get(code="44109")
    laval_project = ProjectFactory(name="Projet partagé", stage="creation")
    hidden = ProjectFactory(
        name="Projet secret", stage="consolidation", commune=nantes, consent_to_share=False
    )
    FundingLine.objects.create(
        project=laval_project,
        funder=organisation,
        expense="Étude",
        amount_asked=Decimal(5000),
        status="asked",
    )
    FundingLine.objects.create(
        project=hidden,
        funder=organisation,
        expense="Emploi",
        amount_asked=Decimal(10000),
        amount_granted=Decimal(8000),
        status="granted",
    )
    FundingLine.objects.create(  # only planned: not a request yet
        project=laval_project,
        funder=organisation,
        expense="Locaux",
        amount_asked=Decimal(1),
        status="planned",
    )
    FundingLine.objects.create(  # another funder's line
        project=laval_project,
        funder=OrganisationFactory(),
        expense="Autre",
        amount_asked=Decimal(7),
        status="asked",
    )
    return organisation


def test_a_funder_member_sees_requests_by_stage_and_departement(client, funder):
    client.force_login(MembershipFactory(organisation=funder, role=MemberRole.FUNDER).user)
    response = client.get("/projets/financeur/financeur-test/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Projet partagé" in html and "Projet secret" not in html and "Projet non partagé" in html
    assert "Locaux" not in html and "Autre" not in html
    assert "Mayenne (53)" in html and "Loire-Atlantique (44)" in html
    assert "Création ou reprise" in html and "Consolidation (fragilité, relance)" in html
    assert "8\xa0000,00" in html


def test_the_requests_download_as_csv_and_xlsx(client, funder):
    client.force_login(MembershipFactory(organisation=funder, role=MemberRole.FUNDER).user)
    response = client.get("/projets/financeur/financeur-test/", {"format": "csv"})
    content = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert content.splitlines()[0].startswith("Date,Projet,Commune")
    assert len(content.splitlines()) == 3 and "Projet secret" not in content
    response = client.get("/projets/financeur/financeur-test/", {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get("/projets/financeur/financeur-test/", {"format": "pdf"}).status_code == 400


def test_the_page_is_restricted_to_its_funder_members_and_staff(client, funder):
    assert client.get("/projets/financeur/financeur-test/").status_code == 302
    client.force_login(MembershipFactory(organisation=funder, role=MemberRole.ADVISOR).user)
    assert client.get("/projets/financeur/financeur-test/").status_code == 403
    client.force_login(MembershipFactory(role=MemberRole.FUNDER).user)  # a funder of another organisation
    assert client.get("/projets/financeur/financeur-test/").status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/projets/financeur/financeur-test/").status_code == 200
