"""Who may do what in the directory. Default deny: reading published offers is public; the rest is listed here."""

from maille.accounts.perms import is_member, is_staff


def can_edit_offers_of(user, organisation) -> bool:
    """Members of an organisation keep its offers up to date; staff edit everything."""
    return is_staff(user) or is_member(user, organisation)


def can_edit_offer(user, offer) -> bool:
    return can_edit_offers_of(user, offer.organisation)


def can_view_advisor_names(user) -> bool:
    """Advisors' names on the competences map: people of the networks (any membership) and staff, not the public."""
    if is_staff(user):
        return True
    return bool(user.is_authenticated and user.is_active and user.memberships.exists())


def can_import(user) -> bool:
    """Bulk imports of offers and schemes: staff only (organisations edit their offers one by one)."""
    return is_staff(user)


def can_review(user) -> bool:
    """The review queue (imported records to publish, records « à vérifier »): staff only."""
    return is_staff(user)


def can_confirm_offers_of(user, organisation) -> bool:
    """« Toujours à jour » on the site: the organisation's members and staff (without an account: the e-mailed link)."""
    return can_edit_offers_of(user, organisation)
