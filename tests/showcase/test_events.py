"""Events: registration within capacity, the waiting list, promotion on a cancellation (e-mailed), the cancellation
link (only its hash stored), attendance, and the pages."""

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maille.core.models import AuditEntry
from maille.showcase import services
from maille.showcase.models import Registration
from tests.factories import MembershipFactory, UserFactory

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def token_of(link: str) -> str:
    return re.search(r"/inscriptions/([^/]+)/annuler/", link).group(1)


def test_registrations_fill_the_places_then_the_waiting_list():
    event = EventFactory(capacity=2)
    statuses = [services.register(event, f"Personne {n}", f"p{n}@example.org")[0].status for n in range(4)]
    assert statuses == ["confirmed", "confirmed", "waiting", "waiting"]
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2
    assert len(mail.outbox) == 4
    assert "Inscription confirmée" in mail.outbox[0].subject
    assert "Liste d'attente" in mail.outbox[2].subject


def test_the_confirmation_mail_carries_a_cancellation_link_whose_token_is_stored_hashed(settings):
    event = EventFactory()
    registration, link = services.register(event, "Léa L'Hermite", "lea@example.org")
    message = mail.outbox[0]
    assert link in message.body and link.startswith(settings.MAILLE_SITE_URL)
    assert "&#x27;" not in message.body and "L'Hermite" in message.body  # text part without HTML entities
    assert link in message.alternatives[0][0]
    token = token_of(link)
    assert registration.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in registration.token_hash


def test_a_cancellation_promotes_the_oldest_person_waiting_and_tells_them(client):
    event = EventFactory(capacity=1)
    _first, link = services.register(event, "Première", "premiere@example.org")
    second, _ = services.register(event, "Deuxième", "deuxieme@example.org")
    third, _ = services.register(event, "Troisième", "troisieme@example.org")
    mail.outbox.clear()
    response = client.post(reverse("showcase:registration_cancel", args=[token_of(link)]))
    assert response.status_code == 302
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waiting")
    assert second.promoted_at is not None
    assert [m.to for m in mail.outbox] == [["deuxieme@example.org"]]
    assert "Une place s'est libérée" in mail.outbox[0].subject
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1
    assert AuditEntry.objects.filter(action="event.promote").count() == 1


def test_cancelling_a_waiting_place_promotes_nobody():
    event = EventFactory(capacity=1)
    services.register(event, "A", "a@example.org")
    waiting, _ = services.register(event, "B", "b@example.org")
    assert services.cancel(waiting) is None
    assert Registration.objects.filter(event=event, status="confirmed").count() == 1


def test_cancelling_twice_is_refused_and_changes_nothing():
    event = EventFactory()
    registration, _ = services.register(event, "A", "a@example.org")
    services.cancel(registration)
    with pytest.raises(services.RegistrationError, match="déjà annulée"):
        services.cancel(registration)


def test_the_same_address_cannot_register_twice():
    event = EventFactory()
    services.register(event, "A", "a@example.org")
    with pytest.raises(services.RegistrationError, match="déjà inscrite"):
        services.register(event, "A bis", "A@example.org")
    assert event.registrations.count() == 1


def test_sequential_registrations_never_exceed_capacity():
    """SQLite serialises writers; the same code on PostgreSQL is checked with real threads (test_concurrency)."""
    event = EventFactory(capacity=3)
    for n in range(10):
        services.register(event, f"P{n}", f"p{n}@example.org")
    assert event.registrations.filter(status="confirmed").count() == 3
    assert event.registrations.filter(status="waiting").count() == 7


def test_registration_after_the_start_is_refused():
    event = EventFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(services.RegistrationError, match="commencé"):
        services.register(event, "A", "a@example.org")
    assert not event.registrations.exists()


def test_bad_registration_input_gets_french_messages_and_writes_nothing(client):
    event = EventFactory()
    response = client.post(
        reverse("showcase:event", args=[event.slug]), {"name": "", "email": "pas-une-adresse"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Indiquez une adresse e-mail valide" in text
    assert not event.registrations.exists() and not mail.outbox


def test_the_event_page_registers_and_says_when_the_list_is_full(client):
    event = EventFactory(capacity=1)
    url = reverse("showcase:event", args=[event.slug])
    response = client.post(url, {"name": "Ana", "email": "ana@example.org"}, follow=True)
    assert "Votre inscription est confirmée" in response.content.decode()
    response = client.post(url, {"name": "Bob", "email": "bob@example.org"}, follow=True)
    text = response.content.decode()
    assert "liste d&#x27;attente" in text or "liste d'attente" in text
    assert "0 sur 1 disponibles" in text


def test_an_unknown_cancellation_link_is_a_french_404(client):
    response = client.get(reverse("showcase:registration_cancel", args=["inconnu"]))
    assert response.status_code == 404
    assert "Ce lien ne fonctionne pas" in response.content.decode()


def test_attendance_is_recorded_after_the_start_by_the_organiser_only(client):
    event = EventFactory(capacity=5)
    ana, _ = services.register(event, "Ana", "ana@example.org")
    bob, _ = services.register(event, "Bob", "bob@example.org")
    event.starts_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    stranger = UserFactory()
    with pytest.raises(services.PermissionDenied):
        services.record_attendance(event, stranger, [ana.pk])
    organiser = MembershipFactory(organisation=event.organiser).user
    client.force_login(organiser)
    response = client.post(reverse("showcase:event_attendance", args=[event.slug]), {"present": [ana.pk]})
    assert response.status_code == 302
    ana.refresh_from_db()
    bob.refresh_from_db()
    assert (ana.attended, bob.attended) == (True, False)
    client.force_login(stranger)
    assert client.get(reverse("showcase:event_attendance", args=[event.slug])).status_code == 403


def test_attendance_before_the_event_is_refused():
    event = EventFactory()
    services.register(event, "Ana", "ana@example.org")
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.RegistrationError):
        services.record_attendance(event, staff, [])
