"""Server-rendered pages: home, commune and EPCI pages, commune search (full page and htmx), errors, headers."""

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import include, path

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


def test_a_404_is_french_inside_the_layout_with_next_steps(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html  # the site's layout
    assert 'href="/annuaire/"' in html and 'href="/financements/"' in html  # what to try next


def test_a_403_is_inside_the_layout_with_the_reason_and_what_to_do(client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.get("/annuaire/offres/dla-53-accompagnement/modifier/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="site-header"' in html and "Que faire ?" in html
    assert user.email in html


def _failing_view(request):
    raise RuntimeError("boom")


# A URL configuration of the site plus one failing page (the handlers are read from the root configuration).
urlpatterns = [path("boom/", _failing_view), path("", include("config.urls"))]
handler500 = "maille.core.views.server_error"


def test_a_500_is_french_inside_the_layout(settings):
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html
    assert 'class="site-header"' in html and 'lang="fr"' in html


def test_the_500_page_renders_while_the_database_is_down(client):
    from tests.factories import UserFactory

    def database_down(execute, sql, params, many, context):
        raise OperationalError("la base de données ne répond pas")

    user = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(user)  # a session to read: the layout must not try to
    with connection.execute_wrapper(database_down):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Une erreur est survenue" in html and 'class="site-header"' in html
    assert "Se connecter" in html  # no user was read


def test_the_api_keeps_json_errors(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "url",
    [
        "/comptes/login/",
        "/comptes/login/code/",
        "/comptes/password/reset/",
        "/comptes/signup/",
    ],
)
def test_account_pages_use_the_site_layout_and_form_classes(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html and 'lang="fr"' in html
    assert 'class="stacked-form"' in html and 'class="field"' in html
    assert 'class="button"' in html


def test_signed_in_account_pages_use_the_site_layout(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    for url in ["/comptes/logout/", "/comptes/email/", "/comptes/password/change/"]:
        html = client.get(url).content.decode()
        assert 'class="site-header"' in html and 'class="button' in html, url


def test_a_failed_login_shows_the_error_summary_in_french(client):
    response = client.post("/comptes/login/", {"login": "personne@example.org", "password": "faux"})
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert "Corrigez les champs signalés" in html
