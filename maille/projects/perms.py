"""Who may see or change a project. Default deny.

- the holder (their account, or the signed link checked by the views);
- staff;
- members of an organisation that detected the project;
- members of an organisation with a referral on the project — only if the holder consented to share the file.
"""

from maille.accounts.perms import is_staff


def _member_organisations(user):
    return user.memberships.values_list("organisation_id", flat=True)


def can_view_project(user, project) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if is_staff(user) or (project.holder_id and project.holder_id == user.pk):
        return True
    organisations = set(_member_organisations(user))
    if project.detected_by_id in organisations:
        return True
    if project.consent_to_share:
        return project.referrals.filter(organisation_id__in=organisations).exists()
    return False


def can_add_to_timeline(user, project) -> bool:
    """Log support actions, funding, milestones and notes: those who see the file, except a plain account."""
    return can_view_project(user, project) and (is_staff(user) or user.memberships.exists())


def can_view_holder_contact(user, project) -> bool:
    """The holder's e-mail and phone: same as the file (the holder consented to share it)."""
    return can_view_project(user, project)


def can_create_detected_project(user) -> bool:
    """Advisors and EPCI agents create projects they detected, on behalf of a holder."""
    from maille.accounts.enums import MemberRole

    if is_staff(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return user.memberships.filter(role__in=[MemberRole.ADVISOR, MemberRole.EPCI_AGENT]).exists()
