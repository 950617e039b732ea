"""A task that keeps failing is reported to staff: an outbox e-mail given up after its last attempt makes one
report to the staff accounts (never a report about a report, at most one an hour) and is listed, for staff only, on
the orientation desk page — which does not depend on e-mail at all."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from freezegun import freeze_time

from maille.core.emails import FAILURE_REPORT_INTERVAL, FAILURE_REPORT_TEMPLATE, MAX_ATTEMPTS, deliver
from maille.core.enums import OutboxStatus
from maille.core.models import OutboxEmail
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BROKEN = "tests.core.test_outbox.BrokenBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DESK = "/mises-en-relation/guichet/"


def last_attempt(to="porteuse@example.org", template="project_created", subject="Votre projet"):
    """A pending row on its last attempt: the next failure gives it up."""
    return OutboxEmail.objects.create(
        to=to,
        subject=subject,
        body_text="Bonjour",
        template=template,
        attempts=MAX_ATTEMPTS - 1,
        next_attempt_at=timezone.now(),
    )


def reports():
    return OutboxEmail.objects.filter(template=FAILURE_REPORT_TEMPLATE).order_by("to")


def test_an_email_given_up_is_reported_to_every_active_staff_account(
    settings, django_capture_on_commit_callbacks
):
    UserFactory(email="equipe@maille.example", is_staff=True)
    UserFactory(email="admin@maille.example", is_staff=True, is_superuser=True)
    UserFactory(email="ancienne@maille.example", is_staff=True, is_active=False)
    UserFactory(email="conseiller@example.org")
    row = last_attempt()
    settings.EMAIL_BACKEND = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED

    assert [r.to for r in reports()] == ["admin@maille.example", "equipe@maille.example"]
    report = reports().first()
    assert report.status == OutboxStatus.PENDING  # the mail server is still down: it waits and is retried
    assert report.subject == "[Maille] E-mails abandonnés dans la file d'envoi"
    assert "porteuse@example.org" in report.body_text
    assert "Votre projet" in report.body_text
    assert "injoignable" in report.body_text
    assert "/admin/core/outboxemail/?status__exact=failed" in report.body_text

    settings.EMAIL_BACKEND = LOCMEM  # the server is back: the reports go out, once
    with freeze_time(timezone.now() + datetime.timedelta(minutes=2)):
        call_command("send_outbox", "--no-progress", verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@maille.example", "equipe@maille.example"]


def test_a_report_that_is_given_up_is_never_reported(settings, django_capture_on_commit_callbacks):
    """The mail server stays down: the report fails like the rest, and no report of the report follows."""
    UserFactory(email="equipe@maille.example", is_staff=True)
    report = last_attempt(to="equipe@maille.example", template=FAILURE_REPORT_TEMPLATE)
    settings.EMAIL_BACKEND = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(report.pk) == "failed"
    assert OutboxEmail.objects.count() == 1
    report.refresh_from_db()
    assert report.status == OutboxStatus.FAILED


def test_many_emails_given_up_at_once_make_one_report_an_hour(settings, django_capture_on_commit_callbacks):
    UserFactory(email="equipe@maille.example", is_staff=True)
    settings.EMAIL_BACKEND = BROKEN
    with freeze_time(START):
        rows = [last_attempt(to=f"porteur{i}@example.org") for i in range(20)]
        with django_capture_on_commit_callbacks(execute=True):
            assert {deliver(row.pk) for row in rows} == {"failed"}
    assert reports().count() == 1  # the first one gives up and reports; the 19 others are on the lists
    assert "1 e-mail abandonné en tout" in reports().get().body_text

    with freeze_time(START + FAILURE_REPORT_INTERVAL + datetime.timedelta(minutes=1)):
        late = last_attempt(to="tardif@example.org")
        with django_capture_on_commit_callbacks(execute=True):
            deliver(late.pk)
    assert reports().count() == 2  # a new hour, a new report (counting the 21)
    assert "21 e-mails abandonnés en tout" in reports().order_by("-pk").first().body_text


def test_a_staff_member_whose_address_fails_is_not_sent_the_report_of_it(
    settings, django_capture_on_commit_callbacks
):
    UserFactory(email="equipe@maille.example", is_staff=True)
    UserFactory(email="boite-pleine@maille.example", is_staff=True)
    row = last_attempt(to="Boite-Pleine@maille.example", template="password_reset_key")
    settings.EMAIL_BACKEND = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        deliver(row.pk)
    assert [r.to for r in reports()] == ["equipe@maille.example"]


def test_a_retry_is_not_reported(settings, django_capture_on_commit_callbacks):
    UserFactory(email="equipe@maille.example", is_staff=True)
    row = OutboxEmail.objects.create(
        to="porteuse@example.org", subject="Votre projet", body_text="Bonjour", next_attempt_at=timezone.now()
    )
    settings.EMAIL_BACKEND = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(row.pk) == "retry"
    assert not reports().exists()


def test_staff_see_the_given_up_emails_on_the_desk_page(client):
    OutboxEmail.objects.create(
        to="perdue@example.org",
        subject="Votre projet « Atelier »",
        body_text="Bonjour",
        status=OutboxStatus.FAILED,
        attempts=MAX_ATTEMPTS,
        last_error="ConnectionRefusedError: serveur SMTP injoignable",
    )
    OutboxEmail.objects.create(to="partie@example.org", subject="Envoyé", status=OutboxStatus.SENT)
    client.force_login(UserFactory(is_staff=True))
    page = client.get(DESK)
    assert page.status_code == 200
    html = page.content.decode()
    assert "1 e-mail abandonné dans la file d'envoi" in html
    assert "perdue@example.org" in html and "injoignable" in html
    assert "partie@example.org" not in html
    assert "/admin/core/outboxemail/?status__exact=failed" in html


def test_desk_members_who_are_not_staff_do_not_see_the_addresses(client, settings):
    from maille.directory.models import Organisation

    OutboxEmail.objects.create(
        to="perdue@example.org", subject="Votre projet", status=OutboxStatus.FAILED, attempts=MAX_ATTEMPTS
    )
    desk_org = Organisation.objects.get(slug=settings.MAILLE_DESK_ORGANISATION)
    member = MembershipFactory(organisation=desk_org).user
    client.force_login(member)
    page = client.get(DESK)
    assert page.status_code == 200
    assert "perdue@example.org" not in page.content.decode()
    assert "abandonné" not in page.content.decode()


def test_with_nothing_given_up_the_desk_page_shows_no_notice(client):
    client.force_login(UserFactory(is_staff=True))
    page = client.get(DESK)
    assert page.status_code == 200
    assert "abandonné" not in page.content.decode()
