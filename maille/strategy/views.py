"""Pages of the strategy: the tree with its progress (steering and public variants), objective and action pages
with their indicators as charts, a map of an indicator by territory, committees and decisions, measurement entry.

Actions are not public (`perms.can_view_actions`): they are dropped from what the page shows, while every progress
figure is still computed from all of them (`selectors.strategy_tree`).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from maille.core.views import permission_denied
from maille.territories.enums import ZoneLevel
from maille.territories.selectors import zone_labels

from . import perms, rollup, selectors, services
from .enums import STATUS_PROGRESS, ActionStatus, DecisionStatus, ProgressSource
from .forms import MeasurementForm
from .models import Action, Indicator, Objective

MAP_LEVELS = (ZoneLevel.DEPARTEMENT, ZoneLevel.EPCI)


def _strategy_or_404():
    strategy = selectors.current_strategy()
    if strategy is None:
        raise Http404(_("Aucune stratégie n'est chargée."))
    return strategy


def _pilots_only(request):
    """None when the person may see the steering pages; else the response to give (login, or 403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not perms.can_view_actions(request.user):
        return permission_denied(
            request, _("Cette page est réservée aux pilotes de la stratégie et à l'équipe Maille.")
        )
    return None


def _status_rule() -> list[tuple[str, int]]:
    return [
        (str(ActionStatus(status).label).lower(), progress) for status, progress in STATUS_PROGRESS.items()
    ]


def _has_demo(tree: dict) -> bool:
    return any(
        action["is_demo"]
        for axis in tree["axes"]
        for sub_axis in axis["sub_axes"]
        for objective in sub_axis["objectives"]
        for action in objective["actions"]
    )


def _tree_context(request, tree: dict, show_actions: bool) -> dict:
    has_demo = _has_demo(tree)
    if not show_actions:
        for axis in tree["axes"]:
            for sub_axis in axis["sub_axes"]:
                for objective in sub_axis["objectives"]:
                    objective["actions"] = []
    return {
        "tree": tree,
        "show_actions": show_actions,
        "can_steer": perms.can_view_actions(request.user),
        "has_demo": has_demo,
        "status_rule": _status_rule(),
    }


@require_GET
def public(request):
    """The strategy's progress for everyone: axes, sub-axes and objectives, never the actions."""
    tree = selectors.strategy_tree(_strategy_or_404())
    return render(request, "strategy/public.html", _tree_context(request, tree, show_actions=False))


@require_GET
def tree(request):
    """The steering tree: with the actions under each objective for pilots and staff."""
    strategy = _strategy_or_404()
    tree = selectors.strategy_tree(strategy)
    show_actions = perms.can_view_actions(request.user)
    context = _tree_context(request, tree, show_actions)
    context["strategy"] = strategy
    context["can_edit"] = perms.can_edit_strategy(request.user)
    return render(request, "strategy/tree.html", context)


# --- Indicators: charts and tables ---


def _number(value) -> str:
    """12.00 → « 12 », 12.50 → « 12,5 » (French decimal comma)."""
    return floatformat(value, "-2")


def _timestamp(day) -> int:
    """Midnight UTC of a date, in milliseconds: the x of a point on the charts' linear time axis."""
    return int(datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC).timestamp() * 1000)


def _chart_data(indicator: Indicator) -> dict:
    """What static/js/strategy.js draws: the regional measurements over time against the baseline and target.

    Each point is `{x, y, label}` with `x` a timestamp (ms), so that the time axis is proportional to the dates
    (two measurements a week apart are drawn closer than two a year apart); `label` is the French date. `start` and
    `end` bound the axis: from the baseline's date (or the first measurement) to the last measurement.
    """
    series = indicator.series
    points = [
        {
            "x": _timestamp(measurement.date),
            "y": float(measurement.value),
            "label": formats.date_format(measurement.date, "SHORT_DATE_FORMAT"),
        }
        for measurement in series
    ]
    days = [m.date for m in series]
    if indicator.baseline_date:
        days.append(indicator.baseline_date)
    start, end = (min(days), max(days)) if days else (None, None)
    return {
        "points": points,
        "start": _timestamp(start) if start else None,
        "end": _timestamp(end) if end else None,
        "baseline": None if indicator.baseline_value is None else float(indicator.baseline_value),
        "target": None if indicator.target_value is None else float(indicator.target_value),
        "unit": indicator.unit,
        "text": {
            "measures": _("Mesures (total régional)"),
            "target": _("Cible"),
            "baseline": _("Valeur de départ"),
            "date": _("Date"),
        },
    }


