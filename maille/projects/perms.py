"""Who may see or change a project and its funding plan. Default deny.

The file (`file_access`, one rule also used by `selectors.projects_visible_to`):

- staff, and members of an organisation that detected the project: see and complete it;
- members of an organisation with a referral on the project, only if the holder consented to share the file: a pending
  or accepted referral lets them see and complete it, a closed one keeps a read-only view of what they did; a declined
  or expired one (and no other) no longer opens it (`LOST`: they knew the project, they are told why);
- the holder with an account: sees it (read-only).

The funding plan: those who can complete the file add lines, edit and withdraw the open ones (planned or asked) and
send a planned line to its funder; the funder's members (role « financeur ») grant or refuse what was asked of them —
when the funder has nobody on Maille, those who can complete the file record the decision the funder told them.
"""

from maille.accounts.enums import MemberRole
from maille.accounts.perms import is_staff
from maille.referrals.enums import ReferralStatus

from .enums import FundingLineStatus

EDIT, READ, LOST, NONE = "edit", "read", "lost", "none"

# What a referral of one's organisation gives on the file (when the holder consented); other statuses give nothing.
REFERRAL_ACCESS = {
    ReferralStatus.PENDING: EDIT,
    ReferralStatus.ACCEPTED: EDIT,
    ReferralStatus.CLOSED: READ,
}
OPEN_LINE_STATUSES = (FundingLineStatus.PLANNED, FundingLineStatus.ASKED)


def _is_active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _member_organisations(user):
    return user.memberships.values_list("organisation_id", flat=True)


def file_access(user, project) -> str:
    """EDIT, READ, LOST (a declined or expired referral only) or NONE."""
    if not _is_active(user):
        return NONE
    if is_staff(user):
        return EDIT
    organisations = set(_member_organisations(user))
    if project.detected_by_id is not None and project.detected_by_id in organisations:
        return EDIT
    statuses = set()
    if project.consent_to_share and organisations:
        statuses = set(
            project.referrals.filter(organisation_id__in=organisations).values_list("status", flat=True)
        )
    granted = {REFERRAL_ACCESS.get(status, NONE) for status in statuses}
    if EDIT in granted:
        return EDIT
    if READ in granted or (project.holder_id and project.holder_id == user.pk):
        return READ
    return LOST if statuses else NONE


def can_view_project(user, project) -> bool:
    return file_access(user, project) in (EDIT, READ)


def can_add_to_timeline(user, project) -> bool:
    """Complete the file (timeline, funding plan, total need): staff, the detecting organisation, an open referral."""
    return file_access(user, project) == EDIT


def has_lost_access(user, project) -> bool:
    """The user's organisations knew the project through referrals that were all declined or expired."""
    return file_access(user, project) == LOST


def can_view_holder_contact(user, project) -> bool:
    """The holder's e-mail and phone: same as the file (the holder consented to share it)."""
    return can_view_project(user, project)


def can_create_detected_project(user) -> bool:
    """Advisors and EPCI agents create projects they detected, on behalf of a holder."""
    if is_staff(user):
        return True
    if not _is_active(user):
        return False
    return user.memberships.filter(role__in=[MemberRole.ADVISOR, MemberRole.EPCI_AGENT]).exists()


# --- the funding plan --------------------------------------------------------------------------------------------


def is_funder_member(user, organisation_id) -> bool:
    if not _is_active(user):
        return False
    return user.memberships.filter(organisation_id=organisation_id, role=MemberRole.FUNDER).exists()


def funder_is_on_maille(organisation_id) -> bool:
    """The funder has at least one active member with the funder role: then only they decide on its lines."""
    from maille.accounts.models import Membership

    return Membership.objects.filter(
        organisation_id=organisation_id, role=MemberRole.FUNDER, user__is_active=True
    ).exists()


def can_edit_funding_line(user, line) -> bool:
    """Change, send to the funder or withdraw a line that is still open (planned or asked)."""
    return line.status in OPEN_LINE_STATUSES and can_add_to_timeline(user, line.project)


def can_decide_funding_line(user, line) -> bool:
    """Grant or refuse a line asked of a funder."""
    if line.status != FundingLineStatus.ASKED:
        return False
    if is_funder_member(user, line.funder_id):
        return True
    return not funder_is_on_maille(line.funder_id) and can_add_to_timeline(user, line.project)


def can_detect_in(user, organisation, commune) -> bool:
    """Where a member may record a detected project for an organisation: an EPCI agent within their EPCI only
    (`accounts.perms.can_act_for_epci`); an advisor or staff anywhere their network works."""
    from maille.accounts.enums import MemberRole
    from maille.accounts.perms import can_act_for_epci

    if is_staff(user):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    roles = set(user.memberships.filter(organisation=organisation).values_list("role", flat=True))
    if MemberRole.ADVISOR in roles:
        return True
    if MemberRole.EPCI_AGENT in roles:
        return (
            bool(organisation.epci_id)
            and commune.epci_id == organisation.epci_id
            and can_act_for_epci(user, commune.epci_id)
        )
    return False
