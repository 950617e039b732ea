"""Server-rendered pages: home, commune and EPCI pages, commune search (full page and htmx), errors, headers."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_says_what_maille_is_for_each_persona(client):
    html = client.get("/").content.decode()
    for persona in [
        "Porteuses et porteurs de projet",
        "Accompagnatrices",
        "Financeurs",
        "Pilotes",
        "intercommunalité",
        "Tout public",
    ]:
        assert persona in html
    assert 'href="#contenu"' in html  # skip link
    assert 'lang="fr"' in html


def test_commune_page_shows_its_epci_departement_and_map(client):
    html = client.get("/territoires/communes/49353/").content.decode()
    assert "<h1>Trélazé</h1>" in html
    assert 'href="/territoires/epci/244900015/"' in html
    assert "CU Angers Loire Métropole" in html
    assert "Maine-et-Loire (49)" in html
    assert 'data-contour-url="/api/v1/territories/contours/commune/49353"' in html


def test_epci_page_lists_member_communes_with_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/territoires/epci/244900015/")
    html = response.content.decode()
    assert "Trélazé" in html and "Avrillé" in html
    assert "Communauté urbaine" in html


def test_unknown_commune_page_is_a_french_404(client):
    response = client.get("/territoires/communes/99999/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_commune_search_page_and_htmx_fragment(client):
    page = client.get("/territoires/communes/", {"q": "trelaze"}).content.decode()
    assert "<html" in page and "Trélazé" in page
    fragment = client.get("/territoires/communes/", {"q": "trelaze"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'href="/territoires/communes/49353/"' in fragment


def test_commune_search_by_postal_code_and_with_no_result(client):
    assert "Trélazé" in client.get("/territoires/communes/", {"q": "49800"}).content.decode()
    html = client.get("/territoires/communes/", {"q": "zzzzqqq"}).content.decode()
    assert "Aucune commune ne correspond" in html


def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_english_is_available(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Skip to content" in html


def test_epci_member_list_downloads_as_csv_and_xlsx(client):
    import io

    from openpyxl import load_workbook

    csv_response = client.get("/territoires/epci/244900015/", {"format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Code INSEE,Commune,Codes postaux,Population,Département"
    assert "49353,Trélazé,49800," in text
    assert len(text.splitlines()) == 30
    xlsx = client.get("/territoires/epci/244900015/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 30
    assert sheet["B1"].value == "Commune"


def test_an_unknown_download_format_is_a_400(client):
    response = client.get("/territoires/epci/244900015/", {"format": "pdf"})
    assert response.status_code == 400
    assert "Format inconnu" in response.content.decode()


def test_a_refused_page_explains_why_in_french(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/annuaire/offres/dla-53-accompagnement/modifier/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html
    assert "Vous ne pouvez modifier que les offres de votre organisation." in html
