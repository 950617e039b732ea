"""The EPCI space: one for each EPCI of the region (all 71 render), counts for everyone and project details only
where `projects.perms` allows, the partnership edited by the EPCI's own agents only."""

import datetime

import pytest
from django.urls import reverse

from maille.accounts.enums import MemberRole
from maille.core.models import AuditEntry
from maille.showcase.models import Partnership
from maille.showcase.selectors import region_epcis
from maille.territories.models import Epci
from tests.factories import MembershipFactory, OrganisationFactory, ProjectFactory, UserFactory

from .factories import EventFactory, StoryFactory, TiersLieuFactory

pytestmark = pytest.mark.django_db

LAVAL_AGGLO = "200083392"
ANGERS = "244900015"


def agent_of(code):
    organisation = OrganisationFactory(kind="epci", epci=Epci.objects.get(code=code))
    return MembershipFactory(organisation=organisation, role=MemberRole.EPCI_AGENT).user


def test_every_epci_space_of_the_region_renders(client):
    codes = list(region_epcis().values_list("code", flat=True))
    assert len(codes) == 71
    for code in codes:
        response = client.get(reverse("showcase:epci", args=[code]))
        assert response.status_code == 200, code
        assert "Partenariat avec les pilotes de la stratégie" in response.content.decode()
    listing = client.get(reverse("showcase:epci_list")).content.decode()
    assert all(f'href="/vitrine/epci/{code}/"' in listing for code in codes)


def test_the_space_counts_projects_for_everyone_and_details_only_for_those_allowed(client):
    secret = ProjectFactory(name="Projet confidentiel de Laval", consent_to_share=False)
    EventFactory(title="Atelier lavallois")
    TiersLieuFactory(name="La Fabrique lavalloise")
    StoryFactory(title="Une réussite lavalloise")
    url = reverse("showcase:epci", args=[LAVAL_AGGLO])
    text = client.get(url).content.decode()
    assert 'id="projects-count">1<' in text
    assert "Projet confidentiel de Laval" not in text
    assert (
        "Atelier lavallois" in text and "La Fabrique lavalloise" in text and "Une réussite lavalloise" in text
    )
    client.force_login(UserFactory(is_staff=True))
    assert "Projet confidentiel de Laval" in client.get(url).content.decode()
    assert secret.commune.epci_id == LAVAL_AGGLO


def test_an_epci_agent_updates_their_own_partnership(client):
    agent = agent_of(LAVAL_AGGLO)
    client.force_login(agent)
    response = client.post(
        reverse("showcase:partnership_edit", args=[LAVAL_AGGLO]),
        {
            "status": "signed",
            "signed_on": "2026-03-12",
            "contact_name": "Chargée ESS",
            "contact_email": "ess@agglo.example",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(epci_id=LAVAL_AGGLO)
    assert (partnership.status, partnership.signed_on) == ("signed", datetime.date(2026, 3, 12))
    assert partnership.updated_by == agent
    assert AuditEntry.objects.filter(action="partnership.update", target_id=LAVAL_AGGLO).exists()
    text = client.get(reverse("showcase:epci", args=[LAVAL_AGGLO])).content.decode()
    assert 'id="partnership-status">Signé' in text


def test_an_epci_agent_cannot_edit_another_epci(client):
    client.force_login(agent_of(LAVAL_AGGLO))
    url = reverse("showcase:partnership_edit", args=[ANGERS])
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "signed", "signed_on": "2026-01-01"}).status_code == 403
    assert not Partnership.objects.filter(epci_id=ANGERS).exists()
    assert (
        "Mettre à jour le partenariat"
        not in client.get(reverse("showcase:epci", args=[ANGERS])).content.decode()
    )


def test_anonymous_and_other_roles_cannot_edit_a_partnership(client):
    url = reverse("showcase:partnership_edit", args=[LAVAL_AGGLO])
    assert client.get(url).status_code in (302, 403)
    client.force_login(MembershipFactory(role=MemberRole.ADVISOR).user)
    assert client.post(url, {"status": "signed", "signed_on": "2026-01-01"}).status_code == 403
    assert not Partnership.objects.exists()


def test_a_signed_partnership_needs_its_date_and_bad_input_changes_nothing(client):
    client.force_login(agent_of(LAVAL_AGGLO))
    response = client.post(reverse("showcase:partnership_edit", args=[LAVAL_AGGLO]), {"status": "signed"})
    assert response.status_code == 400
    assert "Indiquez la date de signature" in response.content.decode()
    assert not Partnership.objects.exists()


def test_the_overview_api_has_the_fields_the_issue_names(client):
    EventFactory()
    TiersLieuFactory()
    ProjectFactory()
    Partnership.objects.create(epci_id=LAVAL_AGGLO, status="discussion")
    data = client.get(f"/api/v1/epci/{LAVAL_AGGLO}/overview").json()
    assert set(data) == {
        "code",
        "nom",
        "population",
        "establishments",
        "employees_estimate",
        "offers_count",
        "projects_count",
        "events_upcoming",
        "tiers_lieux_count",
        "partnership",
    }
    assert data["code"] == LAVAL_AGGLO and data["population"] > 0
    assert (data["projects_count"], data["events_upcoming"], data["tiers_lieux_count"]) == (1, 1, 1)
    assert data["offers_count"] > 0  # region-wide offers of the directory cover it
    assert data["partnership"] == {"status": "discussion", "signed_on": None, "actions": []}
    assert client.get("/api/v1/epci/000000000/overview").status_code == 404


def test_the_overview_takes_the_observatory_figures_when_present(client, monkeypatch):
    from maille.showcase import selectors

    monkeypatch.setattr(
        selectors, "observatory_summary", lambda epci: {"establishments": 412, "employees_estimate": 3150.5}
    )
    data = client.get(f"/api/v1/epci/{LAVAL_AGGLO}/overview").json()
    assert (data["establishments"], data["employees_estimate"]) == (412, 3150)
