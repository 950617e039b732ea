"""Background tasks of the core app (django-tasks): sending one e-mail of the outbox."""

from django_tasks import task

from .emails import deliver


@task()
def send_outbox_email(email_id: int) -> str:
    """Send one outbox row (never twice); a failure is recorded on the row and retried later, so it never raises."""
    return deliver(email_id)
