"""Who keeps the project file after a referral ends: a declined or expired referral closes it (403 with the site's
page, and in the API), a closed one keeps a read-only view, an open one (pending or accepted) can complete it."""

import pytest

from maille.accounts.enums import MemberRole
from maille.directory.enums import OrganisationKind
from maille.projects import perms
from maille.projects.models import FundingLine, ProjectBudget, TimelineEntry
from maille.projects.selectors import projects_visible_to
from maille.referrals.enums import Outcome, ReferralStatus
from tests.factories import (
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    ProjectFactory,
    ReferralFactory,
)

pytestmark = pytest.mark.django_db


def referral_in(status, **project):
    """A referral in `status` to a new organisation, and one of its advisors."""
    extra = {}
    if status == ReferralStatus.DECLINED:
        extra["decline_reason"] = "Hors de notre champ."
    if status == ReferralStatus.CLOSED:
        extra["outcome"] = Outcome.HELPED
    referral = ReferralFactory(status=status, project=ProjectFactory(**project), **extra)
    advisor = MembershipFactory(organisation=referral.organisation, role=MemberRole.ADVISOR).user
    return referral, advisor


def file_url(project):
    return f"/projets/{project.pk}/"


def post_everything(client, project):
    """Every form of the file, posted; returns the status codes."""
    funder = OrganisationFactory(kind=OrganisationKind.FUNDER)
    return [
        client.post(
            f"/projets/{project.pk}/historique/", {"timeline-kind": "note", "timeline-text": "Une note"}
        ).status_code,
        client.post(
            f"/projets/{project.pk}/financement/",
            {
                "line-funder": funder.pk,
                "line-expense": "Étude",
                "line-amount_asked": "1 000",
                "line-status": "asked",
            },
        ).status_code,
        client.post(f"/projets/{project.pk}/financement/besoin/", {"budget-total_need": "5 000"}).status_code,
    ]


def assert_nothing_written(project):
    assert not TimelineEntry.objects.filter(project=project, kind="note").exists()
    assert not FundingLine.objects.filter(project=project).exists()
    assert not ProjectBudget.objects.filter(project=project).exists()


@pytest.mark.parametrize("status", [ReferralStatus.DECLINED, ReferralStatus.EXPIRED])
def test_an_organisation_whose_referral_ended_without_support_no_longer_sees_the_file(client, status):
    referral, advisor = referral_in(status)
    project = referral.project
    client.force_login(advisor)
    response = client.get(file_url(project))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and "déclinée ou a expiré" in html
    assert project.holder_email not in html and project.description not in html
    api = client.get(f"/api/v1/projects/{project.pk}")
    assert api.status_code == 403 and "déclinée ou a expiré" in api.json()["detail"]
    assert project not in projects_visible_to(advisor)
    assert client.get("/api/v1/projects/").json()["count"] == 0
    assert post_everything(client, project) == [403, 403, 403]
    assert_nothing_written(project)


def test_a_closed_referral_keeps_a_read_only_view_of_the_file(client):
    referral, advisor = referral_in(ReferralStatus.CLOSED)
    project = referral.project
    FundingLine.objects.create(
        project=project, funder=OrganisationFactory(), expense="Local", amount_asked=1000, status="planned"
    )
    client.force_login(advisor)
    response = client.get(file_url(project))
    assert response.status_code == 200
    html = response.content.decode()
    assert project.name in html and "lecture seule" in html
    assert "<form" not in html.split("<main", 1)[1]  # no form and no button in the page's content
    assert "Modifier ou retirer" not in html
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 200
    assert project in projects_visible_to(advisor)
    line = project.funding_lines.get()
    assert not perms.can_edit_funding_line(advisor, line)
    assert client.get(f"/projets/{project.pk}/financement/{line.pk}/").status_code == 200
    assert (
        client.post(
            f"/projets/{project.pk}/financement/{line.pk}/statut/", {"action": "withdraw"}
        ).status_code
        == 403
    )
    assert post_everything(client, project) == [403, 403, 403]
    line.refresh_from_db()
    assert line.status == "planned"
    assert not TimelineEntry.objects.filter(project=project, kind="note").exists()
    assert not ProjectBudget.objects.filter(project=project).exists()


def test_an_accepted_referral_completes_the_file(client):
    referral, advisor = referral_in(ReferralStatus.ACCEPTED)
    project = referral.project
    client.force_login(advisor)
    html = client.get(file_url(project)).content.decode()
    assert "Ajouter au dossier" in html and "lecture seule" not in html
    assert post_everything(client, project) == [302, 302, 302]
    assert project.funding_lines.count() == 1 and ProjectBudget.objects.filter(project=project).exists()


def test_another_open_referral_of_the_same_organisation_keeps_the_file_open(client):
    referral, advisor = referral_in(ReferralStatus.DECLINED)
    ReferralFactory(
        project=referral.project,
        offer=OfferFactory(organisation=referral.organisation),
        status=ReferralStatus.ACCEPTED,
    )
    client.force_login(advisor)
    assert client.get(file_url(referral.project)).status_code == 200
    assert perms.can_add_to_timeline(advisor, referral.project)


def test_the_organisation_that_detected_the_project_keeps_it_after_a_decline(client):
    organisation = OrganisationFactory()
    referral, _advisor = referral_in(ReferralStatus.DECLINED, detected_by=organisation)
    agent = MembershipFactory(organisation=organisation, role=MemberRole.EPCI_AGENT).user
    ReferralFactory(
        project=referral.project,
        offer=OfferFactory(organisation=organisation),
        status=ReferralStatus.DECLINED,
        decline_reason="Non.",
    )
    client.force_login(agent)
    assert client.get(file_url(referral.project)).status_code == 200
    assert perms.can_add_to_timeline(agent, referral.project)


def test_without_consent_a_declined_organisation_is_told_nothing_more(client):
    referral, advisor = referral_in(ReferralStatus.DECLINED, consent_to_share=False)
    client.force_login(advisor)
    response = client.get(file_url(referral.project))
    assert response.status_code == 403 and "déclinée ou a expiré" not in response.content.decode()
    assert client.get(f"/api/v1/projects/{referral.project.pk}").status_code == 404


def test_the_rule_is_the_same_for_the_page_the_predicates_and_the_list(client):
    """For every referral status, `can_view_project` and `projects_visible_to` agree."""
    for status in ReferralStatus.values:
        referral, advisor = referral_in(status)
        visible = referral.project in projects_visible_to(advisor)
        assert perms.can_view_project(advisor, referral.project) == visible, status
        assert visible == (status in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED, ReferralStatus.CLOSED))


def test_the_referral_page_and_the_inbox_link_to_the_file(client):
    referral, advisor = referral_in(ReferralStatus.ACCEPTED)
    client.force_login(advisor)
    html = client.get(f"/mises-en-relation/{referral.pk}/").content.decode()
    assert "Voir le dossier du projet" in html and f'href="/projets/{referral.project.pk}/"' in html
    html = client.get("/mises-en-relation/?onglet=en-cours").content.decode()
    assert f'href="/projets/{referral.project.pk}/"' in html


def test_the_referral_page_has_no_file_link_after_a_decline(client):
    referral, advisor = referral_in(ReferralStatus.DECLINED)
    client.force_login(advisor)
    html = client.get(f"/mises-en-relation/{referral.pk}/").content.decode()
    assert "Voir le dossier du projet" not in html
