"""Reading projects: derived status, duplicates, the funding plan's totals and flags."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .enums import FundingLineStatus, ProjectStatus
from .models import FundingLine, Project


def status_from_referral_statuses(statuses: list[str]) -> ProjectStatus:
    """The project's status from its referrals' statuses (pure; the rule in one place).

    Any accepted → supported; else any pending → waiting; else any closed → closed; else (declined or expired only)
    → stuck; none → new.
    """
    if not statuses:
        return ProjectStatus.NEW
    kinds = set(statuses)
    if "accepted" in kinds:
        return ProjectStatus.SUPPORTED
    if "pending" in kinds:
        return ProjectStatus.WAITING
    if "closed" in kinds:
        return ProjectStatus.CLOSED
    return ProjectStatus.STUCK


def project_status(project: Project) -> ProjectStatus:
    return status_from_referral_statuses(list(project.referrals.values_list("status", flat=True)))


def recent_duplicate(email: str, siret: str = "", now: datetime.datetime | None = None) -> Project | None:
    """A project with the same e-mail or SIRET created in the last days (to continue instead of duplicating)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.MAILLE_DUPLICATE_WINDOW_DAYS)
    match = Q(holder_email__iexact=email) if email else Q(pk__in=[])
    if siret:
        match |= Q(siret=siret)
    return Project.objects.filter(match, created_at__gte=since).order_by("-created_at").first()


@dataclass
class FundingPlan:
    lines: list[FundingLine]
    total_asked: Decimal = Decimal(0)
    total_granted: Decimal = Decimal(0)
    total_need: Decimal | None = None
    gap: Decimal | None = None
    double_funded: list[str] = field(default_factory=list)

    @property
    def funders_count(self) -> int:
        return len({line.funder_id for line in self.lines if line.status not in NOT_COUNTED})


# Shown in the plan but not counted in its totals and flags.
NOT_COUNTED = (FundingLineStatus.REFUSED, FundingLineStatus.WITHDRAWN)


def funding_plan(project: Project) -> FundingPlan:
    """Lines, totals, and two flags: an expense covered by two funders or more; a gap between need and funding.

    Refused and withdrawn lines are listed but count for nothing; the granted total is that of granted lines.
    """
    lines = list(project.funding_lines.select_related("funder", "scheme"))
    active = [line for line in lines if line.status not in NOT_COUNTED]
    plan = FundingPlan(lines=lines)
    plan.total_asked = sum((line.amount_asked for line in active), Decimal(0))
    plan.total_granted = sum(
        (line.amount_granted or Decimal(0) for line in active if line.status == FundingLineStatus.GRANTED),
        Decimal(0),
    )
    funders_by_expense: dict[str, set[int]] = {}
    for line in active:
        funders_by_expense.setdefault(line.expense.strip().lower(), set()).add(line.funder_id)
    plan.double_funded = sorted(
        line.expense for line in active if len(funders_by_expense[line.expense.strip().lower()]) > 1
    )
    plan.double_funded = list(dict.fromkeys(plan.double_funded))
    budget = getattr(project, "budget", None) if hasattr(project, "budget") else None
    if budget is not None:
        plan.total_need = budget.total_need
        plan.gap = max(Decimal(0), budget.total_need - max(plan.total_asked, plan.total_granted))
    return plan


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects a user may list (the rule of `perms.file_access`, as one query): a declined or expired referral
    opens nothing."""
    from maille.accounts.perms import is_staff

    from .perms import REFERRAL_ACCESS

    if not (user.is_authenticated and user.is_active):
        return Project.objects.none()
    if is_staff(user):
        return Project.objects.all()
    organisations = user.memberships.values("organisation_id")
    return Project.objects.filter(
        Q(holder=user)
        | Q(detected_by__in=organisations)
        | Q(
            consent_to_share=True,
            referrals__organisation__in=organisations,
            referrals__status__in=list(REFERRAL_ACCESS),
        )
    ).distinct()


def funder_lines(organisation) -> QuerySet[FundingLine]:
    """The requests and grants made to a funder (lines merely planned in a project's plan are left out)."""
    return (
        FundingLine.objects.filter(funder=organisation)
        .exclude(status=FundingLineStatus.PLANNED)
        .select_related("project", "project__commune", "project__commune__departement", "scheme")
        .order_by("-created_at", "-pk")
    )


@dataclass
class FunderRow:
    key: str
    label: str
    count: int = 0
    asked: Decimal = Decimal(0)
    granted: Decimal = Decimal(0)


def funder_summary(lines) -> dict[str, list[FunderRow]]:
    """Counts and amounts of a funder's lines by the project's stage and by département (in memory, one pass)."""
    from maille.core.enums import Stage

    by_stage: dict[str, FunderRow] = {}
    by_departement: dict[str, FunderRow] = {}
    for line in lines:
        if line.status == FundingLineStatus.WITHDRAWN:  # listed, not counted
            continue
        project = line.project
        departement = project.commune.departement
        for table, key, label in (
            (by_stage, project.stage, Stage(project.stage).label),
            (by_departement, departement.code, str(departement)),
        ):
            row = table.setdefault(key, FunderRow(key, label))
            row.count += 1
            row.asked += line.amount_asked
            row.granted += line.amount_granted or Decimal(0)
    stage_order = {value: index for index, value in enumerate(Stage.values)}
    return {
        "by_stage": sorted(by_stage.values(), key=lambda row: stage_order.get(row.key, 99)),
        "by_departement": sorted(by_departement.values(), key=lambda row: row.key),
    }


def _with_status(projects) -> list[Project]:
    """Give each project (with `referrals` prefetched) its derived `status`, without a query per project."""
    projects = list(projects)
    for project in projects:
        project.status = status_from_referral_statuses([r.status for r in project.referrals.all()])
    return projects


def holder_projects(user) -> list[Project]:
    """The projects of a holder's own account, newest first, each with its derived `status` (two queries)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return _with_status(
        Project.objects.filter(holder=user).select_related("commune").prefetch_related("referrals")
    )


def projects_detected_by(organisation_ids, limit: int = 20) -> list[Project]:
    """The latest projects detected by these organisations, each with its derived `status` (two queries)."""
    return _with_status(
        Project.objects.filter(detected_by__in=organisation_ids)
        .select_related("commune", "detected_by")
        .prefetch_related("referrals")
        .order_by("-created_at", "-pk")[:limit]
    )


def funder_lines_of(organisation_ids) -> QuerySet[FundingLine]:
    """`funder_lines` for several funders at once (a person may belong to more than one)."""
    return (
        FundingLine.objects.filter(funder__in=organisation_ids)
        .exclude(status=FundingLineStatus.PLANNED)
        .select_related("project", "project__commune", "scheme", "funder")
        .order_by("-created_at", "-pk")
    )
