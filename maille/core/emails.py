"""E-mails in plain French, HTML and text, sent once the transaction that caused them has committed."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def build_email(to: str, subject: str, template: str, context: dict, headers: dict | None = None):
    """`template` names `templates/emails/<template>.txt` and `.html`."""
    context = {
        "platform_name": settings.MAILLE_PLATFORM_NAME,
        "site_url": settings.MAILLE_SITE_URL,
        **context,
    }
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message


def send_on_commit(to: str, subject: str, template: str, context: dict, headers: dict | None = None) -> None:
    message = build_email(to, subject, template, context, headers)
    transaction.on_commit(message.send)
