"""Who may see or answer a referral. Default deny.

- answer (accept, decline, close, refer onward): the active members of the organisation the referral is addressed
  to, and staff;
- see: the same people, and the project's holder when they have an account;
- answer by link (no account): the holder of an unrevoked `AnswerLink` of that referral, while it is open;
- the regional orientation desk (see and forward what nobody could receive): staff, and the members of the
  organisation that runs the desk (`settings.MAILLE_DESK_ORGANISATION`).
"""

from django.conf import settings

from maille.accounts.perms import is_staff


def _is_active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_answer_referral(user, referral) -> bool:
    if is_staff(user):
        return True
    if not _is_active(user):
        return False
    return user.memberships.filter(organisation_id=referral.organisation_id).exists()


def can_view_referral(user, referral) -> bool:
    if not _is_active(user):
        return False
    if can_answer_referral(user, referral):
        return True
    holder_id = referral.project.holder_id
    return bool(holder_id and holder_id == user.pk)


def can_use_inbox(user) -> bool:
    """The organisations' inbox: members of an organisation, and staff (who see every organisation's referrals)."""
    return is_staff(user) or (_is_active(user) and user.memberships.exists())


OPEN_STATUSES = ("pending", "accepted")


def can_answer_with_link(link, referral) -> bool:
    """An e-mailed link answers its own referral only, while the referral is open and the link not revoked."""
    if link is None or link.revoked_at is not None or link.referral_id != referral.pk:
        return False
    return referral.status in OPEN_STATUSES


def can_use_desk(user) -> bool:
    if is_staff(user):
        return True
    if not _is_active(user):
        return False
    return user.memberships.filter(organisation__slug=settings.MAILLE_DESK_ORGANISATION).exists()
