"""E-mails are never lost: the outbox row is written in the transaction, sent at commit, retried with backoff when
the mail server fails, sent exactly once when it recovers, given up after the last attempt."""

import datetime
import threading
import time
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from maille.core.emails import MAX_ATTEMPTS, RETRY_DELAYS, build_email, deliver, send_on_commit
from maille.core.enums import OutboxStatus
from maille.core.models import OutboxEmail
from maille.core.tasks import send_outbox_email
from maille.projects.services import create_project
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
BROKEN = "tests.core.test_outbox.BrokenBackend"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("serveur SMTP injoignable")


def project_context(name="L'Atelier & Co"):
    return {
        "project": {"holder_name": "Zoé L'Hermite", "name": name},
        "link": "http://127.0.0.1:8000/projets/x/",
    }


def queue_one(capture, to="porteuse@example.org"):
    with capture(execute=True), transaction.atomic():
        send_on_commit(to, "Votre projet", "project_created", project_context())
    return OutboxEmail.objects.get(to=to)


def send_outbox():
    out = StringIO()
    call_command("send_outbox", "--no-progress", stdout=out)
    return out.getvalue()


def test_an_email_is_written_in_the_transaction_and_sent_when_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_on_commit("porteuse@example.org", "Votre projet", "project_created", project_context())
        row = OutboxEmail.objects.get()
        assert row.status == OutboxStatus.PENDING
        assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    assert [m.to for m in mail.outbox] == [["porteuse@example.org"]]
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_an_email_is_rolled_back_with_the_change_that_caused_it(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_on_commit("porteuse@example.org", "Votre projet", "project_created", project_context())
        raise RuntimeError("la modification échoue")
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_a_project_and_its_email_are_written_together(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        project = create_project(ProjectFactory.build(holder_email="lea@example.org"))
    row = OutboxEmail.objects.get(to="lea@example.org")
    assert row.template == "project_created"
    assert project.name in row.subject
    assert row.status == OutboxStatus.PENDING


def test_with_a_failing_mail_server_nothing_is_lost(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = BROKEN
    with freeze_time(START):
        row = queue_one(django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert "ConnectionRefusedError: serveur SMTP injoignable" in row.last_error
    assert row.next_attempt_at == START + RETRY_DELAYS[0]
    assert row.sent_at is None
    assert mail.outbox == []


def test_once_the_server_works_again_send_outbox_sends_it_exactly_once(
    django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = BROKEN
    with freeze_time(START):
        row = queue_one(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with freeze_time(START + datetime.timedelta(seconds=30)):
        assert "Envoyés : 0" in send_outbox()  # the retry is not due yet
    assert mail.outbox == []

    with freeze_time(START + datetime.timedelta(minutes=2)):
        output = send_outbox()
        assert "Envoyés : 1" in output
        row.refresh_from_db()
        assert row.status == OutboxStatus.SENT
        assert row.attempts == 2
        assert row.sent_at == START + datetime.timedelta(minutes=2)
        assert len(mail.outbox) == 1

        assert "Envoyés : 0" in send_outbox()  # never twice: not by the command …
        send_outbox_email.enqueue(row.pk)  # … nor by a task that arrives late
    assert len(mail.outbox) == 1


def test_the_task_sends_a_pending_email_once(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = BROKEN
    with freeze_time(START):
        row = queue_one(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with freeze_time(START + RETRY_DELAYS[0]):
        assert send_outbox_email.enqueue(row.pk).return_value == "sent"
        assert send_outbox_email.enqueue(row.pk).return_value == "skipped"
    assert len(mail.outbox) == 1


def test_the_delay_grows_then_the_email_is_given_up(django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = BROKEN
    with freeze_time(START):
        row = queue_one(django_capture_on_commit_callbacks)
    delays = []
    now = START
    for _ in range(MAX_ATTEMPTS - 1):
        row.refresh_from_db()
        delays.append(row.next_attempt_at - now)
        now = row.next_attempt_at
        with freeze_time(now):
            send_outbox()
    assert delays == list(RETRY_DELAYS)
    assert delays == sorted(delays)
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert row.next_attempt_at is None
    assert "injoignable" in row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with freeze_time(now + datetime.timedelta(days=30)):
        assert "Envoyés : 0" in send_outbox()
    assert mail.outbox == []


def test_staff_send_a_given_up_email_again_from_the_back_office(
    client, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = BROKEN
    failed = queue_one(django_capture_on_commit_callbacks)
    OutboxEmail.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED, attempts=MAX_ATTEMPTS)
    sent = queue_one(django_capture_on_commit_callbacks, to="deja@example.org")
    OutboxEmail.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get("/admin/core/outboxemail/")
    assert page.status_code == 200
    assert "injoignable" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/outboxemail/",
            {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT
    assert [m.to for m in mail.outbox] == [["porteuse@example.org"]]  # the sent one is not sent again


def test_text_parts_carry_no_html_entities():
    message = build_email("porteuse@example.org", "Votre projet", "project_created", project_context())
    assert "Votre projet « L'Atelier & Co »" in message.body
    assert "Zoé L'Hermite" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "L&#x27;Atelier &amp; Co" in html  # the HTML part stays escaped


def test_links_keep_their_ampersands_in_the_text_part(django_capture_on_commit_callbacks, settings):
    from maille.funding.models import SavedSearch
    from maille.funding.services import alert_links, create_saved_search

    with django_capture_on_commit_callbacks(execute=True):
        saved = create_saved_search(
            SavedSearch(email="alerte@example.org", stage="creation", query="café & co", frequency="weekly")
        )
    assert "&#x27;" not in mail.outbox[0].body
    assert f"{settings.MAILLE_SITE_URL}/financements/" in mail.outbox[0].body

    links = alert_links(saved)
    message = build_email(
        "alerte@example.org", "Alerte", "funding_alert", {"saved": saved, "schemes": [], **links}
    )
    assert "&" in links["search_url"]
    assert links["search_url"] in message.body
    assert "&amp;" not in message.body


def test_a_subject_with_a_line_break_stays_on_one_line(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_on_commit(
            "porteuse@example.org", "Votre projet « L'Épicerie\r\nsolidaire »", "project_created", {}
        )
    assert mail.outbox[0].subject == "[Maille] Votre projet « L'Épicerie solidaire »"
    assert "\n" not in OutboxEmail.objects.get().subject


def test_links_in_emails_start_with_the_site_url(django_capture_on_commit_callbacks, settings):
    settings.MAILLE_SITE_URL = "https://maille.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        create_project(ProjectFactory.build(holder_email="lea@example.org"))
    message = mail.outbox[0]
    links = [word for word in message.body.split() if "://" in word]
    assert links and all(link.startswith("https://maille.example.org/") for link in links)
    assert 'href="https://maille.example.org/' in message.alternatives[0][0]


def test_allauth_emails_go_through_the_outbox_with_site_links(
    client, django_capture_on_commit_callbacks, settings
):
    settings.MAILLE_SITE_URL = "https://maille.example.org"
    user = UserFactory(email="camille@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comptes/password/reset/", {"email": user.email})
    assert response.status_code == 302
    row = OutboxEmail.objects.get(to=user.email)
    assert row.status == OutboxStatus.SENT
    assert row.template == "password_reset_key"
    assert "https://maille.example.org/comptes/password/reset/key/" in row.body_text
    assert "testserver" not in row.body_text
    assert len(mail.outbox) == 1


def test_the_login_code_goes_through_the_outbox(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="dominique@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comptes/login/code/", {"email": user.email})
    row = OutboxEmail.objects.get(to=user.email)
    assert row.status == OutboxStatus.SENT
    assert mail.outbox[0].subject == row.subject


def run_worker():
    """The real worker command, in batch mode (inside the test's transaction: its connection is kept)."""
    worker = "django_tasks_db.management.commands.db_worker"
    with mock.patch(f"{worker}.close_old_connections"), mock.patch(f"{worker}.Worker.configure_signals"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_database_worker_sends_and_retries_later(django_capture_on_commit_callbacks, settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = BROKEN
    with freeze_time(START):
        row = queue_one(django_capture_on_commit_callbacks)
        done = list(DBTaskResult.objects.values_list("pk", flat=True))
        assert len(done) == 1  # enqueued at commit, not sent yet
        row.refresh_from_db()
        assert row.attempts == 0
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()
        row.refresh_from_db()
        assert row.attempts == 1 and row.status == OutboxStatus.PENDING
        retry = DBTaskResult.objects.exclude(pk__in=done).get()
        assert retry.run_after == START + RETRY_DELAYS[0]  # the worker will retry it when due

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with freeze_time(START + datetime.timedelta(seconds=30)):
        run_worker()
    assert mail.outbox == []
    with freeze_time(START + RETRY_DELAYS[0]):
        run_worker()
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    assert timezone.is_aware(row.sent_at)


class SlowBackend(BaseEmailBackend):
    """A slow mail server that counts what it really sends."""

    sent: list[str] = []

    def send_messages(self, email_messages):
        time.sleep(0.5)
        SlowBackend.sent.extend(address for message in email_messages for address in message.to)
        return len(email_messages)


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="Verrous de ligne réels : PostgreSQL seulement."
)
@pytest.mark.django_db(transaction=True)
def test_the_worker_and_the_command_at_once_send_an_email_once(settings):
    """Real transactions in two threads (the worker's task and cron's `send_outbox`): the row lock lets one send."""
    settings.EMAIL_BACKEND = "tests.core.test_outbox.SlowBackend"
    SlowBackend.sent = []
    row = OutboxEmail.objects.create(
        to="vite@example.org", subject="Essai", body_text="Bonjour", next_attempt_at=START
    )
    barrier = threading.Barrier(2, timeout=10)
    outcomes = []

    def send():
        try:
            barrier.wait()
            outcomes.append(deliver(row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert SlowBackend.sent == ["vite@example.org"]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)
