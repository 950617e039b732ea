"""Permission predicates for people and organisations. Default deny: each predicate says who may, nobody else."""

from .enums import Role
from .models import Membership
from .selectors import epci_codes_of, roles_of


def is_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def has_role(user, role: Role) -> bool:
    return bool(user.is_authenticated and user.is_active and role in roles_of(user))


def is_member(user, organisation) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def can_manage_organisation(user, organisation) -> bool:
    """Edit the organisation and its members: its admins and staff."""
    if is_staff(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    return Membership.objects.filter(user=user, organisation=organisation, is_admin=True).exists()


def can_view_members(user, organisation) -> bool:
    """See who belongs to an organisation (names, e-mails): its members and staff."""
    return is_staff(user) or is_member(user, organisation)


def can_view_personal_data(user, person) -> bool:
    """See a person's e-mail and details: that person and staff only."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.pk == person.pk or is_staff(user)


def can_act_for_epci(user, epci_code: str) -> bool:
    """An EPCI agent acts for their own intercommunality only; staff for any."""
    if is_staff(user):
        return True
    return has_role(user, Role.EPCI_AGENT) and epci_code in epci_codes_of(user)


def can_steer_strategy(user) -> bool:
    return is_staff(user) or has_role(user, Role.PILOT)


def needs_second_factor(user) -> bool:
    """Staff and pilots must have a TOTP authenticator (allauth.mfa) before using their account."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not (is_staff(user) or has_role(user, Role.PILOT)):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
