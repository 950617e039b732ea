"""Changing projects: creation (by the holder, or detected by an advisor / EPCI agent), consent, timeline, funding
plan; the holder's link that brings them back without a password (an opaque token, stored hashed, `HolderLink`).

A funding line's status is a small state machine: `LINE_TRANSITIONS` is the table of allowed moves with who makes
each, and each move is one function (`ask_funding_line`, `withdraw_funding_line`, `grant_funding_line`,
`refuse_funding_line`) that locks the row, re-reads its status, checks the permission (`perms`), saves with
`update_fields`, and writes an audit entry and a timeline entry.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from maille.core.audit import record
from maille.core.emails import send_on_commit
from maille.core.tokens import new_token, token_hash

from . import perms
from .enums import FundingLineStatus, TimelineKind
from .models import HolderLink, Project, TimelineEntry

LINK_MAX_AGE = datetime.timedelta(
    days=365
)  # a year: the holder may come back for the project's whole support


def holder_token(project: Project) -> str:
    """A new opaque link token for the holder (32 random bytes; only its hash is stored, nothing readable in it)."""
    token = new_token()
    HolderLink.objects.create(
        project=project,
        token_hash=token_hash(token),
        email_hash=token_hash(project.holder_email.lower()),
        expires_at=timezone.now() + LINK_MAX_AGE,
    )
    return token


def project_from_token(token: str) -> Project | None:
    """The project of a holder's link, or None when the token is unknown, expired, revoked, or the project's e-mail
    changed since it was issued."""
    if not token or len(token) > 100:
        return None
    link = (
        HolderLink.objects.select_related("project")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if link is None or link.email_hash != token_hash(link.project.holder_email.lower()):
        return None
    if link.last_used_at is None or timezone.now() - link.last_used_at > datetime.timedelta(hours=1):
        HolderLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link.project


def revoke_holder_links(project: Project) -> int:
    """Every link of the project stops working (the holder gets a new one by « lien perdu »)."""
    return project.holder_links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


def holder_link(project: Project) -> str:
    return settings.MAILLE_SITE_URL + reverse("projects:holder", args=[holder_token(project)])


def add_timeline(project: Project, kind: str, text: str, author=None, organisation=None, happened_on=None):
    return TimelineEntry.objects.create(
        project=project,
        kind=kind,
        text=text,
        author=author,
        organisation=organisation,
        happened_on=happened_on,
    )


@transaction.atomic
def create_project(project: Project, actor=None, detected_by=None) -> Project:
    """Save a new project and e-mail its holder the signed link (or, for a detected project, a confirmation)."""
    if project.consent_to_share and project.consented_at is None:
        project.consented_at = timezone.now()
    project.created_by = actor if getattr(actor, "is_authenticated", False) else None
    project.detected_by = detected_by
    if (
        detected_by is not None
        and getattr(actor, "is_authenticated", False)
        and project.commune_id
        and not perms.can_detect_in(actor, detected_by, project.commune)
    ):
        raise ValidationError(
            {
                "commune": [
                    _(
                        "%(organisation)s agit pour son intercommunalité : choisissez une commune de son "
                        "territoire, ou signalez le projet au réseau qui couvre cette commune."
                    )
                    % {"organisation": detected_by.name}
                ]
            }
        )
    project.full_clean()
    project.save()
    if detected_by is not None:
        add_timeline(
            project,
            TimelineKind.MILESTONE,
            _("Projet repéré par %(organisation)s.") % {"organisation": detected_by.name},
            author=project.created_by,
            organisation=detected_by,
        )
        template, subject = (
            "project_detected",
            _("Confirmez votre projet « %(name)s »") % {"name": project.name},
        )
    else:
        add_timeline(project, TimelineKind.MILESTONE, _("Projet déposé sur la plateforme."))
        template, subject = "project_created", _("Votre projet « %(name)s »") % {"name": project.name}
    record(actor, "project.create", project, detected_by=detected_by.pk if detected_by else None)
    send_on_commit(
        project.holder_email, subject, template, {"project": project, "link": holder_link(project)}
    )
    return project


@transaction.atomic
def confirm_by_holder(project: Project) -> bool:
    """The holder confirms a project that someone detected for them (idempotent)."""
    if project.holder_confirmed_at is not None:
        return False
    project.holder_confirmed_at = timezone.now()
    project.save(update_fields=["holder_confirmed_at", "updated_at"])
    add_timeline(project, TimelineKind.MILESTONE, _("Le porteur a confirmé son projet."))
    record(None, "project.confirm", project)
    return True


@transaction.atomic
def set_consent(project: Project, consent: bool) -> None:
    project.consent_to_share = consent
    project.consented_at = timezone.now() if consent else None
    project.save(update_fields=["consent_to_share", "consented_at", "updated_at"])
    record(None, "project.consent", project, consent=consent)


def resend_holder_link(project: Project) -> None:
    """E-mail the holder their signed link again (to continue a project instead of creating a duplicate)."""
    subject = _("Le lien pour revenir à votre projet « %(name)s »") % {"name": project.name}
    record(None, "project.resend_link", project)
    send_on_commit(
        project.holder_email, subject, "project_created", {"project": project, "link": holder_link(project)}
    )


def propose_existing(existing: Project, new: Project) -> None:
    """A project was just filed with the e-mail or SIRET of a recent one: its holder is told at the address on file,
    with the link to continue it, and nobody else learns that it exists."""
    subject = _("Vous avez déjà un projet en cours : « %(name)s »") % {"name": existing.name}
    record(None, "project.duplicate_proposed", existing, new=new.pk)
    send_on_commit(
        existing.holder_email,
        subject,
        "project_duplicate",
        {
            "project": existing,
            "link": holder_link(existing),
            "same_email": existing.holder_email.lower() == new.holder_email.lower(),
        },
    )


@transaction.atomic
def log_timeline(project: Project, actor, kind: str, text: str, happened_on=None, organisation=None):
    """An advisor logs a support action, funding, milestone or note in the shared file."""
    entry = add_timeline(
        project, kind, text, author=actor, organisation=organisation, happened_on=happened_on
    )
    record(actor, "project.timeline", project, kind=kind, entry=entry.pk)
    return entry


def _euros(amount) -> str:
    """« 45 000,00 » (French grouping and decimal comma), for timeline texts."""
    return number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def check_grant(line, amount_granted) -> None:
    """A grant is more than 0 and at most the amount asked (a funder grants all or part of the request)."""
    if amount_granted is None:
        raise ValidationError({"amount_granted": [_("Indiquez le montant accordé.")]})
    if amount_granted <= 0:
        raise ValidationError(
            {"amount_granted": [_("Le montant accordé doit être supérieur à 0 : sinon, refusez la demande.")]}
        )
    if amount_granted > line.amount_asked:
        raise ValidationError(
            {
                "amount_granted": [
                    _("Le montant accordé ne peut pas dépasser le montant demandé (%(asked)s €).")
                    % {"asked": _euros(line.amount_asked)}
                ]
            }
        )


@transaction.atomic
def add_funding_line(project: Project, line, actor, organisation=None):
    """A line of the funding plan, and its entry in the timeline."""
    line.project = project
    if line.status == FundingLineStatus.WITHDRAWN:
        raise ValidationError({"status": [_("Une nouvelle ligne ne peut pas être retirée.")]})
    if line.status == FundingLineStatus.GRANTED:
        check_grant(line, line.amount_granted)
    else:
        line.amount_granted = None
    line.full_clean()
    line.save()
    text = _("%(status)s auprès de %(funder)s pour « %(expense)s » : %(amount)s € demandés.") % {
        "status": line.get_status_display(),
        "funder": line.funder.name,
        "expense": line.expense,
        "amount": _euros(line.amount_asked),
    }
    if line.amount_granted is not None:
        text += " " + _("%(amount)s € accordés.") % {"amount": _euros(line.amount_granted)}
    add_timeline(project, TimelineKind.FUNDING, text, author=actor, organisation=organisation)
    record(actor, "project.funding_line", project, line=line.pk)
    return line


# --- the funding line's status -----------------------------------------------------------------------------------

# Who may make a move: those who can complete the file, or the funder concerned (`perms.can_decide_funding_line`).
EDITORS = "editors"
FUNDER = "funder"

LINE_TRANSITIONS: dict[tuple[str, str], str] = {
    (FundingLineStatus.PLANNED, FundingLineStatus.ASKED): EDITORS,
    (FundingLineStatus.PLANNED, FundingLineStatus.WITHDRAWN): EDITORS,
    (FundingLineStatus.ASKED, FundingLineStatus.WITHDRAWN): EDITORS,
    (FundingLineStatus.ASKED, FundingLineStatus.GRANTED): FUNDER,
    (FundingLineStatus.ASKED, FundingLineStatus.REFUSED): FUNDER,
}


class FundingLineError(Exception):
    """The line is no longer in a state that allows this move (often: someone else moved it first)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def line_moves(line) -> list[str]:
    """The statuses a line may move to from its current one."""
    return [target for (current, target) in LINE_TRANSITIONS if current == line.status]


