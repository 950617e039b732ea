"""The showcase's demo data: labelled, idempotent, and giving every page something to show."""

import pytest

from maille.showcase import demo
from maille.showcase.models import Event, Partnership, Registration, Story, TiersLieu

pytestmark = pytest.mark.django_db


def test_demo_data_is_labelled_and_loads_once(client):
    demo.load_tiers_lieux()
    first = demo.load()
    assert first["événements"] == 5 and first["réussites"] == 3
    assert demo.load() == {key: 0 for key in first}
    assert demo.load_tiers_lieux() == {"tiers-lieux (sources publiques)": 0}
    real = TiersLieu.objects.filter(is_demo=False)
    assert real.count() == 2 and all(place.source_url.startswith("https://") for place in real)
    assert all("(fictif)" in place.name for place in TiersLieu.objects.filter(is_demo=True))
    assert all("(démo)" in event.title and event.is_demo for event in Event.objects.all())
    assert all(story.is_demo for story in Story.objects.all())
    full = Event.objects.get(slug="atelier-modele-economique-demo")
    assert full.registrations.filter(status="confirmed").count() == full.capacity == 2
    assert full.registrations.filter(status="waiting").count() == 1
    assert all(r.email.endswith("@example.org") for r in Registration.objects.all())
    assert Partnership.objects.get(epci_id="244900015").status == "discussion"
    for url in (
        "/vitrine/",
        "/vitrine/reussites/",
        "/vitrine/evenements/",
        "/vitrine/tiers-lieux/",
        "/vitrine/formations/",
        "/vitrine/epci/244900015/",
    ):
        assert client.get(url).status_code == 200, url
