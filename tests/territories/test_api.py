"""The public territory API: counts of the real geography, search, errors in French, constant queries."""

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/territories"


def test_region_52_reports_five_departements_1228_communes_and_71_epci(client):
    response = client.get(f"{API}/regions/52")
    assert response.status_code == 200
    body = response.json()
    assert body["nom"] == "Pays de la Loire"
    assert [d["code"] for d in body["departements"]] == ["44", "49", "53", "72", "85"]
    assert body["communes_count"] == 1228
    assert body["epci_count"] == 71


def test_postal_code_49800_lists_trelaze_in_angers_loire_metropole(client):
    response = client.get(f"{API}/communes", {"code_postal": "49800"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    trelaze = next(item for item in body["results"] if item["code"] == "49353")
    assert trelaze["nom"] == "Trélazé"
    assert "49800" in trelaze["codes_postaux"]
    assert trelaze["epci"] == {"code": "244900015", "nom": "CU Angers Loire Métropole"}
    assert trelaze["departement"] == {"code": "49", "nom": "Maine-et-Loire"}
    assert trelaze["region"] == {"code": "52", "nom": "Pays de la Loire"}
    assert trelaze["population"] > 10000


@pytest.mark.parametrize("query", ["trela", "TRELA", "Tréla", "trélazé"])
def test_prefix_search_ignores_case_and_accents(client, query):
    results = client.get(f"{API}/communes", {"q": query}).json()["results"]
    assert results[0]["code"] == "49353"


def test_search_matches_the_start_of_any_word_of_the_name(client):
    codes = [
        item["code"]
        for item in client.get(f"{API}/communes", {"q": "nazaire", "page_size": 50}).json()["results"]
    ]
    assert "44184" in codes  # Saint-Nazaire


def test_search_puts_names_starting_with_the_query_first(client):
    results = client.get(f"{API}/communes", {"q": "laval", "page_size": 50}).json()["results"]
    assert results[0]["code"] == "53130"  # Laval, the most populated commune whose name starts with it


def test_commune_detail_has_the_list_item_shape(client):
    body = client.get(f"{API}/communes/49353").json()
    assert set(body) == {"code", "nom", "codes_postaux", "population", "departement", "region", "epci"}
    assert body["epci"]["code"] == "244900015"


def test_a_former_commune_code_gives_its_current_commune(client):
    from django.db.models import F

    from maille.territories.models import CommuneAlias

    alias = CommuneAlias.objects.filter(kind="commune-deleguee").exclude(code=F("commune_id")).first()
    body = client.get(f"{API}/communes/{alias.code}").json()
    assert body["code"] == alias.commune_id


def test_a_commune_without_epci_has_null_epci(client):
    # L'Île-d'Yeu (85113) belongs to no EPCI.
    assert client.get(f"{API}/communes/85113").json()["epci"] is None


def test_unknown_commune_is_a_404_with_a_french_message(client):
    response = client.get(f"{API}/communes/99999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune commune n'a le code « 99999 »."}


def test_epci_detail_lists_its_member_communes(client):
    body = client.get(f"{API}/epci/244900015").json()
    assert body["nom"] == "CU Angers Loire Métropole"
    assert body["type"] == "CU"
    assert "49353" in body["communes"]
    assert len(body["communes"]) == 29
    assert body["population"] > 300000


def test_unknown_epci_and_region_are_404(client):
    assert client.get(f"{API}/epci/123456789").status_code == 404
    assert client.get(f"{API}/regions/99").json()["detail"] == "Aucune région n'a le code « 99 »."


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"code_postal": "4980"}, "code_postal"),
        ({"code_postal": "abcde"}, "code_postal"),
        ({"page_size": "x"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "100000"}, "page_size"),
        ({"page": "-1"}, "page"),
        ({"q": "a" * 101}, "q"),
        ({"level": "canton", "code": "4901"}, "level"),
        ({"level": "epci", "code": "000000000"}, "code"),
        ({"level": "departement"}, "code"),
    ],
)
def test_malformed_parameters_are_a_400_with_a_french_message_per_field(client, params, field):
    response = client.get(f"{API}/communes", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert body["detail"].startswith("Requête invalide")


def test_a_page_past_the_end_is_a_404_in_french(client):
    response = client.get(f"{API}/communes", {"q": "trelaze", "page": "50"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Cette page n'existe pas."


def test_area_filter_lists_the_communes_of_an_epci(client):
    body = client.get(f"{API}/communes", {"level": "epci", "code": "244900015", "page_size": 100}).json()
    assert body["count"] == 29
    assert all(item["epci"]["code"] == "244900015" for item in body["results"])


def test_pagination_links_carry_the_page_size(client):
    body = client.get(f"{API}/communes", {"level": "departement", "code": "53", "page_size": 10}).json()
    assert body["count"] == 240
    assert "page=2" in body["next"] and "page_size=10" in body["next"]
    assert body["previous"] is None


def test_commune_list_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # area check, count, page, postal codes
        response = client.get(f"{API}/communes", {"level": "departement", "code": "44", "page_size": 200})
    assert len(response.json()["results"]) == 200


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "Ressource introuvable."


def test_contours_of_a_commune_and_of_an_epci_with_its_communes(client):
    commune = client.get(f"{API}/contours/commune/49353").json()
    assert commune["type"] == "FeatureCollection"
    zone, *context = commune["features"]
    assert zone["properties"] == {"code": "49353", "role": "zone"}
    assert zone["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert len(context) == 28  # the other communes of Angers Loire Métropole, for context
    epci = client.get(f"{API}/contours/epci/244900015").json()
    assert len(epci["features"]) == 1 + 29


def test_a_territory_without_contour_gives_an_empty_collection_and_a_bad_level_a_400(client):
    assert client.get(f"{API}/contours/commune/75056").json()["features"] == []
    assert client.get(f"{API}/contours/canton/4901").status_code == 400


def test_every_commune_of_the_region_has_a_contour():
    from maille.territories.models import Commune, Contour

    codes = set(Commune.objects.filter(region_id="52").values_list("code", flat=True))
    with_contour = set(Contour.objects.filter(level="commune").values_list("code", flat=True))
    assert codes <= with_contour
    assert "49126" in with_contour  # Orée d'Anjou, rebuilt from its delegated communes


def test_the_openapi_document_describes_the_territory_endpoints(client):
    response = client.get("/api/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/territories/communes/" in response.json()["paths"]


def test_a_contour_of_an_unknown_territory_is_a_404(client):
    for path in ("commune/99999", "epci/000000000", "departement/ZZ", "region/99"):
        response = client.get(f"/api/v1/territories/contours/{path}")
        assert response.status_code == 404, path
        assert "Aucun territoire" in response.json()["detail"]
