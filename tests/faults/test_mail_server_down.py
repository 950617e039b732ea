"""The mail server down, through the real SMTP backend on a real port: nothing is lost, everything is sent once the
server is back, never twice. The server refuses connections, then hangs (the attempt times out), then works.
tests/core/test_outbox.py covers the same with a failing backend, the worker and two senders at once."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from freezegun import freeze_time

from maille.core.emails import RETRY_DELAYS, send_on_commit
from maille.core.enums import OutboxStatus
from maille.core.models import OutboxEmail

from .smtp import SMTPServer, free_port

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
ADDRESSES = [f"porteur{i}@example.org" for i in range(5)]


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 1
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return port


def send_outbox():
    call_command("send_outbox", "--no-progress", verbosity=0)


def statuses():
    return sorted(OutboxEmail.objects.values_list("status", "attempts"))


def test_a_mail_server_that_refuses_then_hangs_then_works_loses_nothing_and_sends_once(
    smtp, django_capture_on_commit_callbacks
):
    with freeze_time(START):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            for address in ADDRESSES:  # nobody listens on the port: connection refused
                send_on_commit(address, "Votre projet", "project_created", {"project": {"name": "Atelier"}})
        assert statuses() == [(OutboxStatus.PENDING, 1)] * 5
        assert all(
            "ConnectionRefusedError" in e for e in OutboxEmail.objects.values_list("last_error", flat=True)
        )

    with SMTPServer(smtp, hang=True), freeze_time(START + RETRY_DELAYS[0]):
        send_outbox()  # the server accepts and never answers: each attempt times out
    assert statuses() == [(OutboxStatus.PENDING, 2)] * 5
    assert all("timed out" in e for e in OutboxEmail.objects.values_list("last_error", flat=True))

    with SMTPServer(smtp) as server:
        with freeze_time(START + RETRY_DELAYS[0] + datetime.timedelta(seconds=30)):
            send_outbox()  # not due yet
        assert server.received == []
        with freeze_time(START + RETRY_DELAYS[0] + RETRY_DELAYS[1]):
            send_outbox()
            send_outbox()  # run twice (cron beside the worker): still once
        assert sorted(r for message in server.received for r in message["to"]) == ADDRESSES
        assert all(b"Subject: [Maille] Votre projet" in message["data"] for message in server.received)
    assert statuses() == [(OutboxStatus.SENT, 3)] * 5
