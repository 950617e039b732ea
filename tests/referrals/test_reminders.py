"""Reminders at day 9 and 21 to the organisation, expiry at day 45 with the holder told; never an e-mail twice."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from freezegun import freeze_time

from maille.referrals import services
from maille.referrals.enums import ReferralStatus
from maille.referrals.models import Referral
from tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def day(n: int, hour: int = 0) -> datetime.datetime:
    return START + datetime.timedelta(days=n, hours=hour)


@pytest.fixture
def pending(project, offer, advisor, second_advisor):
    with freeze_time(START):
        return ReferralFactory(project=project, offer=offer)


def run_command() -> str:
    out = StringIO()
    call_command("send_referral_reminders", "--no-progress", stdout=out, stderr=StringIO())
    return out.getvalue()


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


# The organisation's advisors (the offer's contact is told only when the organisation has no advisor).
ORGANISATION = [
    "conseiller2@reseau-test.example",
    "conseillere@reseau-test.example",
]


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """`send_reminders` at a given moment, its e-mails sent as after a real commit."""

    def run(now: datetime.datetime) -> dict:
        with freeze_time(now), django_capture_on_commit_callbacks(execute=True):
            return services.send_reminders()

    return run


NOTHING = {"first_reminders": 0, "second_reminders": 0, "expired": 0}


def test_reminders_then_expiry_each_once(pending, remind, django_capture_on_commit_callbacks):
    assert remind(day(8, 23)) == NOTHING
    assert mail.outbox == []

    assert remind(day(9, 1)) == {**NOTHING, "first_reminders": 1}
    assert recipients() == ORGANISATION
    for message in mail.outbox:
        assert "Rappel" in message.subject
        assert "9 jours" in message.body and "16 avril 2026" in message.body
        assert message.alternatives[0].mimetype == "text/html"
        assert "16 avril 2026" in message.alternatives[0].content
    assert remind(day(9, 2)) == NOTHING  # the same day again: nothing
    assert len(mail.outbox) == len(ORGANISATION)
    pending.refresh_from_db()
    assert pending.first_reminder_sent_at == day(9, 1)

    mail.outbox.clear()
    assert remind(day(20)) == NOTHING
    assert remind(day(21, 1)) == {**NOTHING, "second_reminders": 1}
    assert remind(day(21, 2)) == NOTHING
    assert recipients() == ORGANISATION
    assert all("Second rappel" in m.subject for m in mail.outbox)
    pending.refresh_from_db()
    assert pending.second_reminder_sent_at == day(21, 1)

    mail.outbox.clear()
    assert remind(day(44)) == NOTHING
    assert remind(day(45, 1)) == {**NOTHING, "expired": 1}
    [message] = mail.outbox
    assert message.to == ["porteuse@example.org"]
    assert "sans réponse" in message.subject
    pending.refresh_from_db()
    assert pending.status == ReferralStatus.EXPIRED
    assert pending.expired_at == day(45, 1)

    mail.outbox.clear()
    with freeze_time(day(46)), django_capture_on_commit_callbacks(execute=True):
        first, second = run_command(), run_command()
    assert mail.outbox == []
    assert "Demandes expirées (porteur informé) : 0" in first and first == second


def test_the_command_run_twice_sends_nothing_more(pending, django_capture_on_commit_callbacks):
    with freeze_time(day(9, 2)):
        with django_capture_on_commit_callbacks(execute=True):
            out = run_command()
        assert "Premiers rappels envoyés : 1" in out
        assert len(mail.outbox) == len(ORGANISATION)
        with django_capture_on_commit_callbacks(execute=True):
            again = run_command()
    assert len(mail.outbox) == len(ORGANISATION)
    assert "Premiers rappels envoyés : 0" in again


def test_a_late_run_sends_only_the_latest_reminder(pending, remind):
    assert remind(day(25)) == {**NOTHING, "second_reminders": 1}
    assert remind(day(26)) == NOTHING
    assert len(mail.outbox) == len(ORGANISATION)
    assert all("Second rappel" in m.subject for m in mail.outbox)


def test_answered_referrals_get_no_reminder(pending, advisor, remind):
    with freeze_time(day(2)):
        services.accept(pending, advisor)
    for n in (9, 21, 45, 60):
        assert remind(day(n, 1)) == NOTHING
    assert mail.outbox == []
    assert Referral.objects.get(pk=pending.pk).status == ReferralStatus.ACCEPTED


def test_a_stamp_set_meanwhile_is_respected(pending, django_capture_on_commit_callbacks):
    """Another run stamped the referral between the selection and the lock: no second e-mail."""
    with freeze_time(day(9, 1)):
        Referral.objects.filter(pk=pending.pk).update(first_reminder_sent_at=day(9))
        with django_capture_on_commit_callbacks(execute=True):
            assert services._remind(pending.pk, 1, day(9, 1)) is False
    assert mail.outbox == []


@override_settings(
    MAILLE_REFERRAL_FIRST_REMINDER_DAYS=2,
    MAILLE_REFERRAL_SECOND_REMINDER_DAYS=4,
    MAILLE_REFERRAL_EXPIRY_DAYS=6,
)
def test_durations_come_from_the_settings(pending, remind):
    assert remind(day(2, 1)) == {**NOTHING, "first_reminders": 1}
    assert remind(day(4, 1)) == {**NOTHING, "second_reminders": 1}
    assert remind(day(6, 1)) == {**NOTHING, "expired": 1}


def test_the_command_shows_a_progress_bar_on_stderr(pending):
    out, err = StringIO(), StringIO()
    with freeze_time(day(9, 1)):
        call_command("send_referral_reminders", stdout=out, stderr=err)
    assert "Mises en relation" in err.getvalue()
    assert "Premiers rappels envoyés : 1" in out.getvalue()
