"""The given-up e-mails of the outbox, for staff, on the pages they watch (the orientation desk)."""

from django import template

from maille.accounts.perms import is_staff
from maille.core.emails import failed_emails

register = template.Library()

SHOWN = 10


@register.inclusion_tag("core/_failed_emails.html", takes_context=True)
def failed_emails_notice(context):
    """Nothing for anyone but staff (the outbox holds people's addresses); for staff, the latest given-up e-mails."""
    request = context.get("request")
    if request is None or not is_staff(request.user):
        return {"shown": False}
    rows = failed_emails()
    return {"shown": True, "count": rows.count(), "emails": list(rows[:SHOWN])}
