"""The holders' personal data: who viewed it (audit), the holder's copy (JSON), erasure, and the retention period.

- `log_view` writes a « project.view » audit entry when a page or the API shows a project's personal data to
  someone (the same person, page and project at most once per `VIEW_LOG_INTERVAL`).
- `holder_data` gathers everything held about the projects of the holder's e-mail (projects, timeline, referrals,
  funding plan, consent history, links), for the download from the holder's page.
- `erase_for_holder` anonymises every project of that e-mail at the holder's request, e-mails a confirmation and
  revokes the links; `purge_inactive` does the same for projects without activity for the retention period
  (`MAILLE_PERSONAL_DATA_RETENTION_MONTHS`, 36 by default; `manage.py purge_inactive_projects`).

Anonymising keeps what the statistics need (the project, its stage, legal form, needs, commune, jobs, dates; its
referrals with their organisation and status; its funding lines with their amounts) and removes what identifies or
describes a person: name, e-mail, phone, SIRET, the project's name and description, every free text (timeline,
the holder's messages, answers), the holder's account link, and the e-mails already sent to them; a success story about the project loses its
consent (the showcase unpublishes it).
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.core.audit import record
from maille.core.emails import send_on_commit
from maille.core.models import AuditEntry

from . import services
from .enums import TimelineKind
from .models import Project

VIEW_LOG_INTERVAL = datetime.timedelta(minutes=15)
DEFAULT_RETENTION_MONTHS = 36
ERASED_TEXT = "[effacé]"
ANONYMOUS_DOMAIN = "anonyme.invalid"  # RFC 2606: the outbox never delivers to it


def retention_months() -> int:
    return int(getattr(settings, "MAILLE_PERSONAL_DATA_RETENTION_MONTHS", DEFAULT_RETENTION_MONTHS))


# --- who viewed it -------------------------------------------------------------------------------------------------


def log_view(user, project, via: str) -> None:
    """A « project.view » audit entry: `via` is the page (« file », « referral », « api »)."""
    if not getattr(user, "is_authenticated", False) or project.anonymised_at is not None:
        return
    recent = AuditEntry.objects.filter(
        actor=user,
        action="project.view",
        target_type=project._meta.label_lower,
        target_id=str(project.pk),
        data__via=via,
        created_at__gte=timezone.now() - VIEW_LOG_INTERVAL,
    )
    if not recent.exists():
        record(user, "project.view", project, via=via)


def project_log(project):
    """Every audit entry about the project or one of its funding lines, newest first (for staff)."""
    return (
        AuditEntry.objects.filter(
            Q(target_type=project._meta.label_lower, target_id=str(project.pk))
            | Q(target_type="projects.fundingline", data__project=project.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


# --- the holder's copy ---------------------------------------------------------------------------------------------


def holder_projects(project):
    """The projects of the same e-mail as this one (a holder may have filed several)."""
    return (
        Project.objects.filter(holder_email__iexact=project.holder_email, anonymised_at__isnull=True)
        .select_related("commune", "detected_by")
        .order_by("created_at", "pk")
    )


def _iso(value):
    return value.isoformat() if value is not None else None


def _project_data(project) -> dict:
    consent_log = [
        {"date": _iso(entry.created_at), "accord": entry.data.get("consent")}
        for entry in AuditEntry.objects.filter(
            action="project.consent", target_type="projects.project", target_id=str(project.pk)
        ).order_by("created_at", "pk")
    ]
    budget = getattr(project, "budget", None) if hasattr(project, "budget") else None
    return {
        "id": project.pk,
        "porteur": {
            "nom": project.holder_name,
            "email": project.holder_email,
            "telephone": project.holder_phone,
        },
        "projet": {
            "nom": project.name,
            "description": project.description,
            "commune": {"code": project.commune_id, "nom": project.commune.name},
            "forme_juridique": project.legal_form,
            "siret": project.siret,
            "stade": project.stage,
            "besoins": list(project.needs),
            "emplois_etp": str(project.jobs_fte),
            "annees_existence": project.years_of_existence,
            "naf": project.naf,
            "collectif": project.collective,
            "innovation_sociale": project.social_innovation,
            "tiers_lieu": project.tiers_lieu,
            "repere_par": project.detected_by.name if project.detected_by else None,
            "confirme_le": _iso(project.holder_confirmed_at),
            "cree_le": _iso(project.created_at),
            "modifie_le": _iso(project.updated_at),
        },
        "partage": {
            "accord": project.consent_to_share,
            "accord_donne_le": _iso(project.consented_at),
            "historique": consent_log,
        },
        "historique": [
            {
                "type": entry.kind,
                "texte": entry.text,
                "structure": entry.organisation.name if entry.organisation else None,
                "date": _iso(entry.happened_on),
                "ecrit_le": _iso(entry.created_at),
            }
            for entry in project.timeline.select_related("organisation").order_by("created_at", "pk")
        ],
        "mises_en_relation": [
            {
                "structure": referral.organisation.name,
                "offre": referral.offer.name if referral.offer_id else None,
                "statut": referral.status,
                "message": referral.message,
                "motif_du_refus": referral.decline_reason,
                "issue": referral.outcome,
                "commentaire_de_cloture": referral.outcome_note,
                "envoyee_le": _iso(referral.created_at),
                "reponse_le": _iso(referral.answered_at),
                "cloturee_le": _iso(referral.closed_at),
            }
            for referral in project.referrals.select_related("organisation", "offer").order_by(
                "created_at", "pk"
            )
        ],
        "plan_de_financement": {
            "besoin_total": str(budget.total_need) if budget else None,
            "lignes": [
                {
                    "financeur": line.funder.name,
                    "dispositif": line.scheme.name if line.scheme else None,
                    "depense": line.expense,
                    "montant_demande": str(line.amount_asked),
                    "montant_accorde": str(line.amount_granted) if line.amount_granted is not None else None,
                    "statut": line.status,
                }
                for line in project.funding_lines.select_related("funder", "scheme")
            ],
        },
        "liens_personnels": [
            {
                "cree_le": _iso(link.created_at),
                "expire_le": _iso(link.expires_at),
                "revoque_le": _iso(link.revoked_at),
            }
            for link in project.holder_links.order_by("created_at", "pk")
        ],
    }


def holder_data(project) -> dict:
    """Everything held about the holder of this project (all the projects of their e-mail), as JSON-ready data."""
    projects = list(holder_projects(project))
    for item in projects:
        record(None, "project.export", item)
    return {
        "plateforme": settings.MAILLE_PLATFORM_NAME,
        "exporte_le": timezone.now().isoformat(),
        "email": project.holder_email,
        "conservation": _("Données conservées %(months)s mois après la dernière activité du projet.")
        % {"months": retention_months()},
        "projets": [_project_data(item) for item in projects],
    }


# --- erasure -------------------------------------------------------------------------------------------------------


def _anonymise_emails(address: str) -> int:
    """The e-mails already sent (or given up) to the address keep their date and template, nothing personal."""
    from maille.core.enums import OutboxStatus
    from maille.core.models import OutboxEmail

    return (
        OutboxEmail.objects.filter(to__iexact=address)
        .exclude(status=OutboxStatus.PENDING)
        .update(to=f"efface@{ANONYMOUS_DOMAIN}", subject=ERASED_TEXT, body_text="", body_html="", headers={})
    )


def _withdraw_story_consents(project) -> None:
    """A success story told about the project loses the holder's consent: the showcase unpublishes it."""
    if not apps.is_installed("maille.showcase"):
        return
    from maille.showcase.services import withdraw_consent

    for story in project.stories.filter(consent_withdrawn_at__isnull=True):
        withdraw_consent(story)


