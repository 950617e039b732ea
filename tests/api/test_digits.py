"""Digits that are not ASCII (« ² », « ٣ ») pass `str.isdigit()` but not `int()`: found by the fuzzing, each a 500
before; now a 400 or a 404 like any other bad value."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/offers/?page=%C2%B2", 400),
        ("/api/v1/offers/?page_size=%C2%B2", 400),
        ("/api/v1/organisations/%C2%B2", 404),
        ("/api/v1/strategy/indicators/%C2%B2/measurements", 404),
    ],
)
def test_non_ascii_digits_in_numbers_are_refused_not_a_crash(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["detail"]


def test_a_siret_with_a_superscript_digit_is_a_french_400(client):
    body = {"commune": "49007", "stage": "creation", "needs": [], "legal_form": "association"}
    response = client.post(
        "/api/v1/orientation/",
        json.dumps({**body, "siret": "1234567890123²"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "SIRET" in response.json()["errors"]["siret"][0]


@pytest.fixture
def pilot_key(db):
    from maille.accounts.enums import MemberRole
    from maille.api.services import issue_token
    from tests.factories import OrganisationFactory

    return issue_token(OrganisationFactory(), MemberRole.PILOT, "Outil du comité")[1]


ACTION = {"code": "T-1", "title": "Essai", "objectives": [{"code": "O1", "weight": 1}], "status": "started"}


@pytest.mark.parametrize(
    "raw",
    [
        json.dumps({**ACTION, "progress_override": "²", "progress_justification": "Estimé"}),
        json.dumps({**ACTION, "progress_override": 1, "progress_justification": "Estimé"}).replace(
            '"progress_override": 1', '"progress_override": 1e400'
        ),
        '{"code": "T-1", "title": "Essai", "progress_override": NaN}',
    ],
    ids=["superscript-digit", "overflowing-float", "nan-literal"],
)
def test_strategy_writes_refuse_odd_numbers_with_a_400_and_write_nothing(client, pilot_key, raw):
    from maille.strategy.models import Action

    response = client.post(
        "/api/v1/strategy/actions",
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {pilot_key}",
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert not Action.objects.filter(code="T-1").exists()


def test_a_superscript_digit_is_a_400_on_the_observatory_and_pages(client, db):
    response = client.get("/api/v1/observatory/stats", {"level": "region", "code": "52", "snapshot": "²"})
    assert response.status_code in (400, 404)
    assert client.get("/observatoire/reperage/", {"mois": "²"}).status_code in (200, 302, 403)
