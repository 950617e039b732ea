"""Statistics, pages and API of the observatory over the hand-checked fixture (two snapshots)."""

import datetime

import pytest
from django.core.management import call_command

from maille.observatory import selectors
from maille.observatory.models import Establishment, Snapshot
from tests.factories import MembershipFactory, OfferFactory, UserFactory

from .sirene_fixture import EXPECTED_ESS, write_stock

pytestmark = pytest.mark.django_db
ANGERS_EPCI = "244900015"


def _import(folder, date):
    units, places = write_stock(folder)
    call_command(
        "import_sirene",
        "--unites-legales",
        str(units),
        "--etablissements",
        str(places),
        "--date",
        date,
        verbosity=0,
    )


@pytest.fixture
def two_snapshots(tmp_path):
    """The fixture at 2026-05-31, then at 2026-11-30 with one closure and one band going down."""
    _import(tmp_path / "a", "2026-05-31")
    first = Snapshot.objects.get()
    Snapshot.objects.filter(pk=first.pk).update(legal_units_checksum="x" * 64)  # real stocks differ
    # The later stock: the same rows, but Angers' SCOP went down a band and the Trélazé shop closed.
    _import(tmp_path / "b", "2026-11-30")
    latest = Snapshot.objects.exclude(pk=first.pk).get()
    Establishment.objects.filter(snapshot=latest, siret="10000000600016").delete()
    Establishment.objects.filter(snapshot=latest, siret="10000001100011").update(
        size_band="03", employees_estimate=7.5
    )
    return first, latest


def test_stats_of_the_region_count_every_family(two_snapshots):
    _first, latest = two_snapshots
    data = selectors.stats("region", "52", latest)
    assert data["establishments"] == len(EXPECTED_ESS) - 1
    assert data["by_family"]["association"]["establishments"] == 3
    assert data["by_section"]["Q"]["establishments"] == 4  # the foundation too
    assert data["ess_share_of_employment"] == round(
        100 * data["employees_estimate"] / data["all_employees_estimate"], 1
    )


def test_region_52_and_departement_52_are_different_places(two_snapshots):
    _first, latest = two_snapshots
    assert selectors.stats("departement", "52", latest)["establishments"] == 0
    assert selectors.stats("region", "52", latest)["establishments"] > 0


def test_change_between_two_snapshots(two_snapshots):
    first, latest = two_snapshots
    assert selectors.change("region", "52", latest, first)["establishments"] == -1


def test_detection_lists(two_snapshots):
    first, latest = two_snapshots
    new = selectors.new_establishments(latest, datetime.date(2026, 9, 1), "region", "52")
    assert [e.siret for e in new] == ["10000000100029"]  # Trélazé's shop closed in the later stock
    assert [e.siret for e in selectors.closures(latest, first, "region", "52")] == ["10000000600016"]
    drops = selectors.size_band_down(latest, first, "epci", ANGERS_EPCI)
    assert [(d.establishment.siret, d.previous_band) for d in drops] == [("10000001100011", "11")]


def test_territory_summary_for_pages(two_snapshots, client):
    summary = selectors.territory_summary("epci", ANGERS_EPCI)
    assert summary["establishments"] == 2 and summary["change"]["establishments"] == -1  # Trélazé closed
    assert selectors.territory_summary("epci", "000000000") is None
    response = client.get(f"/territoires/epci/{ANGERS_EPCI}/")
    assert "ESS sur ce territoire" in response.content.decode()


