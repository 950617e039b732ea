"""allauth's account adapter: its e-mails (login code, password reset, confirmation) go through the outbox, like
every e-mail of Maille, and their links point at the configured site address (`MAILLE_SITE_URL`)."""

from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from maille.core.emails import queue_message


def on_site_url(url: str) -> str:
    """An absolute link built from the request, moved to `MAILLE_SITE_URL` (the address people actually use)."""
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc):
        return url
    return settings.MAILLE_SITE_URL + urlunsplit(("", "", parts.path, parts.query, parts.fragment))


def site() -> SimpleNamespace:
    """What allauth's templates call the site: the platform's name and the configured address, not the request's."""
    return SimpleNamespace(
        name=settings.MAILLE_PLATFORM_NAME, domain=urlsplit(settings.MAILLE_SITE_URL).netloc
    )


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            key: on_site_url(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, **context, "current_site": site()},
        )
        queue_message(message, template=template_prefix.rsplit("/", 1)[-1])
