"""Funding pages: search, scheme page with its deadline, the alert form under the results."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_lists_schemes_and_offers_an_alert(client):
    html = client.get("/financements/", {"commune": "Laval", "stage": "developpement"}).content.decode()
    assert "dispositif" in html
    assert "Être prévenu des nouveaux dispositifs" in html
    assert 'name="commune" value="53130"' in html


def test_scheme_page_shows_funders_and_deadline(client):
    from maille.funding.models import FundingScheme

    scheme = FundingScheme.objects.filter(slug__startswith="fdva2").first()
    html = client.get(f"/financements/dispositifs/{scheme.slug}/").content.decode()
    assert scheme.name in html
    assert "DRAJES" in html
    assert "Date limite" in html or "Ouvert en permanence" in html


def test_unknown_scheme_is_a_404(client):
    assert client.get("/financements/dispositifs/nexiste-pas/").status_code == 404


def test_funding_results_download_as_csv(client):
    response = client.get("/financements/", {"commune": "53130", "format": "csv"})
    assert response.status_code == 200
    assert "fdva" in response.content.decode("utf-8-sig").lower()
