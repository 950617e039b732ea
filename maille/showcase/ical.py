"""iCalendar feeds of the events (RFC 5545), written with the `icalendar` library: one VEVENT per event, with a
stable UID, DTSTAMP, DTSTART/DTEND in UTC, SUMMARY, DESCRIPTION, LOCATION and URL."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .services import event_url


def uid_of(event) -> str:
    host = urlsplit(settings.MAILLE_SITE_URL).hostname or "maille.localhost"
    return f"evenement-{event.pk}@{host}"


def location_of(event) -> str:
    parts = [event.address, event.commune.name if event.commune_id else ""]
    place = ", ".join(part for part in parts if part)
    if event.online_url:
        place = f"{place} — {event.online_url}" if place else event.online_url
    return place


def build_calendar(events, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.MAILLE_PLATFORM_NAME}//Temps collectifs//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    now = timezone.now()
    for event in events:
        item = VEvent()
        item.add("uid", uid_of(event))
        item.add("dtstamp", now)
        item.add("dtstart", event.starts_at.astimezone(datetime.UTC))
        item.add("dtend", event.ends_at.astimezone(datetime.UTC))
        item.add("last-modified", event.updated_at)
        item.add("summary", event.title)
        item.add("description", f"{event.get_kind_display()} — {event.organiser.name}\n\n{event.description}")
        location = location_of(event)
        if location:
            item.add("location", location)
        item.add("url", event_url(event))
        item.add("categories", [str(event.get_kind_display())])
        item.add("status", "CONFIRMED")
        calendar.add_component(item)
    return calendar.to_ical()
