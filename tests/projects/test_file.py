"""The shared project file: who sees it (403 in French otherwise), the timeline members add to, and the funding
plan with its totals, its double-funding flag and its gap."""

from decimal import Decimal

import pytest

from maille.accounts.enums import MemberRole
from maille.directory.enums import OrganisationKind
from maille.projects.models import FundingLine, ProjectBudget, TimelineEntry
from tests.factories import (
    FundingSchemeFactory,
    MembershipFactory,
    OrganisationFactory,
    ProjectFactory,
    ReferralFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def file_url(project):
    return f"/projets/{project.pk}/"


@pytest.fixture
def referred():
    """A consenting project referred to an organisation, and an advisor of that organisation."""
    referral = ReferralFactory(project=ProjectFactory(holder_email="porteuse@example.org"))
    advisor = MembershipFactory(organisation=referral.organisation, role=MemberRole.ADVISOR).user
    return referral.project, advisor


def test_anonymous_visitors_are_sent_to_login(client, referred):
    project, _advisor = referred
    response = client.get(file_url(project))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_staff_see_the_file_with_the_holder_contact(client, referred):
    project, _advisor = referred
    client.force_login(UserFactory(is_staff=True))
    html = client.get(file_url(project)).content.decode()
    assert project.name in html and "porteuse@example.org" in html


def test_a_member_of_a_referred_organisation_sees_the_file_only_with_consent(client, referred):
    project, advisor = referred
    client.force_login(advisor)
    response = client.get(file_url(project))
    assert response.status_code == 200
    assert "En attente de réponse" in response.content.decode()
    project.consent_to_share = False
    project.consented_at = None
    project.save()
    response = client.get(file_url(project))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert "porteuse@example.org" not in response.content.decode()


def test_a_member_of_another_organisation_is_denied(client, referred):
    project, _advisor = referred
    client.force_login(MembershipFactory(role=MemberRole.ADVISOR).user)
    assert client.get(file_url(project)).status_code == 403
    assert client.post(f"/projets/{project.pk}/historique/", {"timeline-kind": "note"}).status_code == 403


def test_a_member_adds_to_the_timeline_and_it_shows_newest_first(client, referred):
    project, advisor = referred
    TimelineEntry.objects.create(project=project, kind="milestone", text="Première rencontre")
    client.force_login(advisor)
    response = client.post(
        f"/projets/{project.pk}/historique/",
        {
            "timeline-kind": "support_action",
            "timeline-text": "Diagnostic réalisé",
            "timeline-happened_on": "2099-01-02",
        },
    )
    assert response.status_code == 302
    entry = TimelineEntry.objects.get(project=project, text="Diagnostic réalisé")
    assert entry.author == advisor and entry.kind == "support_action"
    referral = project.referrals.get()
    assert entry.organisation == referral.organisation
    html = client.get(file_url(project)).content.decode()
    assert html.index("Diagnostic réalisé") < html.index("Première rencontre")


def test_a_bad_timeline_entry_is_refused_and_nothing_written(client, referred):
    project, advisor = referred
    client.force_login(advisor)
    response = client.post(
        f"/projets/{project.pk}/historique/", {"timeline-kind": "referral", "timeline-text": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Ce champ est obligatoire" in html
    assert not TimelineEntry.objects.filter(project=project).exists()


def test_a_plain_holder_account_sees_but_does_not_add(client):
    holder = UserFactory()
    project = ProjectFactory(holder=holder)
    client.force_login(holder)
    html = client.get(file_url(project)).content.decode()
    assert "Ajouter au dossier" not in html
    response = client.post(
        f"/projets/{project.pk}/historique/", {"timeline-kind": "note", "timeline-text": "x"}
    )
    assert response.status_code == 403


def test_funding_plan_totals_double_funding_and_gap(client, referred):
    project, advisor = referred
    region = OrganisationFactory(name="Région test", kind=OrganisationKind.FUNDER)
    bank = OrganisationFactory(name="Banque test", kind=OrganisationKind.FUNDER)
    client.force_login(advisor)

    def add(funder, expense, asked, granted="", status="asked"):
        return client.post(
            f"/projets/{project.pk}/financement/",
            {
                "line-funder": funder.pk,
                "line-expense": expense,
                "line-amount_asked": asked,
                "line-amount_granted": granted,
                "line-status": status,
            },
        )

    assert add(region, "Poste de coordination", "20000", "15000", "granted").status_code == 302
    assert add(bank, "Poste de coordination", "10000").status_code == 302
    assert add(bank, "Véhicule", "8000", status="refused").status_code == 302
    assert (
        client.post(f"/projets/{project.pk}/financement/besoin/", {"budget-total_need": "50000"}).status_code
        == 302
    )
    assert ProjectBudget.objects.get(project=project).total_need == Decimal(50000)
    assert project.timeline.filter(kind="funding").count() == 3

    html = client.get(file_url(project)).content.decode()
    assert "dépense couverte par plusieurs financeurs : Poste de coordination" in html
    assert 'id="total-asked">30\xa0000,00' in html  # the refused line is left out
    assert 'id="total-granted">15\xa0000,00' in html
    assert "besoin non couvert de 20\xa0000,00 €" in html


def test_a_funding_line_with_a_scheme_of_another_funder_is_refused(client, referred):
    project, advisor = referred
    funder = OrganisationFactory(kind=OrganisationKind.FUNDER)
    scheme = FundingSchemeFactory()  # carried by another funder
    client.force_login(advisor)
    response = client.post(
        f"/projets/{project.pk}/financement/",
        {
            "line-funder": funder.pk,
            "line-scheme": scheme.pk,
            "line-expense": "Étude",
            "line-amount_asked": "1000",
            "line-status": "asked",
        },
    )
    assert response.status_code == 400
    assert "Ce dispositif n&#x27;est pas porté par ce financeur." in response.content.decode()
    assert not FundingLine.objects.filter(project=project).exists()


def test_a_negative_budget_and_a_huge_timeline_text_are_refused(client, db):
    from maille.accounts.enums import MemberRole
    from maille.projects.models import ProjectBudget
    from tests.factories import MembershipFactory, ProjectFactory

    membership = MembershipFactory(role=MemberRole.ADVISOR)
    project = ProjectFactory(detected_by=membership.organisation)
    client.force_login(membership.user)
    response = client.post(f"/projets/{project.pk}/financement/besoin/", {"budget-total_need": "-5 000"})
    assert response.status_code == 400
    assert not ProjectBudget.objects.filter(project=project).exists()
    response = client.post(
        f"/projets/{project.pk}/historique/", {"timeline-kind": "note", "timeline-text": "x" * 100_000}
    )
    assert response.status_code == 400
    assert "limité à 5 000 caractères" in response.content.decode()
    assert not project.timeline.filter(kind="note").exists()
