"""The showcase API: stories, events (`level` + `code` + `from`), tiers-lieux (`commune`), paginated, French 400s,
and in the OpenAPI document."""

import datetime

import pytest
from django.utils import timezone

from .factories import EventFactory, StoryFactory, TiersLieuFactory

pytestmark = pytest.mark.django_db


def test_stories_are_listed_paginated_with_filters(client):
    StoryFactory(title="A", sector="reemploi")
    StoryFactory(title="B", sector="culture", commune_id="44109")
    StoryFactory(title="Brouillon", status="draft", published_at=None)
    data = client.get("/api/v1/stories").json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 2
    item = data["results"][0]
    assert {"title", "sector", "family", "commune", "photo_url", "photo_alt", "published_at"} <= set(item)
    assert client.get("/api/v1/stories", {"sector": "culture"}).json()["count"] == 1
    assert client.get("/api/v1/stories", {"level": "departement", "code": "53"}).json()["count"] == 1
    bad = client.get("/api/v1/stories", {"sector": "espace"})
    assert bad.status_code == 400 and "Valeur inconnue" in bad.json()["errors"]["sector"][0]


def test_events_filter_by_territory_and_start_date(client):
    soon = EventFactory()
    EventFactory(commune_id="44109")
    past = EventFactory(
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=29),
    )
    data = client.get("/api/v1/events").json()
    assert data["count"] == 3
    item = next(e for e in data["results"] if e["id"] == soon.pk)
    assert item["capacity"] == 2 and item["places_left"] == 2 and item["waiting"] == 0
    assert item["organiser"]["name"] == soon.organiser.name
    assert client.get("/api/v1/events", {"level": "departement", "code": "53"}).json()["count"] == 2
    today = timezone.localdate().isoformat()
    ids = [e["id"] for e in client.get("/api/v1/events", {"from": today}).json()["results"]]
    assert past.pk not in ids and soon.pk in ids
    bad = client.get("/api/v1/events", {"from": "12/03/2026", "level": "pays", "page_size": "0"})
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert "AAAA-MM-JJ" in errors["from"][0] and "level" in errors


def test_tiers_lieux_filter_by_commune(client):
    TiersLieuFactory(name="Laval")
    TiersLieuFactory(name="Saumur", commune_id="49328")
    data = client.get("/api/v1/tiers-lieux", {"commune": "49328"}).json()
    assert [item["name"] for item in data["results"]] == ["Saumur"]
    assert data["results"][0]["commune"]["code"] == "49328"
    bad = client.get("/api/v1/tiers-lieux", {"commune": "99999"})
    assert bad.status_code == 400 and "Aucune commune" in bad.json()["errors"]["commune"][0]


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("/api/v1/stories", "/api/v1/events", "/api/v1/events.ics", "/api/v1/tiers-lieux"):
        assert path in paths or f"{path}/" in paths, path
    overview = next(p for p in paths if p.startswith("/api/v1/epci/") and p.rstrip("/").endswith("/overview"))
    assert "get" in paths[overview]