def _check_line_permission(line, target: str, actor) -> None:
    if LINE_TRANSITIONS.get((line.status, target)) == FUNDER:
        if not perms.can_decide_funding_line(actor, line):
            raise PermissionDenied(_("Seul le financeur concerné peut accorder ou refuser cette demande."))
    elif not perms.can_edit_funding_line(actor, line):
        raise PermissionDenied(_("Vous ne pouvez pas modifier le plan de financement de ce dossier."))


def _move_line(line, target: str, actor, check=None, **changes):
    """Lock the row, re-read its status, check the move and who makes it, save. Call inside `transaction.atomic`."""
    from .models import FundingLine

    locked = FundingLine.objects.select_for_update().select_related("project", "funder").get(pk=line.pk)
    if (locked.status, target) not in LINE_TRANSITIONS:
        raise FundingLineError(
            _(
                "Cette ligne est désormais « %(status)s » : elle ne peut plus passer à « %(target)s ». "
                "Rechargez la page pour voir son état actuel."
            )
            % {"status": locked.get_status_display(), "target": FundingLineStatus(target).label}
        )
    _check_line_permission(locked, target, actor)
    if check is not None:
        check(locked)
    locked.status = target
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.save(update_fields=["status", *changes, "updated_at"])
    for field in ["status", *changes]:
        setattr(line, field, getattr(locked, field))
    return locked


