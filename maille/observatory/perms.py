"""Who may see what in the observatory. Figures (aggregates of the public register) are public; the detection lists
are for advisors, pilots and staff (any territory) and EPCI agents (their EPCI and its communes only). Default deny."""

from maille.accounts.enums import Role
from maille.accounts.perms import has_role, is_staff
from maille.accounts.selectors import epci_codes_of

from .enums import StatLevel


def can_view_detection(user, level: str | None = None, code: str | None = None) -> bool:
    """The detection lists, for a territory (or in general when no territory is given)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_staff(user) or has_role(user, Role.PILOT) or has_role(user, Role.ADVISOR):
        return True
    if not has_role(user, Role.EPCI_AGENT):
        return False
    if level is None:
        return True
    epcis = epci_codes_of(user)
    if level == StatLevel.EPCI:
        return code in epcis
    if level == StatLevel.COMMUNE:
        from maille.territories.selectors import get_commune

        commune = get_commune(code or "")
        return commune is not None and commune.epci_id in epcis
    return False


def default_territory(user, region_code: str) -> tuple[str, str]:
    """Where a person's detection lists open: an EPCI agent's EPCI, else the région."""
    if not is_staff(user) and has_role(user, Role.EPCI_AGENT):
        epcis = sorted(epci_codes_of(user))
        if epcis:
            return StatLevel.EPCI.value, epcis[0]
    return StatLevel.REGION.value, region_code


def can_signal(user) -> bool:
    """« Signaler à un réseau » creates a detected project: the projects' own rule."""
    from maille.projects.perms import can_create_detected_project

    return can_create_detected_project(user)