@transaction.atomic
def anonymise(project: Project, actor=None, reason: str = "holder") -> bool:
    """Remove the holder's personal data from one project, keep its statistics (idempotent). `reason` is
    « holder » (their request), « retention » (the retention period) or « staff »."""
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.anonymised_at is not None:
        return False
    address = locked.holder_email
    services.revoke_holder_links(locked)
    locked.holder_name = _("Personne anonymisée")
    locked.holder_email = f"anonyme-{locked.pk}@{ANONYMOUS_DOMAIN}"
    locked.holder_phone = ""
    locked.holder = None
    locked.siret = ""
    locked.name = _("Projet anonymisé n° %(pk)s") % {"pk": locked.pk}
    locked.description = ERASED_TEXT
    locked.anonymised_at = timezone.now()
    locked.save()
    locked.timeline.update(text=ERASED_TEXT)
    locked.referrals.update(
        message="",
        decline_reason="",
        outcome_note="",
        answered_by_name="",
        answered_by_email="",
        answered_by_phone="",
    )
    locked.funding_lines.update(expense=ERASED_TEXT)
    _withdraw_story_consents(locked)
    if not Project.objects.filter(holder_email__iexact=address).exists():
        _anonymise_emails(address)
    services.add_timeline(
        locked,
        TimelineKind.MILESTONE,
        _("Données personnelles effacées à la demande du porteur.")
        if reason == "holder"
        else _("Données personnelles effacées à la fin de la durée de conservation."),
    )
    record(actor, "project.erase", locked, reason=reason)
    for field in ("holder_name", "holder_email", "holder_phone", "holder", "siret", "name", "description"):
        setattr(project, field, getattr(locked, field))
    project.anonymised_at = locked.anonymised_at
    return True


@transaction.atomic
def erase_for_holder(project: Project) -> int:
    """The holder asked for erasure from their page: every project of their e-mail is anonymised, their links stop
    working, and a confirmation goes to the address (written before it is erased). Returns the number of projects."""
    projects = list(holder_projects(project))
    if not projects:
        return 0
    address, name = project.holder_email, project.holder_name
    names = [item.name for item in projects]
    for item in projects:
        anonymise(item, reason="holder")
    send_on_commit(
        address,
        _("Vos données personnelles sont effacées"),
        "project_erased",
        {"holder_name": name, "project_names": names},
    )
    return len(projects)


# --- the retention period ------------------------------------------------------------------------------------------


def inactive_projects(months: int, now=None):
    """Projects not yet anonymised whose last activity (the project, its timeline, referrals or funding lines)
    is older than `months` months (a month counted as 30 days)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=30 * months)
    return (
        Project.objects.filter(anonymised_at__isnull=True, is_demo=False)
        .annotate(
            last_activity=Greatest(
                "updated_at",
                Coalesce(Max("timeline__created_at"), "updated_at"),
                Coalesce(Max("referrals__created_at"), "updated_at"),
                Coalesce(Max("referrals__answered_at"), "updated_at"),
                Coalesce(Max("funding_lines__updated_at"), "updated_at"),
            )
        )
        .filter(last_activity__lt=cutoff)
        .order_by("pk")
    )
