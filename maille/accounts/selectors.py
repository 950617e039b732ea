"""Reading people's roles and organisations."""

from .enums import ROLE_BY_KIND, OrganisationKind, Role
from .models import Organisation


def roles_of(user) -> set[Role]:
    """Every role a user holds: from their memberships, plus staff, plus project holder for any other account."""
    if not user.is_authenticated:
        return set()
    roles = {
        ROLE_BY_KIND[OrganisationKind(kind)]
        for kind in user.memberships.values_list("organisation__kind", flat=True)
    }
    if user.is_staff:
        roles.add(Role.STAFF)
    if not roles:
        roles.add(Role.PROJECT_HOLDER)
    return roles


def organisations_of(user, kind: OrganisationKind | None = None):
    if not user.is_authenticated:
        return Organisation.objects.none()
    qs = Organisation.objects.filter(memberships__user=user)
    return qs.filter(kind=kind) if kind else qs


def epci_codes_of(user) -> set[str]:
    """The EPCI an agent acts for (through their EPCI organisations)."""
    return set(organisations_of(user, OrganisationKind.EPCI).values_list("epci_id", flat=True))
