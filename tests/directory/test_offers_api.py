"""The offers API: coverage through the territory hierarchy, filters, French errors, constant queries."""

import pytest

from maille.directory.enums import PublicationStatus
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

DLA = {"44": "DLA de Loire-Atlantique", "49": "DLA de Maine-et-Loire", "53": "DLA de la Mayenne"}


def organisations(response):
    return [item["organisation"]["name"] for item in response.json()["results"]]


def test_laval_consolidation_lists_the_mayenne_dla_and_no_other_departements_dla(client):
    response = client.get("/api/v1/offers", {"commune": "53130", "stage": "consolidation", "page_size": 200})
    assert response.status_code == 200
    names = organisations(response)
    assert "DLA de la Mayenne" in names
    others = {"DLA de Loire-Atlantique", "DLA de Maine-et-Loire", "DLA de la Sarthe", "DLA de la Vendée"}
    assert not others & set(names)


def test_items_have_the_documented_shape(client):
    item = client.get("/api/v1/offers", {"commune": "53130", "stage": "consolidation"}).json()["results"][0]
    for key in ["id", "name", "organisation", "stages", "needs", "legal_forms", "zones"]:
        assert key in item
    assert set(item["organisation"]) == {"id", "name"}
    assert all(set(zone) == {"type", "code"} for zone in item["zones"])


def test_narrowest_territory_comes_first(client):
    national = OfferFactory(name="A national", zones=[("france", "")], stages=["creation"])
    regional = OfferFactory(name="B régional", zones=[("region", "52")], stages=["creation"])
    local = OfferFactory(name="C Trélazé", zones=[("commune", "49353")], stages=["creation"])
    epci = OfferFactory(name="D Angers Loire Métropole", zones=[("epci", "244900015")], stages=["creation"])
    mine = {national.pk, regional.pk, local.pk, epci.pk}
    ids = [
        i["id"]
        for i in client.get("/api/v1/offers", {"commune": "49353", "page_size": 200}).json()["results"]
    ]
    assert [i for i in ids if i in mine] == [local.pk, epci.pk, regional.pk, national.pk]


def test_an_offer_elsewhere_is_not_listed(client):
    offer = OfferFactory(zones=[("departement", "85")])
    ids = [
        i["id"]
        for i in client.get("/api/v1/offers", {"commune": "53130", "page_size": 200}).json()["results"]
    ]
    assert offer.pk not in ids


def test_an_offer_with_two_zones_is_listed_once(client):
    offer = OfferFactory(zones=[("departement", "53"), ("commune", "53130")], name="Zzz double zone")
    ids = [
        i["id"]
        for i in client.get("/api/v1/offers", {"commune": "53130", "page_size": 200}).json()["results"]
    ]
    assert ids.count(offer.pk) == 1


def test_draft_and_archived_offers_are_not_listed(client):
    draft = OfferFactory(status=PublicationStatus.DRAFT)
    archived = OfferFactory(status=PublicationStatus.ARCHIVED)
    ids = [i["id"] for i in client.get("/api/v1/offers", {"page_size": 200}).json()["results"]]
    assert draft.pk not in ids and archived.pk not in ids


def test_need_and_legal_form_filters(client):
    scop_only = OfferFactory(needs=["juridique"], legal_forms=["scop"], name="Zz SCOP")
    everyone = OfferFactory(needs=["juridique"], legal_forms=[], name="Zz tous")
    ids = {
        i["id"]
        for i in client.get(
            "/api/v1/offers", {"need": "juridique", "legal_form": "association", "page_size": 200}
        ).json()["results"]
    }
    assert everyone.pk in ids and scop_only.pk not in ids
    ids = {
        i["id"]
        for i in client.get(
            "/api/v1/offers", {"need": "juridique", "legal_form": "scop", "page_size": 200}
        ).json()["results"]
    }
    assert {everyone.pk, scop_only.pk} <= ids


def test_keyword_search_ignores_accents(client):
    offer = OfferFactory(name="Accompagnement à la créativité coopérative", description="Un atelier unique.")
    ids = {
        i["id"]
        for i in client.get("/api/v1/offers", {"q": "creativite cooperative", "page_size": 200}).json()[
            "results"
        ]
    }
    assert offer.pk in ids


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"commune": "99999"}, "commune"),
        ({"commune": "abc"}, "commune"),
        ({"stage": "idee"}, "stage"),
        ({"need": "argent"}, "need"),
        ({"legal_form": "sarl"}, "legal_form"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_parameters_are_a_400_in_french(client, params, field):
    response = client.get("/api/v1/offers", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_offer_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(30):
        OfferFactory(zones=[("departement", "53"), ("region", "52")], stages=["consolidation"])
    with django_assert_max_num_queries(5):  # commune and its postal codes, count, page, zones
        response = client.get(
            "/api/v1/offers", {"commune": "53130", "stage": "consolidation", "page_size": 100}
        )
    assert response.json()["count"] >= 30


def test_organisation_detail_lists_offers_and_schemes(client):
    from maille.directory.models import Organisation

    dla = Organisation.objects.get(slug="dla-53")
    body = client.get(f"/api/v1/organisations/{dla.pk}").json()
    assert body["name"] == "DLA de la Mayenne"
    assert body["offers"]
    drajes = Organisation.objects.get(slug="drajes-pdl")
    assert client.get(f"/api/v1/organisations/{drajes.pk}").json()["funding_schemes"]


def test_unknown_organisation_is_a_404_in_french(client):
    response = client.get("/api/v1/organisations/999999")
    assert response.status_code == 404
    assert "Aucune organisation" in response.json()["detail"]
    assert client.get("/api/v1/organisations/abc").status_code == 404