def _decorate_indicators(indicators: list[Indicator]) -> list[Indicator]:
    for indicator in indicators:
        latest = indicator.series[-1] if indicator.series else None
        indicator.latest = latest
        indicator.completion = rollup.indicator_completion(
            indicator.baseline_value,
            indicator.target_value,
            latest.value if latest else None,
            indicator.direction,
        )
        indicator.chart = _chart_data(indicator)
        indicator.chart_id = f"indicator-chart-{indicator.pk}"
        indicator.chart_summary = _chart_summary(indicator, latest)
    return indicators


def _chart_summary(indicator: Indicator, latest) -> str:
    """The chart's text alternative in one sentence (the table below gives every value)."""
    parts = []
    if latest is not None:
        parts.append(
            _("Dernière mesure : %(value)s %(unit)s le %(date)s.")
            % {
                "value": _number(latest.value),
                "unit": indicator.unit,
                "date": formats.date_format(latest.date, "SHORT_DATE_FORMAT"),
            }
        )
    else:
        parts.append(_("Aucune mesure pour l'instant."))
    if indicator.baseline_value is not None:
        parts.append(_("Valeur de départ : %(value)s.") % {"value": _number(indicator.baseline_value)})
    if indicator.target_value is not None:
        parts.append(_("Cible : %(value)s.") % {"value": _number(indicator.target_value)})
    return " ".join(parts)


def _measurement_post(request, strategy, indicators, back_url: str, allowed: bool | None = None):
    """Handle the measurement form of a page: (form, response). The response is a redirect after saving."""
    if request.method != "POST":
        form = MeasurementForm(indicators=indicators, region_code=strategy.region_code)
        return form, None
    if not (perms.can_edit_strategy(request.user) if allowed is None else allowed):
        return None, permission_denied(
            request, _("Seuls les pilotes de la stratégie et l'équipe Maille saisissent des mesures.")
        )
    form = MeasurementForm(request.POST, indicators=indicators, region_code=strategy.region_code)
    if form.is_valid():
        data = form.cleaned_data
        try:
            measurement = services.record_measurement(
                data["indicator"],
                date=data["date"],
                value=data["value"],
                zone_level=data["zone_level"],
                zone_code=data["zone_code"],
                source_note=data["source_note"],
                user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Mesure enregistrée : %(indicator)s, %(value)s au %(date)s.")
                % {
                    "indicator": measurement.indicator.name,
                    "value": _number(measurement.value),
                    "date": formats.date_format(measurement.date, "SHORT_DATE_FORMAT"),
                },
            )
            return form, redirect(back_url)
    return form, None


def _form_errors(form) -> list[dict]:
    """The error summary of a bound form: one link per field in error."""
    if form is None or not form.is_bound:
        return []
    errors = [{"anchor": "", "label": "", "message": message} for message in form.non_field_errors()]
    for name, field_errors in form.errors.items():
        if name == "__all__":
            continue
        field = form[name]
        errors += [{"anchor": field.id_for_label, "label": field.label, "message": m} for m in field_errors]
    return errors


