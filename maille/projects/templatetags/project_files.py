"""Template helpers of projects: whether a referral opens its project's file, without a query (for list rows)."""

from django import template

from ..perms import REFERRAL_ACCESS

register = template.Library()


@register.filter
def opens_file(referral) -> bool:
    """For a member of the referral's organisation: the holder consented and the referral was not declined or
    expired (the rule of `perms.file_access`, read from the row already loaded)."""
    return bool(referral.project.consent_to_share and referral.status in REFERRAL_ACCESS)