def _line_event(line, actor, action: str, text: str, organisation=None, **data) -> None:
    add_timeline(line.project, TimelineKind.FUNDING, text, author=_user(actor), organisation=organisation)
    record(actor, f"project.funding_line.{action}", line, project=line.project_id, **data)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def ask_funding_line(line, actor, organisation=None):
    """A planned line is sent to its funder: it now appears on the funder's page."""
    locked = _move_line(line, FundingLineStatus.ASKED, actor)
    _line_event(
        locked,
        actor,
        "ask",
        _("Demande adressée à %(funder)s pour « %(expense)s » : %(amount)s € demandés.")
        % {"funder": locked.funder.name, "expense": locked.expense, "amount": _euros(locked.amount_asked)},
        organisation=organisation,
    )
    return line


@transaction.atomic
def withdraw_funding_line(line, actor, organisation=None):
    """An open line (planned or asked) leaves the plan: listed, no longer counted. Final."""
    locked = _move_line(line, FundingLineStatus.WITHDRAWN, actor)
    _line_event(
        locked,
        actor,
        "withdraw",
        _("Ligne retirée du plan de financement : %(funder)s, « %(expense)s » (%(amount)s € demandés).")
        % {"funder": locked.funder.name, "expense": locked.expense, "amount": _euros(locked.amount_asked)},
        organisation=organisation,
    )
    return line


@transaction.atomic
def grant_funding_line(line, actor, amount_granted):
    """The funder grants all or part of what was asked (0 < amount ≤ asked). Final."""
    locked = _move_line(
        line,
        FundingLineStatus.GRANTED,
        actor,
        check=lambda locked: check_grant(locked, amount_granted),
        amount_granted=amount_granted,
    )
    _line_event(
        locked,
        actor,
        "grant",
        _("%(funder)s accorde %(granted)s € pour « %(expense)s » (%(asked)s € demandés).")
        % {
            "funder": locked.funder.name,
            "granted": _euros(amount_granted),
            "expense": locked.expense,
            "asked": _euros(locked.amount_asked),
        },
        organisation=locked.funder,
        amount_granted=str(amount_granted),
    )
    return line


@transaction.atomic
def refuse_funding_line(line, actor):
    """The funder refuses the request: listed, no longer counted. Final."""
    locked = _move_line(line, FundingLineStatus.REFUSED, actor)
    _line_event(
        locked,
        actor,
        "refuse",
        _("%(funder)s refuse la demande pour « %(expense)s » (%(asked)s € demandés).")
        % {"funder": locked.funder.name, "expense": locked.expense, "asked": _euros(locked.amount_asked)},
        organisation=locked.funder,
    )
    return line


EDITABLE_LINE_FIELDS = ("funder", "scheme", "expense", "amount_asked")


@transaction.atomic
def edit_funding_line(line, actor, organisation=None, **changes):
    """Change the funder, scheme, expense or amount asked of an open line (planned or asked)."""
    from .models import FundingLine

    unknown = set(changes) - set(EDITABLE_LINE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    locked = FundingLine.objects.select_for_update().select_related("project", "funder").get(pk=line.pk)
    if locked.status not in perms.OPEN_LINE_STATUSES:
        raise FundingLineError(
            _("Cette ligne est désormais « %(status)s » : elle ne peut plus être modifiée.")
            % {"status": locked.get_status_display()}
        )
    if not perms.can_edit_funding_line(actor, locked):
        raise PermissionDenied(_("Vous ne pouvez pas modifier le plan de financement de ce dossier."))
    before = {
        field: str(getattr(locked, f"{field}_id" if field in ("funder", "scheme") else field))
        for field in changes
    }
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save(update_fields=[*changes, "updated_at"])
    for field in changes:
        setattr(line, field, getattr(locked, field))
    _line_event(
        locked,
        actor,
        "edit",
        _("Ligne du plan modifiée : %(funder)s, « %(expense)s », %(amount)s € demandés.")
        % {"funder": locked.funder.name, "expense": locked.expense, "amount": _euros(locked.amount_asked)},
        organisation=organisation,
        before=before,
    )
    return line


@transaction.atomic
def set_budget(project: Project, total_need, actor):
    """The total need to finance (for the funding plan's gap)."""
    from .models import ProjectBudget

    budget, _created = ProjectBudget.objects.update_or_create(
        project=project, defaults={"total_need": total_need}
    )
    record(actor, "project.budget", project, total_need=str(total_need))
    return budget
