"""E-mails in plain French, HTML and text, that are never lost.

`send_on_commit` writes the e-mail to the outbox (`OutboxEmail`) in the caller's transaction — rolled back with it —
and, once that transaction commits, enqueues the task that sends it (`maille.core.tasks.send_outbox_email`).
`deliver` sends one row under its lock, never twice; a failure is recorded and retried with a growing delay
(`RETRY_DELAYS`) until the row is given up (status « abandonné », visible in the back-office). `manage.py send_outbox`
sends every due row: the backstop for retries where the task backend cannot defer, and for a task that was lost.

A given-up row is reported to staff (`report_given_up`): an e-mail to the active staff accounts, at most one every
`FAILURE_REPORT_INTERVAL`, never about a report that was itself given up (a mail server that is down cannot start a
loop of reports), an error in the log, and the list of given-up e-mails on the desk page and in the back-office —
which do not depend on e-mail at all.
"""

import datetime
import logging
import re
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import OutboxStatus
from .models import OutboxEmail

logger = logging.getLogger(__name__)

# Wait before the 2nd, 3rd… attempt; after the last one fails too, the e-mail is given up (about 39 hours in all).
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
    datetime.timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# The report of given-up e-mails to staff: its template, and at most one report in this interval.
FAILURE_REPORT_TEMPLATE = "outbox_failed"
FAILURE_REPORT_INTERVAL = datetime.timedelta(hours=1)


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


def one_line(subject: str) -> str:
    """A subject is one header line: line breaks (a project name typed on two lines) become spaces."""
    return re.sub(r"\s*[\r\n]+\s*", " ", str(subject)).strip()


def render_text(template_name: str, context: dict) -> str:
    """A text part, rendered without autoescaping: an apostrophe stays an apostrophe, `&` stays `&`."""
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def build_email(to: str, subject: str, template: str, context: dict, headers: dict | None = None):
    """`template` names `templates/emails/<template>.txt` and `.html`."""
    context = {
        "platform_name": settings.MAILLE_PLATFORM_NAME,
        "site_url": settings.MAILLE_SITE_URL,
        **context,
    }
    text = render_text(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=one_line(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + str(subject)),
        body=text,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_on_commit(to: str, subject: str, template: str, context: dict, headers: dict | None = None) -> None:
    """Write the e-mail to the outbox now; it is sent once the current transaction commits (never if it rolls back)."""
    queue_message(build_email(to, subject, template, context, headers), template=template)


def queue_message(message: EmailMessage, template: str = "") -> list[OutboxEmail]:
    """Write a prepared message to the outbox, one row per recipient, and send each once the transaction commits."""
    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
    )
    text = message.body
    if message.content_subtype == "html":
        html, text = message.body, ""
    rows = [
        OutboxEmail.objects.create(
            to=address,
            from_email=message.from_email or "",
            subject=one_line(message.subject)[:998],
            body_text=text,
            body_html=html,
            headers=dict(message.extra_headers),
            template=template[:120],
            next_attempt_at=timezone.now(),
        )
        for address in message.to
        if not address.lower().endswith(".invalid")  # RFC 2606: never delivered (partner tokens' accounts)
    ]
    for row in rows:
        transaction.on_commit(partial(enqueue_delivery, row.pk), robust=True)
    return rows


def enqueue_delivery(email_id: int, run_after: datetime.datetime | None = None) -> None:
    """Hand one outbox row to the task backend; a retry needs a backend that can defer (else `send_outbox` does it)."""
    from .tasks import send_outbox_email

    task = send_outbox_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue(email_id)


def to_message(email: OutboxEmail) -> EmailMessage:
    """The Django message of an outbox row."""
    common = {
        "subject": email.subject,
        "from_email": email.from_email or None,
        "to": [email.to],
        "headers": email.headers or {},
    }
    if not email.body_text:
        message = EmailMessage(body=email.body_html, **common)
        message.content_subtype = "html"
        return message
    message = EmailMultiAlternatives(body=email.body_text, **common)
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


@contextmanager
def _write_transaction():
    """`transaction.atomic`; on SQLite the write lock is taken at once (BEGIN IMMEDIATE), so two senders of one row
    wait for each other as `select_for_update` makes them do on PostgreSQL."""
    connection = transaction.get_connection()
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    connection.ensure_connection()
    previous = connection.transaction_mode
    connection.transaction_mode = "IMMEDIATE"
    try:
        with transaction.atomic():
            yield
    finally:
        connection.transaction_mode = previous


