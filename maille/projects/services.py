"""Changing projects: creation (by the holder, or detected by an advisor / EPCI agent), consent, timeline, funding
plan; the signed link that brings the holder back without a password."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.audit import record
from maille.core.emails import send_on_commit

from .enums import TimelineKind
from .models import Project, TimelineEntry

LINK_SALT = "maille.projects.holder-link"
LINK_MAX_AGE = 60 * 60 * 24 * 365  # a year: the holder may come back for the project's whole support


def holder_token(project: Project) -> str:
    return signing.dumps({"p": project.pk, "e": project.holder_email.lower()}, salt=LINK_SALT, compress=True)


def project_from_token(token: str) -> Project | None:
    """The project of a signed link, or None when the link is altered, expired or its e-mail changed."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    project = Project.objects.filter(pk=data.get("p")).first()
    if project is None or project.holder_email.lower() != data.get("e"):
        return None
    return project


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


@transaction.atomic
def log_timeline(project: Project, actor, kind: str, text: str, happened_on=None, organisation=None):
    """An advisor logs a support action, funding, milestone or note in the shared file."""
    entry = add_timeline(
        project, kind, text, author=actor, organisation=organisation, happened_on=happened_on
    )
    record(actor, "project.timeline", project, kind=kind, entry=entry.pk)
    return entry


@transaction.atomic
def add_funding_line(project: Project, line, actor, organisation=None):
    """A line of the funding plan, and its entry in the timeline."""
    line.project = project
    line.full_clean()
    line.save()
    text = _("%(status)s auprès de %(funder)s pour « %(expense)s » : %(amount)s € demandés.") % {
        "status": line.get_status_display(),
        "funder": line.funder.name,
        "expense": line.expense,
        "amount": line.amount_asked,
    }
    if line.amount_granted is not None:
        text += " " + _("%(amount)s € accordés.") % {"amount": line.amount_granted}
    add_timeline(project, TimelineKind.FUNDING, text, author=actor, organisation=organisation)
    record(actor, "project.funding_line", project, line=line.pk)
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
