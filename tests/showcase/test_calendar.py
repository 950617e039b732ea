"""The iCalendar feeds (all events, and per territory) parse back with the `icalendar` library and carry the
fields RFC 5545 requires (VERSION, PRODID; per VEVENT: UID, DTSTAMP, DTSTART) and those a calendar shows."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"\r\n" in body  # RFC 5545 lines end with CRLF
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded at 75 octets
    return Calendar.from_ical(body)


def test_the_feed_of_all_events_is_valid_rfc_5545(client):
    laval = EventFactory(title="Forum de l'ESS à Laval — édition spéciale " + "x" * 80, kind="forum")
    online = EventFactory(commune=None, online_url="https://visio.example.org/salle", kind="webinaire")
    calendar = parse(client.get(reverse("api-events-ics")))
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"evenement-{laval.pk}@127.0.0.1", f"evenement-{online.pk}@127.0.0.1"}
    first = events[f"evenement-{laval.pk}@127.0.0.1"]
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL", "DESCRIPTION"):
        assert name in first, name
    assert first.decoded("DTSTART") == laval.starts_at.replace(microsecond=0)
    assert first.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert first.decoded("DTEND") == laval.ends_at.replace(microsecond=0)
    assert str(first["SUMMARY"]) == laval.title  # long lines unfolded back
    assert "Laval" in str(first["LOCATION"])
    assert str(first["URL"]).endswith(f"/vitrine/evenements/{laval.slug}/")
    assert "https://visio.example.org/salle" in str(events[f"evenement-{online.pk}@127.0.0.1"]["LOCATION"])


def test_the_territory_feed_keeps_the_events_of_that_territory(client):
    laval = EventFactory()  # Laval, Mayenne (53), Laval Agglomération
    EventFactory(commune_id="44109")  # Nantes
    for level, code in (("departement", "53"), ("commune", "53130"), ("epci", laval.commune.epci_id)):
        calendar = parse(client.get(reverse("api-events-ics"), {"level": level, "code": code}))
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"evenement-{laval.pk}@127.0.0.1"]
    page_feed = parse(client.get(reverse("showcase:events_ics"), {"level": "departement", "code": "44"}))
    assert len(page_feed.walk("VEVENT")) == 1


def test_a_bad_territory_gets_a_french_400(client):
    response = client.get(reverse("api-events-ics"), {"level": "canton", "code": "1"})
    assert response.status_code == 400
    assert "Niveau inconnu" in response.json()["errors"]["level"][0]
    response = client.get(reverse("api-events-ics"), {"level": "departement", "code": "99"})
    assert response.status_code == 400
    assert "code" in response.json()["errors"]
