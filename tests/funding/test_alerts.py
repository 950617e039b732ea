"""Saved funding searches: subscribe, confirm by e-mail, daily/weekly alerts sent once, unsubscribe."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from maille.funding.models import AlertDelivery, SavedSearch
from tests.factories import FundingSchemeFactory

pytestmark = pytest.mark.django_db


def subscribe(client, django_capture_on_commit_callbacks, **extra):
    data = {
        "email": "porteuse@example.org",
        "frequency": "daily",
        "stage": "creation",
        "commune": "53130",
        **extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/financements/alertes/", data)


def confirm(client, saved):
    client.post(f"/financements/alertes/{saved.token}/confirmer/")
    saved.refresh_from_db()


def test_subscribing_sends_a_confirmation_email_in_html_and_text(client, django_capture_on_commit_callbacks):
    response = subscribe(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    saved = SavedSearch.objects.get()
    assert saved.confirmed_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["porteuse@example.org"]
    assert "Confirmez" in message.subject
    assert f"/financements/alertes/{saved.token}/confirmer/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_a_bad_subscription_is_a_400_and_saves_nothing(client, django_capture_on_commit_callbacks):
    response = subscribe(client, django_capture_on_commit_callbacks, email="pas-une-adresse", commune="99999")
    assert response.status_code == 400
    assert "adresse" in response.content.decode().lower()
    assert not SavedSearch.objects.exists()
    assert not mail.outbox


def test_confirmation_needs_a_post_and_is_idempotent(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    saved = SavedSearch.objects.get()
    client.get(f"/financements/alertes/{saved.token}/confirmer/")
    saved.refresh_from_db()
    assert saved.confirmed_at is None  # a link preview does not confirm
    confirm(client, saved)
    first = saved.confirmed_at
    confirm(client, saved)
    assert saved.confirmed_at == first


def test_new_matching_schemes_are_sent_once(client, django_capture_on_commit_callbacks):
    subscribe(client, django_capture_on_commit_callbacks)
    saved = SavedSearch.objects.get()
    confirm(client, saved)
    mail.outbox.clear()
    match = FundingSchemeFactory(
        name="Nouvelle aide à la création", stages=["creation"], zones=[("departement", "53")]
    )
    FundingSchemeFactory(name="Autre stade", stages=["consolidation"], zones=[("departement", "53")])
    FundingSchemeFactory(name="Autre département", stages=["creation"], zones=[("departement", "85")])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_funding_alerts", verbosity=0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Nouvelle aide à la création" in message.body
    assert "Autre stade" not in message.body and "Autre département" not in message.body
    assert f"/financements/alertes/{saved.token}/desinscription/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert list(AlertDelivery.objects.values_list("scheme_id", flat=True)) == [match.pk]

    with (
        freeze_time(timezone.now() + datetime.timedelta(days=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_funding_alerts", verbosity=0)
    assert len(mail.outbox) == 1  # nothing new: nothing sent, never the same scheme twice


def test_schemes_existing_before_the_subscription_are_not_sent(client, django_capture_on_commit_callbacks):
    FundingSchemeFactory(stages=["creation"], zones=[("departement", "53")])
    subscribe(client, django_capture_on_commit_callbacks)
    confirm(client, SavedSearch.objects.get())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_funding_alerts", verbosity=0)
    assert not mail.outbox


def test_weekly_alerts_wait_a_week_and_unconfirmed_or_unsubscribed_get_nothing(
    client, django_capture_on_commit_callbacks
):
    subscribe(client, django_capture_on_commit_callbacks, frequency="weekly")
    subscribe(client, django_capture_on_commit_callbacks, email="jamais-confirme@example.org")
    weekly = SavedSearch.objects.get(frequency="weekly")
    confirm(client, weekly)
    mail.outbox.clear()
    FundingSchemeFactory(stages=["creation"], zones=[("region", "52")])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_funding_alerts", verbosity=0)
    assert [m.to for m in mail.outbox] == [["porteuse@example.org"]]
    FundingSchemeFactory(stages=["creation"], zones=[("region", "52")])
    with (
        freeze_time(timezone.now() + datetime.timedelta(days=3)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_funding_alerts", verbosity=0)
    assert len(mail.outbox) == 1
    client.post(f"/financements/alertes/{weekly.token}/desinscription/")
    with (
        freeze_time(timezone.now() + datetime.timedelta(days=8)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_funding_alerts", verbosity=0)
    assert len(mail.outbox) == 1


def test_unknown_token_is_a_404(client):
    assert (
        client.get("/financements/alertes/6f1c6a1e-0000-4000-8000-000000000000/confirmer/").status_code == 404
    )
