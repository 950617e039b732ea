"""Reading the strategy: the whole tree with its progress (a fixed number of queries), indicators and measurements."""

from datetime import date

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from . import rollup
from .enums import ActionStatus, ProgressSource
from .models import Action, ActionObjective, Axis, Change, Indicator, Measurement, Strategy

# Queries run by `strategy_tree`, whatever the number of actions and indicators (tests hold it to this).
TREE_MAX_QUERIES = 7


def current_strategy() -> Strategy | None:
    """The strategy of the served region that ends last (one per period)."""
    return (
        Strategy.objects.filter(region_code=settings.MAILLE_REGION_CODE)
        .order_by("-period_end", "-pk")
        .first()
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _indicator_completions(action_ids: list[int]) -> dict[int, list[float]]:
    """Completion of each indicator of the given actions, by action: one query (latest total by subquery)."""
    if not action_ids:
        return {}
    latest = (
        Measurement.objects.filter(indicator=OuterRef("indicator_id"), zone_level="")
        .order_by("-date", "-pk")
        .values("value")[:1]
    )
    rows = (
        Indicator.actions.through.objects.filter(action_id__in=action_ids)
        .annotate(latest=Subquery(latest))
        .values_list(
            "action_id",
            "indicator__baseline_value",
            "indicator__target_value",
            "indicator__direction",
            "latest",
        )
    )
    completions: dict[int, list[float]] = {}
    for action_id, baseline, target, direction, value in rows:
        completions.setdefault(action_id, []).append(
            rollup.indicator_completion(baseline, target, value, direction)
        )
    return completions


def strategy_tree(strategy: Strategy | None = None) -> dict | None:
    """The strategy as nested dicts, each level with its progress (rule in `rollup`), in at most TREE_MAX_QUERIES.

    Every action is in the tree (under each objective it serves); callers drop them for people who may not see them
    (`perms.can_view_actions`) — progress stays computed from all of them.
    """
    strategy = strategy or current_strategy()
    if strategy is None:
        return None
    # Archived actions no longer count, and are not in the tree.
    axes = list(Axis.objects.filter(strategy=strategy).prefetch_related("sub_axes__objectives"))
    actions = {
        action.pk: action
        for action in Action.objects.filter(strategy=strategy, archived_at__isnull=True).only(
            "pk", "code", "title", "status", "progress_override", "progress_source", "is_demo"
        )
    }
    links = ActionObjective.objects.filter(
        action__strategy=strategy, action__archived_at__isnull=True
    ).values_list("objective_id", "action_id", "weight")
    by_objective: dict[int, list[tuple[int, float]]] = {}
    for objective_id, action_id, weight in links:
        by_objective.setdefault(objective_id, []).append((action_id, float(weight)))
    completions = _indicator_completions(
        [pk for pk, a in actions.items() if a.progress_source == ProgressSource.INDICATORS]
    )
    action_items = {}
    for pk, action in actions.items():
        progress = rollup.action_progress(
            action.status, action.progress_override, action.progress_source, completions.get(pk, [])
        )
        action_items[pk] = {
            "id": pk,
            "code": action.code,
            "title": action.title,
            "status": action.status,
            "status_label": str(ActionStatus(action.status).label),
            "progress": _round(progress),
            "raw_progress": progress,
            "is_demo": action.is_demo,
        }

    objectives_with_data = objectives_count = 0
    axes_out = []
    for axis in axes:
        sub_axes_out = []
        for sub_axis in axis.sub_axes.all():
            objectives_out = []
            for objective in sub_axis.objectives.all():
                items = sorted(
                    (
                        {**action_items[pk], "weight": weight}
                        for pk, weight in by_objective.get(objective.pk, [])
                    ),
                    key=lambda a: a["code"],
                )
                progress = rollup.weighted_progress((a["raw_progress"], a["weight"]) for a in items)
                objectives_count += 1
                objectives_with_data += progress is not None
                objectives_out.append(
                    {
                        "id": objective.pk,
                        "code": objective.code,
                        "title": objective.title,
                        "progress": progress,
                        "actions": [{k: v for k, v in a.items() if k != "raw_progress"} for a in items],
                    }
                )
            sub_axes_out.append(
                {
                    "id": sub_axis.pk,
                    "title": sub_axis.title,
                    "progress": rollup.mean_progress(o["progress"] for o in objectives_out),
                    "objectives": objectives_out,
                }
            )
        axes_out.append(
            {
                "code": axis.code,
                "title": axis.title,
                "progress": rollup.mean_progress(s["progress"] for s in sub_axes_out),
                "sub_axes": sub_axes_out,
            }
        )
    tree = {
        "id": strategy.pk,
        "name": strategy.name,
        "period": strategy.period,
        "progress": rollup.mean_progress(a["progress"] for a in axes_out),
        "objectives_count": objectives_count,
        "objectives_with_data": objectives_with_data,
        "axes": axes_out,
    }
    _round_tree(tree)
    return tree


def _round_tree(tree: dict) -> None:
    """Round every level's progress once, after the rollup (which works on unrounded values)."""
    tree["progress"] = _round(tree["progress"])
    for axis in tree["axes"]:
        axis["progress"] = _round(axis["progress"])
        for sub_axis in axis["sub_axes"]:
            sub_axis["progress"] = _round(sub_axis["progress"])
            for objective in sub_axis["objectives"]:
                objective["progress"] = _round(objective["progress"])


def objectives_of(tree: dict) -> list[dict]:
    """The objectives of a tree, flat, each with its axis code: [{id, code, title, axis, sub_axis, progress}]."""
    return [
        {
            "id": objective["id"],
            "code": objective["code"],
            "title": objective["title"],
            "axis": axis["code"],
            "sub_axis": sub_axis["title"],
            "progress": objective["progress"],
        }
        for axis in tree["axes"]
        for sub_axis in axis["sub_axes"]
        for objective in sub_axis["objectives"]
    ]


def indicators(strategy: Strategy) -> QuerySet[Indicator]:
    return Indicator.objects.filter(strategy=strategy).select_related("objective").order_by("name", "pk")


def measurements(
    indicator: Indicator,
    level: str = "",
    code: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Measurement]:
    """An indicator's measurements, oldest first; with `level` (+ `code`), those recorded for exactly that territory."""
    qs = Measurement.objects.filter(indicator=indicator)
    if level:
        qs = qs.filter(zone_level=level, zone_code=code)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("date", "zone_level", "zone_code", "pk")


# --- Pages of the strategy (objective, action, indicator map, committees) ---


def find_in_tree(tree: dict, objective_code: str) -> tuple[dict, dict, dict] | None:
    """(axis, sub_axis, objective) nodes of the tree for an objective code, or None."""
    for axis in tree["axes"]:
        for sub_axis in axis["sub_axes"]:
            for objective in sub_axis["objectives"]:
                if objective["code"] == objective_code:
                    return axis, sub_axis, objective
    return None


def action_detail(strategy: Strategy, code: str) -> Action | None:
    from django.db.models import Prefetch

    return (
        Action.objects.filter(strategy=strategy, code=code)
        .prefetch_related(
            "pilots",
            "partners",
            "offers",
            "schemes",
            Prefetch(
                "objective_links",
                queryset=ActionObjective.objects.select_related("objective").order_by("objective__order"),
            ),
        )
        .first()
    )


def action_progress_of(action: Action) -> float | None:
    """One action's progress by the rule of `rollup` (its indicators read in one query when they count)."""
    completions = (
        _indicator_completions([action.pk]).get(action.pk, [])
        if action.progress_source == ProgressSource.INDICATORS
        else []
    )
    return _round(
        rollup.action_progress(action.status, action.progress_override, action.progress_source, completions)
    )


def page_indicators(objective_id: int | None = None, action_id: int | None = None) -> list[Indicator]:
    """The indicators of an objective (its own, and those of the actions serving it) or of an action, each with
    `series`: its regional measurements (no territory), oldest first, and `via_action` (not the objective's own)."""
    from django.db.models import Prefetch, Q

    if action_id is not None:
        wanted = Indicator.objects.filter(actions=action_id)
    else:
        wanted = Indicator.objects.filter(Q(objective_id=objective_id) | Q(actions__objectives=objective_id))
    totals = Measurement.objects.filter(zone_level="").order_by("date", "pk")
    found = list(
        Indicator.objects.filter(pk__in=wanted.values("pk"))
        .prefetch_related(Prefetch("measurements", queryset=totals, to_attr="series"))
        .order_by("name", "pk")
    )
    for indicator in found:
        indicator.via_action = objective_id is not None and indicator.objective_id != objective_id
    return found


def latest_by_zone(indicator: Indicator, level: str) -> dict[str, Measurement]:
    """The latest measurement of an indicator for each territory of a level: {zone code: measurement}."""
    latest: dict[str, Measurement] = {}
    for measurement in Measurement.objects.filter(indicator=indicator, zone_level=level).order_by(
        "date", "pk"
    ):
        latest[measurement.zone_code] = measurement
    return latest


def region_zones(region_code: str, level: str) -> list[tuple[str, str]]:
    """(code, name) of the départements or of the EPCI of a region (an EPCI straddling two regions is in both)."""
    from maille.territories.models import Departement, Epci

    if level == "epci":
        rows = Epci.objects.filter(communes__region_id=region_code).distinct().order_by("name", "code")
    else:
        rows = Departement.objects.filter(region_id=region_code).order_by("code")
    return list(rows.values_list("code", "name"))


def meetings(strategy: Strategy) -> QuerySet:
    """The committee meetings of a strategy, latest first, with their organisations and decisions."""
    from django.db.models import Prefetch

    from .models import CommitteeMeeting, Decision

    decisions = Decision.objects.select_related("owner_organisation").prefetch_related("actions")
    return (
        CommitteeMeeting.objects.filter(strategy=strategy)
        .prefetch_related("organisations_present", Prefetch("decisions", queryset=decisions))
        .order_by("-date", "-pk")
    )


def is_overdue(decision, today: date) -> bool:
    """An open decision whose due date has passed."""
    from .enums import DecisionStatus

    return (
        decision.status == DecisionStatus.OPEN and decision.due_date is not None and decision.due_date < today
    )


# --- The pilot area: actions by organisation, the history, objectives without actions ---


def actions_piloted_by(user) -> list[Action]:
    """The actions (not archived) that the person's organisations pilot, by code, each with its `progress`."""
    if not (user.is_authenticated and user.is_active):
        return []
    strategy = current_strategy()
    if strategy is None:
        return []
    actions = list(
        Action.objects.filter(strategy=strategy, archived_at__isnull=True, pilots__memberships__user=user)
        .distinct()
        .prefetch_related("pilots")
        .order_by("code")
    )
    for action in actions:
        action.progress = action_progress_of(action)
    return actions


def action_history(action: Action, limit: int = 100) -> list[Change]:
    """What happened to an action, its indicators and their measurements, and the decisions about it; latest first."""
    from django.db.models import Q

    from .enums import ChangeTarget

    indicator_ids = list(action.indicators.values_list("pk", flat=True))
    decision_ids = list(action.decisions.values_list("pk", flat=True))
    return list(
        Change.objects.filter(
            Q(action=action)
            | Q(indicator_id__in=indicator_ids)
            | Q(target_type=ChangeTarget.DECISION, target_id__in=decision_ids)
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def objective_coverage(strategy: Strategy) -> list[dict]:
    """Each objective with its actions (not archived): [{objective, actions}], in the strategy's order."""
    from .models import Objective

    objectives = list(
        Objective.objects.filter(sub_axis__axis__strategy=strategy)
        .order_by("order", "code")
        .select_related("sub_axis__axis")
    )
    links = (
        ActionObjective.objects.filter(action__strategy=strategy, action__archived_at__isnull=True)
        .select_related("action")
        .order_by("action__code")
    )
    by_objective: dict[int, list] = {}
    for link in links:
        link.action.weight = link.weight
        by_objective.setdefault(link.objective_id, []).append(link.action)
    return [{"objective": o, "actions": by_objective.get(o.pk, [])} for o in objectives]


def changes_since_committee(strategy: Strategy, until: date | None = None) -> dict:
    """The changes since the previous committee: between the last two meetings held by `until` (today by default),
    or since the last one when it is the only one. {since, until, changes}; since is None without any meeting."""
    from django.utils import timezone

    from .models import CommitteeMeeting

    until = until or timezone.localdate()
    dates = list(
        CommitteeMeeting.objects.filter(strategy=strategy, date__lte=until)
        .order_by("-date")
        .values_list("date", flat=True)
        .distinct()[:2]
    )
    if not dates:
        return {"since": None, "until": until, "changes": []}
    if len(dates) == 2:
        since, end = dates[1], dates[0]
    else:
        since, end = dates[0], until
    changes = list(
        Change.objects.filter(strategy=strategy, at__date__gte=since, at__date__lte=end)
        .select_related("actor")
        .order_by("at", "pk")
    )
    return {"since": since, "until": end, "changes": changes}
