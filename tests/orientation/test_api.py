"""POST /api/v1/orientation and GET /api/v1/vocabulary: the Laval case, errors in French, bounded queries."""

import json

import pytest

from maille.directory.models import OfferZone
from maille.projects.models import Project
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

LAVAL_ASSOCIATION = {
    "commune": "53130",
    "stage": "consolidation",
    "needs": ["modele_economique", "emploi"],
    "legal_form": "association",
    "employees": 12,
    "years_of_existence": 8,
}


def post(client, payload):
    return client.post("/api/v1/orientation", json.dumps(payload), content_type="application/json")


def test_an_employer_association_in_laval_gets_the_mayenne_dla_in_its_first_three_offers(client):
    response = post(client, LAVAL_ASSOCIATION)
    assert response.status_code == 200
    offers = response.json()["offers"]
    top = offers[:3]
    dla = next(o for o in top if o["organisation"]["name"] == "DLA de la Mayenne")
    assert any("Couvre votre département (Mayenne)" in r for r in dla["reasons"])
    assert any("modèle économique" in r for r in dla["reasons"])
    assert any("employeuse" in r for r in dla["reasons"])
    assert set(dla) == {"id", "name", "organisation", "score", "reasons"}
    assert all(o["organisation"]["name"] != "DLA de Loire-Atlantique" for o in offers)


def test_funding_items_name_their_funder(client):
    funding = post(client, LAVAL_ASSOCIATION).json()["funding"]
    assert funding and all(item["organisation"]["name"] for item in funding)


def test_a_structure_without_employees_does_not_get_the_dla(client):
    offers = post(client, {**LAVAL_ASSOCIATION, "employees": 0}).json()["offers"]
    assert all("DLA" not in o["organisation"]["name"] for o in offers)


def test_a_commune_outside_the_region_gets_a_notice_and_only_national_offers(client):
    national = OfferFactory(name="Offre nationale de test", zones=[("france", "")], stages=["creation"])
    body = post(client, {**LAVAL_ASSOCIATION, "commune": "75056", "stage": "creation"}).json()
    assert body["outside_region"] is True
    assert "n'est pas dans la région" in body["notice"]
    ids = {o["id"] for o in body["offers"]}
    nationwide = set(OfferZone.objects.filter(zone_level="france").values_list("offer_id", flat=True))
    assert national.pk in ids and ids <= nationwide


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"commune": "99999"}, "commune"),
        ({"stage": "idee"}, "stage"),
        ({"needs": ["argent"]}, "needs"),
        ({"legal_form": "sarl"}, "legal_form"),
        ({"siret": "73282932000075"}, "siret"),
        ({"employees": -1}, "employees"),
        ({"naf": "abc"}, "naf"),
    ],
)
def test_invalid_input_is_a_400_with_a_french_message_and_writes_nothing(client, change, field):
    before = Project.objects.count()
    response = post(client, {**LAVAL_ASSOCIATION, **change})
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Project.objects.count() == before


def test_a_missing_field_and_a_non_json_body_are_400s(client):
    response = post(client, {"commune": "53130"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.json()["errors"]["stage"]
    bad = client.post("/api/v1/orientation", "{pas du json", content_type="application/json")
    assert bad.status_code == 400
    assert "body" in bad.json()["errors"]
    assert client.post("/api/v1/orientation", "[1, 2]", content_type="application/json").status_code == 400


def test_the_number_of_queries_does_not_depend_on_the_directory_size(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as small:
        post(client, LAVAL_ASSOCIATION)
    for _ in range(40):
        OfferFactory(zones=[("departement", "53")], stages=["consolidation"], needs=["emploi"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        post(client, LAVAL_ASSOCIATION)


def test_vocabulary_lists_codes_with_french_labels(client):
    body = client.get("/api/v1/vocabulary").json()
    assert {"code": "consolidation", "label": "Consolidation (fragilité, relance)"} in body["stages"]
    assert len(body["needs"]) == 15
    assert {"code": "non_creee", "label": "Structure pas encore créée"} in body["legal_forms"]