@require_http_methods(["GET", "POST"])
def objective(request, code):
    strategy = _strategy_or_404()
    record = (
        Objective.objects.filter(sub_axis__axis__strategy=strategy, code=code)
        .select_related("sub_axis__axis")
        .first()
    )
    if record is None:
        raise Http404(_("Aucun objectif n'a le code « %(code)s ».") % {"code": code})
    indicators = selectors.page_indicators(objective_id=record.pk)
    back_url = reverse("strategy:objective", args=[record.code]) + "#avancement"
    form, response = _measurement_post(request, strategy, indicators, back_url)
    if response is not None:
        return response
    tree = selectors.strategy_tree(strategy)
    axis, sub_axis, node = selectors.find_in_tree(tree, record.code)
    show_actions = perms.can_view_actions(request.user)
    actions = node["actions"] if show_actions else []
    if actions:
        sources = dict(
            Action.objects.filter(pk__in=[a["id"] for a in actions]).values_list("pk", "progress_source")
        )
        for action in actions:
            action["by_indicators"] = sources.get(action["id"]) == ProgressSource.INDICATORS
    can_edit = perms.can_edit_strategy(request.user)
    return render(
        request,
        "strategy/objective.html",
        {
            "strategy": strategy,
            "objective": record,
            "node": node,
            "axis": axis,
            "sub_axis": sub_axis,
            "actions": actions,
            "actions_count": len(node["actions"]),
            "show_actions": show_actions,
            "has_demo": any(a["is_demo"] for a in node["actions"]),
            "indicators": _decorate_indicators(indicators),
            "form": form if can_edit else None,
            "form_errors": _form_errors(form),
            "status_rule": _status_rule(),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def action(request, code):
    """An action's page: pilots and staff, and the members of its pilot organisations (who update it from here)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    strategy = _strategy_or_404()
    record = selectors.action_detail(strategy, code)
    if record is None:
        raise Http404(_("Aucune action n'a le code « %(code)s ».") % {"code": code})
    if not perms.can_view_action(request.user, record):
        return permission_denied(
            request,
            _(
                "Cette action est réservée aux pilotes de la stratégie, à l'équipe Maille et aux organisations "
                "qui la pilotent."
            ),
        )
    can_update = perms.can_update_action(request.user, record)
    indicators = selectors.page_indicators(action_id=record.pk)
    back_url = reverse("strategy:action", args=[record.code]) + "#avancement"
    form, response = _measurement_post(request, strategy, indicators, back_url, allowed=can_update)
    if response is not None:
        return response
    zone = (record.zone_level, record.zone_code)
    today = timezone.localdate()
    decisions = list(
        record.decisions.select_related("meeting", "owner_organisation").order_by("due_date", "pk")
    )
    for decision in decisions:
        decision.overdue = selectors.is_overdue(decision, today)
    return render(
        request,
        "strategy/action.html",
        {
            "strategy": strategy,
            "action": record,
            "progress": selectors.action_progress_of(record),
            "by_indicators": record.progress_source == ProgressSource.INDICATORS,
            "zone_name": zone_labels([zone]).get(zone, record.zone_code) if record.zone_level else "",
            "indicators": _decorate_indicators(indicators),
            "decisions": decisions,
            "form": form if can_update else None,
            "form_errors": _form_errors(form),
            "status_rule": _status_rule(),
            "can_steer": perms.can_steer_strategy(request.user),
            "can_update": can_update,
            "can_correct": can_update,
            "history": selectors.action_history(record),
            "links": list(record.objective_links.all()),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_GET
def indicator_map(request, pk):
    """An indicator's latest measurement in each département (map and table) or each EPCI (table) of the region."""
    strategy = _strategy_or_404()
    indicator = get_object_or_404(Indicator.objects.select_related("objective"), pk=pk, strategy=strategy)
    level = request.GET.get("level") or ZoneLevel.DEPARTEMENT
    unknown_level = level not in MAP_LEVELS
    if unknown_level:
        level = ZoneLevel.DEPARTEMENT
    latest = selectors.latest_by_zone(indicator, level)
    rows = []
    for zone_code, name in selectors.region_zones(strategy.region_code, level):
        measurement = latest.get(zone_code)
        rows.append({"code": zone_code, "name": name, "measurement": measurement})
    values = {row["code"]: float(row["measurement"].value) for row in rows if row["measurement"]}
    return render(
        request,
        "strategy/indicator_map.html",
        {
            "strategy": strategy,
            "indicator": indicator,
            "level": level,
            "level_label": ZoneLevel(level).label,
            "levels": [(value, ZoneLevel(value).label) for value in MAP_LEVELS],
            "unknown_level": unknown_level,
            "rows": rows,
            "values": values,
            "with_data": len(values),
            "contour_url": reverse("api-contour", args=["region", strategy.region_code])
            + ("?detail=epci" if level == ZoneLevel.EPCI else ""),
        },
    )


@require_GET
def committees(request):
    denied = _pilots_only(request)
    if denied is not None:
        return denied
    strategy = _strategy_or_404()
    today = timezone.localdate()
    meetings = list(selectors.meetings(strategy))
    overdue = []
    for meeting in meetings:
        for decision in meeting.decisions.all():
            decision.overdue = selectors.is_overdue(decision, today)
            if decision.overdue:
                overdue.append(decision)
    overdue.sort(key=lambda d: (d.due_date, d.pk))
    return render(
        request,
        "strategy/committees.html",
        {
            "strategy": strategy,
            "meetings": meetings,
            "overdue": overdue,
            "today": today,
            "open_status": DecisionStatus.OPEN,
            "can_steer": perms.can_steer_strategy(request.user),
        },
    )


@require_GET
def report_download(request, fmt):
    """The governance report (?from=AAAA-MM-JJ&to=AAAA-MM-JJ); actions and decisions for pilots and staff only."""
    from .report import report_response

    return report_response(request, fmt)
