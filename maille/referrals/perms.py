"""Who may see or answer a referral. Default deny.

- answer (accept, decline, close, refer onward): the active members of the organisation the referral is addressed
  to, and staff;
- see: the same people, and the project's holder when they have an account.
"""

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
