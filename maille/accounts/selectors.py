"""Reading people's roles and organisations."""

from maille.directory.models import Organisation

from .enums import MemberRole, Role


def roles_of(user) -> set[Role]:
    """Every role a user holds: from their memberships, plus staff, plus project holder for any other account."""
    if not user.is_authenticated:
        return set()
    roles = {Role(role) for role in user.memberships.values_list("role", flat=True)}
    if user.is_staff:
        roles.add(Role.STAFF)
    if not roles:
        roles.add(Role.PROJECT_HOLDER)
    return roles


def organisations_of(user, role: MemberRole | None = None):
    if not user.is_authenticated:
        return Organisation.objects.none()
    filters = {"memberships__user": user}
    if role:
        filters["memberships__role"] = role
    return Organisation.objects.filter(**filters).distinct()


def epci_codes_of(user) -> set[str]:
    """The EPCI an agent acts for (through the organisations where they are an EPCI agent)."""
    return set(
        organisations_of(user, MemberRole.EPCI_AGENT).exclude(epci=None).values_list("epci_id", flat=True)
    )
