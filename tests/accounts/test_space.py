"""« Mon espace »: the landing page after login shows one section per role, each with content or what to do next."""

from decimal import Decimal

import pytest
from django.urls import reverse

from maille.accounts.enums import MemberRole
from maille.directory.enums import OrganisationKind, PublicationStatus
from maille.directory.models import Competence
from maille.projects.enums import FundingLineStatus
from maille.projects.models import FundingLine
from maille.referrals.enums import ReferralStatus
from tests.factories import (
    FundingSchemeFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    ProjectFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/mon-espace/"


def _page(client, user) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_logging_in_lands_on_my_space_and_the_menu_links_it(client):
    UserFactory(email="camille@example.org")
    response = client.post(
        "/comptes/login/", {"login": "camille@example.org", "password": "mot-de-passe-test"}
    )
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page">Mon espace' in page


def test_someone_without_a_role_is_told_how_to_file_a_project(client):
    page = _page(client, UserFactory())
    assert "Aucun projet n'est encore rattaché à votre compte" in page
    assert reverse("projects:intake") in page
    for other in ("space-advisor", "space-funder", "space-epci", "space-pilot", "space-staff"):
        assert other not in page


def test_a_holder_sees_their_projects_with_their_status_and_link(client):
    holder = UserFactory()
    project = ProjectFactory(holder=holder, name="Café associatif du port")
    ReferralFactory(project=project)
    ProjectFactory(name="Projet de quelqu'un d'autre")
    page = _page(client, holder)
    assert "Café associatif du port" in page and "En attente de réponse" in page
    assert (
        f"/projets/mes-projets/{project.pk}/" in page and reverse("projects:file", args=[project.pk]) in page
    )
    assert "Projet de quelqu&#x27;un d&#x27;autre" not in page


def test_an_advisor_sees_inbox_counts_offers_and_competences_to_keep_up_to_date(client):
    membership = MembershipFactory(organisation__name="Réseau test")
    organisation, advisor = membership.organisation, membership.user
    offer = OfferFactory(organisation=organisation, name="Appui au modèle économique")
    draft = OfferFactory(
        organisation=organisation, name="Offre en préparation", status=PublicationStatus.DRAFT
    )
    ReferralFactory(offer=offer)
    ReferralFactory(offer=offer, project=ProjectFactory(), status=ReferralStatus.ACCEPTED)
    Competence.objects.create(
        advisor=advisor,
        organisation=organisation,
        need="gouvernance",
        zone_level="departement",
        zone_code="53",
    )
    detected = ProjectFactory(detected_by=organisation, name="Projet repéré au marché")
    page = _page(client, advisor)
    assert "Réseau test" in page
    assert '?onglet=a-traiter">À traiter</a> <span class="badge">1</span>' in page
    assert '?onglet=en-cours">En cours</a> <span class="badge">1</span>' in page
    assert reverse("directory:offer_edit", args=[offer.slug]) in page
    assert reverse("directory:offer_edit", args=[draft.slug]) in page
    assert reverse("directory:offer_create", args=[organisation.slug]) in page
    assert "Gouvernance" in page and "Mayenne" in page
    assert reverse("projects:file", args=[detected.pk]) in page
    assert reverse("projects:detected") in page


def test_an_advisor_of_an_empty_organisation_is_told_what_to_do_next(client):
    page = _page(client, MembershipFactory().user)
    assert "pas encore d'offre" in page
    assert "Aucune compétence" in page
    assert "Aucun projet repéré" in page
    assert "Aucun projet n'est encore rattaché" not in page


def test_a_funder_sees_their_schemes_and_the_projects_that_ask_them_for_money(client):
    membership = MembershipFactory(
        role=MemberRole.FUNDER, organisation__kind=OrganisationKind.FUNDER, organisation__slug="fonds-test"
    )
    funder = membership.organisation
    scheme = FundingSchemeFactory(funders=[funder], name="Prêt d'amorçage")
    shared = ProjectFactory(name="Recyclerie partagée")
    hidden = ProjectFactory(name="Projet confidentiel", consent_to_share=False)
    FundingLine.objects.create(
        project=shared,
        funder=funder,
        scheme=scheme,
        expense="Camion",
        amount_asked=Decimal(12000),
        amount_granted=Decimal(10000),
        status=FundingLineStatus.GRANTED,
    )
    FundingLine.objects.create(
        project=hidden,
        funder=funder,
        expense="Stock",
        amount_asked=Decimal(5000),
        status=FundingLineStatus.ASKED,
    )
    FundingLine.objects.create(
        project=shared,
        funder=funder,
        expense="Idée",
        amount_asked=Decimal(1),
        status=FundingLineStatus.PLANNED,
    )
    other = FundingLine.objects.create(
        project=shared, funder=OrganisationFactory(), expense="Ailleurs", amount_asked=Decimal(3)
    )
    page = _page(client, membership.user)
    assert reverse("funding:scheme", args=[scheme.slug]) in page
    assert (
        "Recyclerie partagée" in page and "Projet confidentiel" not in page and "Projet non partagé" in page
    )
    assert '<td class="num">12\xa0000,00</td>' in page and '<td class="num">10\xa0000,00</td>' in page
    assert "Accordé" in page and "Demandé" in page
    assert "Idée" not in page and other.expense not in page
    assert reverse("projects:funder", args=["fonds-test"]) in page


def test_a_funder_without_schemes_or_requests_is_told_what_to_do_next(client):
    membership = MembershipFactory(role=MemberRole.FUNDER, organisation__kind=OrganisationKind.FUNDER)
    page = _page(client, membership.user)
    assert "Aucun dispositif" in page and "Aucune demande ne vous est encore adressée" in page


def test_an_epci_agent_sees_their_territory_and_the_projects_their_organisation_detected(client):
    membership = MembershipFactory(
        role=MemberRole.EPCI_AGENT,
        organisation__kind=OrganisationKind.EPCI,
        organisation__epci_id="244900015",
    )
    detected = ProjectFactory(detected_by=membership.organisation, name="Recyclerie de Trélazé")
    ProjectFactory(detected_by=OrganisationFactory(), name="Repéré par d'autres")
    page = _page(client, membership.user)
    assert reverse("territories:epci", args=["244900015"]) in page
    assert "Angers Loire Métropole" in page and "<dt>Communes</dt><dd>29</dd>" in page
    assert "Population" in page
    assert "Recyclerie de Trélazé" in page and reverse("projects:file", args=[detected.pk]) in page
    assert "Repéré par d&#x27;autres" not in page
    assert "arriveront avec l'observatoire" in page


def test_a_pilot_finds_the_pilot_area(client):
    membership = MembershipFactory(role=MemberRole.PILOT)
    page = _page(client, membership.user)
    assert reverse("strategy:tree") in page and reverse("strategy:committees") in page
    assert "Rapport de gouvernance" in page
    assert "space-staff" not in page


def test_staff_find_the_desk_or_inbox_and_the_back_office(client):
    page = _page(client, UserFactory(is_staff=True))
    assert reverse("admin:index") in page
    assert f'href="{reverse("referrals:desk")}"' in page and f'href="{reverse("referrals:inbox")}"' in page
    assert "Aucun projet n'est encore rattaché" not in page


def test_the_page_needs_a_bounded_number_of_queries_for_someone_with_every_role(
    client, django_assert_max_num_queries
):
    user = UserFactory(is_staff=True)
    for role, kind, extra in (
        (MemberRole.ADVISOR, OrganisationKind.ESS_NETWORK, {}),
        (MemberRole.FUNDER, OrganisationKind.FUNDER, {}),
        (MemberRole.EPCI_AGENT, OrganisationKind.EPCI, {"epci_id": "244900015"}),
        (MemberRole.PILOT, OrganisationKind.OTHER, {}),
    ):
        for _ in range(3):
            organisation = OrganisationFactory(kind=kind, **extra)
            MembershipFactory(user=user, organisation=organisation, role=role)
            offer = OfferFactory(organisation=organisation)
            for _ in range(3):
                project = ProjectFactory(holder=user, detected_by=organisation)
                ReferralFactory(project=project, offer=offer)
                FundingLine.objects.create(
                    project=project,
                    funder=organisation,
                    expense="Dépense",
                    amount_asked=Decimal(100),
                    status=FundingLineStatus.ASKED,
                )
            FundingSchemeFactory(funders=[organisation])
            Competence.objects.create(
                advisor=user, organisation=organisation, need="emploi", zone_level="region", zone_code="52"
            )
    client.force_login(user)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.status_code == 200