def deliver(email_id: int, force: bool = False) -> str:
    """Send one outbox row under its lock: never twice, never before its next attempt (unless `force`).

    On an error the attempt and the error are recorded and the next attempt is scheduled after `RETRY_DELAYS`;
    after `MAX_ATTEMPTS` the row is given up. Returns an `Outcome`.
    """
    with _write_transaction():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        now = timezone.now()
        if email is None or email.status != OutboxStatus.PENDING:
            return Outcome.SKIPPED
        if not force and email.next_attempt_at is not None and email.next_attempt_at > now:
            return Outcome.SKIPPED
        email.attempts += 1
        try:
            to_message(email).send()
        except Exception as error:  # any failure of the mail backend: recorded, retried
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboxStatus.FAILED
                email.next_attempt_at = None
                outcome = Outcome.FAILED
                logger.error("E-mail %s abandonné après %s tentatives : %s", email.pk, email.attempts, error)
            else:
                email.next_attempt_at = now + RETRY_DELAYS[email.attempts - 1]
                outcome = Outcome.RETRY
                logger.warning("E-mail %s non envoyé (tentative %s) : %s", email.pk, email.attempts, error)
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if outcome == Outcome.FAILED:
                report_given_up(email)
            if outcome == Outcome.RETRY:
                transaction.on_commit(partial(enqueue_delivery, email.pk, email.next_attempt_at), robust=True)
            return outcome
        email.status = OutboxStatus.SENT
        email.sent_at = now
        email.next_attempt_at = None
        email.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        return Outcome.SENT


def failed_emails():
    """Given-up rows, the latest first (the desk page's and the report's list)."""
    return OutboxEmail.objects.filter(status=OutboxStatus.FAILED).order_by("-created_at", "-pk")


def report_given_up(email: OutboxEmail) -> list[OutboxEmail]:
    """Tell staff, in the transaction that gives `email` up, that e-mails are being given up; returns the reports.

    Not when `email` is itself a report (its failure is in the log and on the lists, never reported by e-mail: a mail
    server that is down would otherwise report its reports forever), and not when a report was queued less than
    `FAILURE_REPORT_INTERVAL` ago (the lists show every given-up e-mail; a thousand given up at once make one report).
    """
    if email.template == FAILURE_REPORT_TEMPLATE:
        return []
    since = timezone.now() - FAILURE_REPORT_INTERVAL
    if OutboxEmail.objects.filter(template=FAILURE_REPORT_TEMPLATE, created_at__gte=since).exists():
        return []
    from django.contrib.auth import get_user_model

    recipients = (
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .exclude(email__iexact=email.to)
        .order_by("pk")
        .values_list("email", flat=True)
    )
    context = {
        "email": email,
        "failed_count": failed_emails().count(),
        "list_url": settings.MAILLE_SITE_URL + "/admin/core/outboxemail/?status__exact=failed",
        "attempts": MAX_ATTEMPTS,
    }
    rows = []
    for address in recipients:
        subject = _("E-mails abandonnés dans la file d'envoi")
        message = build_email(address, subject, FAILURE_REPORT_TEMPLATE, context)
        rows += queue_message(message, template=FAILURE_REPORT_TEMPLATE)
    return rows


def due_emails(now: datetime.datetime | None = None):
    """Pending rows whose next attempt has come, oldest first (the worker's and `send_outbox`'s query)."""
    now = now or timezone.now()
    due = Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True)
    return OutboxEmail.objects.filter(due, status=OutboxStatus.PENDING).order_by("next_attempt_at", "pk")


def send_due(progress=lambda rows: rows) -> dict[str, int]:
    """Send every due pending row once; safe to run twice or beside the worker (each row is sent under its lock)."""
    summary = {Outcome.SENT: 0, Outcome.RETRY: 0, Outcome.FAILED: 0, Outcome.SKIPPED: 0}
    for email_id in progress(list(due_emails().values_list("pk", flat=True))):
        summary[deliver(email_id)] += 1
    return summary


def resend(emails) -> int:
    """Put given-up or pending rows back in the queue now, with a fresh count of attempts (a sent one is left)."""
    count = 0
    for email in emails.exclude(status=OutboxStatus.SENT):
        with transaction.atomic():
            updated = OutboxEmail.objects.filter(pk=email.pk).exclude(status=OutboxStatus.SENT)
            if updated.update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now()):
                transaction.on_commit(partial(enqueue_delivery, email.pk), robust=True)
                count += 1
    return count