def test_stats_api_shape(two_snapshots, client):
    response = client.get("/api/v1/observatory/stats", {"level": "region", "code": "52"})
    assert response.status_code == 200
    data = response.json()
    assert {
        "code",
        "nom",
        "snapshot_date",
        "establishments",
        "employees_estimate",
        "ess_share_of_employment",
        "by_family",
        "by_section",
        "by_size_band",
    } <= set(data)
    assert set(data["by_family"]) == {
        "association",
        "cooperative",
        "mutuelle",
        "fondation",
        "societe_commerciale",
    }
    assert data["by_family"]["cooperative"] == {"establishments": 1, "employees_estimate": 7.5}
    assert data["snapshot_date"] == "2026-11-30"
    older = client.get(
        "/api/v1/observatory/stats", {"level": "region", "code": "52", "snapshot": "2026-05-31"}
    )
    assert older.json()["establishments"] == len(EXPECTED_ESS)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "pays", "code": "52"}, "level"),
        ({"level": "epci", "code": "123"}, "code"),
        ({"level": "region"}, "code"),
        ({"level": "region", "code": "52", "snapshot": "1999-01-01"}, "snapshot"),
    ],
)
def test_stats_api_refuses_bad_parameters_in_french(two_snapshots, client, params, field):
    response = client.get("/api/v1/observatory/stats", params)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_detection_api_is_paginated_and_for_the_detection_roles(two_snapshots, client):
    params = {"since": "2026-01-01", "level": "region", "code": "52"}
    assert client.get("/api/v1/observatory/detection/new", params).status_code == 403
    client.force_login(MembershipFactory(role="advisor").user)
    data = client.get("/api/v1/observatory/detection/new", params).json()
    assert data["count"] == 1 and set(data) >= {"count", "next", "previous", "results"}
    item = data["results"][0]
    assert set(item) >= {"siret", "name", "commune", "family", "creation_date", "position"}
    bad = client.get("/api/v1/observatory/detection/new", {"since": "hier", "level": "region", "code": "52"})
    assert bad.status_code == 400 and "since" in bad.json()["errors"]


def test_an_epci_agent_sees_only_their_territory(two_snapshots, client):
    from maille.directory.models import Organisation

    organisation = Organisation.objects.create(slug="epci-test", name="EPCI test", epci_id=ANGERS_EPCI)
    agent = MembershipFactory(role="epci_agent", organisation=organisation).user
    client.force_login(agent)
    assert client.get("/observatoire/reperage/").status_code == 200
    assert client.get("/observatoire/reperage/", {"level": "region", "code": "52"}).status_code == 403
    ok = {"since": "2026-01-01", "level": "epci", "code": ANGERS_EPCI}
    assert client.get("/api/v1/observatory/detection/new", ok).status_code == 200
    assert (
        client.get("/api/v1/observatory/detection/new", {**ok, "level": "region", "code": "52"}).status_code
        == 403
    )


def test_pages_render_with_downloads(two_snapshots, client):
    assert "données de démonstration" not in client.get("/observatoire/").content.decode().lower()
    for url in (
        "/observatoire/",
        f"/observatoire/territoire/epci/{ANGERS_EPCI}/",
        "/observatoire/methode/",
        "/observatoire/territoire/commune/49007/",
    ):
        assert client.get(url).status_code == 200
    csv = client.get(f"/observatoire/territoire/epci/{ANGERS_EPCI}/", {"format": "csv"})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert client.get("/observatoire/", {"format": "xlsx", "table": "epci"}).status_code == 200
    user = UserFactory()
    client.force_login(user)
    assert client.get("/observatoire/reperage/").status_code == 403  # a holder


def test_demo_snapshot_pages_say_demo_data(two_snapshots, client):
    Snapshot.objects.update(is_demo=True)
    assert "données de démonstration" in client.get("/observatoire/").content.decode().lower()


def test_signal_to_a_network_creates_a_detected_project_prefilled(two_snapshots, client):
    from maille.projects.models import Project

    membership = MembershipFactory(role="advisor")
    OfferFactory(stages=["consolidation"])
    client.force_login(membership.user)
    page = client.get("/observatoire/signaler/10000001100011/?fragile=1")
    assert page.status_code == 200 and "Scop du Bocage" in page.content.decode()
    form = page.context["form"]
    data = {
        key: form.initial.get(key, "")
        for key in (
            "name",
            "description",
            "commune",
            "commune_code",
            "legal_form",
            "siret",
            "stage",
            "naf",
            "years_of_existence",
        )
    }
    data.update(
        holder_name="Camille Martin",
        holder_email="camille@example.org",
        needs=["financement"],
        jobs_fte="6",
        fragile="1",
    )
    response = client.post("/observatoire/signaler/10000001100011/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    project = Project.objects.get()
    assert project.detected_by == membership.organisation and project.stage == "consolidation"
    assert project.commune_id == "49007" and project.legal_form == "scop"
