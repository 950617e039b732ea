"""Projects detected by an advisor or an EPCI agent: who may, which organisation detects, the holder's e-mail."""

import re

import pytest
from django.core import mail

from maille.accounts.enums import MemberRole
from maille.projects.models import Project
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import project_data

pytestmark = pytest.mark.django_db


def detected_data(**changes):
    return {
        **project_data(),
        "holder_name": "Dominique Durand",
        "holder_email": "dominique@example.org",
        "holder_phone": "",
        **changes,
    }


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/projets/repere/")
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_a_plain_account_or_a_funder_may_not_create_a_detected_project(client):
    client.force_login(UserFactory())
    response = client.get("/projets/repere/")
    assert response.status_code == 403
    assert "Seuls les accompagnateurs et les agents d&#x27;EPCI" in response.content.decode()
    client.force_login(MembershipFactory(role=MemberRole.FUNDER).user)
    assert client.post("/projets/repere/", detected_data()).status_code == 403
    assert not Project.objects.filter(holder_email="dominique@example.org").exists()


def test_an_advisor_creates_a_project_that_the_holder_confirms_by_email(
    client, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(role=MemberRole.ADVISOR, organisation__name="Réseau repéreur")
    client.force_login(membership.user)
    html = client.get("/projets/repere/").content.decode()
    assert 'name="organisation"' not in html  # one organisation: no choice to make
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/projets/repere/", detected_data())
    project = Project.objects.get(holder_email="dominique@example.org")
    assert response.status_code == 302 and response["Location"] == f"/projets/{project.pk}/"
    assert project.detected_by == membership.organisation
    assert project.created_by == membership.user
    assert project.holder_confirmed_at is None and not project.consent_to_share
    assert client.get(f"/projets/{project.pk}/").status_code == 200

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dominique@example.org"]
    assert "Réseau repéreur" in mail.outbox[0].body
    link = re.search(r"/projets/suivi/\S+?/", mail.outbox[0].body).group(0)
    client.logout()
    assert "Je confirme ce projet" in client.get(link).content.decode()
    client.post(link, {"action": "confirm"})
    project.refresh_from_db()
    assert project.holder_confirmed_at is not None
    assert project.timeline.filter(text__contains="confirmé").exists()


def test_a_member_of_several_organisations_chooses_one_of_theirs(client):
    first = MembershipFactory(role=MemberRole.ADVISOR)
    second = MembershipFactory(user=first.user, role=MemberRole.ADVISOR)
    stranger = OrganisationFactory()
    client.force_login(first.user)
    assert 'name="organisation"' in client.get("/projets/repere/").content.decode()

    response = client.post("/projets/repere/", detected_data())
    assert response.status_code == 400 and 'id="id_organisation_error"' in response.content.decode()
    response = client.post("/projets/repere/", detected_data(organisation=stranger.pk))
    assert response.status_code == 400
    assert not Project.objects.filter(holder_email="dominique@example.org").exists()

    client.post("/projets/repere/", detected_data(organisation=second.organisation.pk))
    assert Project.objects.get(holder_email="dominique@example.org").detected_by == second.organisation


def test_bad_project_data_is_refused_with_nothing_written(client):
    client.force_login(MembershipFactory(role=MemberRole.ADVISOR).user)
    response = client.post("/projets/repere/", detected_data(siret="12345678901234", holder_email="non"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ce SIRET n&#x27;est pas valide" in html and "Saisissez une adresse e-mail valide" in html
    assert not Project.objects.filter(name="Ressourcerie lavalloise").exists()


def test_an_epci_agent_cannot_record_a_project_outside_their_epci(client):
    """The Angers agent recorded a project in Marseille: an EPCI agent acts within their own EPCI only."""
    from maille.accounts.enums import MemberRole
    from maille.directory.enums import OrganisationKind
    from maille.projects.models import Project
    from maille.territories.models import Commune
    from tests.factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory(kind=OrganisationKind.EPCI, epci_id="244900015")
    agent = MembershipFactory(organisation=organisation, role=MemberRole.EPCI_AGENT).user
    client.force_login(agent)
    form = {
        "holder_name": "Dominique Durand",
        "holder_email": "dominique@example.org",
        "name": "Garage solidaire",
        "description": "Un garage associatif.",
        "legal_form": "association",
        "stage": "creation",
        "needs": ["financement"],
        "jobs_fte": "0",
        "years_of_existence": "0",
    }
    marseille = Commune.objects.get(code="13055")
    response = client.post("/projets/repere/", {**form, "commune": "13055", "commune_code": marseille.code})
    assert response.status_code == 400
    assert "agit pour son intercommunalité" in response.content.decode()
    assert not Project.objects.filter(name="Garage solidaire").exists()
    response = client.post("/projets/repere/", {**form, "commune": "Angers", "commune_code": "49007"})
    assert response.status_code == 302
    assert Project.objects.get(name="Garage solidaire").commune_id == "49007"
