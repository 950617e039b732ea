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


def organisations_by_role(user) -> dict[MemberRole, list[Organisation]]:
    """The user's organisations grouped by the role they hold there (one query), each list by name."""
    from .models import Membership

    grouped: dict[MemberRole, list[Organisation]] = {}
    if not (user.is_authenticated and user.is_active):
        return grouped
    memberships = (
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
    )
    for membership in memberships:
        grouped.setdefault(MemberRole(membership.role), []).append(membership.organisation)
    return grouped


def member_emails(organisation_slug: str, role: MemberRole | None = None) -> list[str]:
    """The e-mail addresses of an organisation's active members (optionally of one role), sorted."""
    from .models import Membership

    members = Membership.objects.filter(organisation__slug=organisation_slug, user__is_active=True)
    if role:
        members = members.filter(role=role)
    return sorted(members.values_list("user__email", flat=True))


def staff_emails() -> list[str]:
    """The e-mail addresses of the active staff accounts, sorted."""
    from .models import User

    return sorted(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


def organisation_ids_with_advisors():
    """A subquery: the organisations with at least one active advisor account."""
    from .models import Membership

    return Membership.objects.filter(role=MemberRole.ADVISOR, user__is_active=True).values("organisation_id")
