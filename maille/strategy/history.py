"""The history of the steering data: snapshots of an object's fields as readable French text, and `record`, which
writes one `Change` (who, when, field → old and new value) when something differs. The services call it inside
their transaction, so a change and its history are written together or not at all."""

from datetime import date
from decimal import Decimal

from django.db import models
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _

from .enums import ChangeKind
from .models import Action, Change, CommitteeMeeting, Decision, Indicator, Measurement

ACTION_FIELDS = (
    "code",
    "title",
    "description",
    "objectives",
    "pilots",
    "contacts",
    "partners",
    "zone",
    "start_date",
    "end_date",
    "status",
    "progress_override",
    "progress_justification",
    "progress_source",
    "budget_planned",
    "budget_spent",
    "offers",
    "schemes",
)
INDICATOR_FIELDS = (
    "name",
    "objective",
    "actions",
    "source",
    "computation",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)
MEASUREMENT_FIELDS = ("date", "value", "zone_level", "zone_code", "source_note")
MEETING_FIELDS = ("kind", "date", "organisations_present", "agenda", "minutes", "minutes_file")
DECISION_FIELDS = ("text", "owner_organisation", "owner_text", "due_date", "status", "actions")


def text_of(value) -> str:
    """A value as a person reads it: French dates and numbers, empty as an empty string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float | int):
        return floatformat(value, "-2")
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def _field_text(instance: models.Model, name: str) -> tuple[str, str]:
    """(label, text) of one field of `instance` (a few names are composite: `zone`, objectives with weights)."""
    if name == "zone":
        from maille.territories.selectors import zone_labels

        zone = (instance.zone_level, instance.zone_code)
        text = zone_labels([zone]).get(zone, instance.zone_code) if instance.zone_level else ""
        return _("territoire"), str(text)
    if isinstance(instance, Action) and name == "objectives":
        if instance.pk is None:
            return _("objectifs servis"), ""
        links = instance.objective_links.select_related("objective").order_by("objective__order")
        return _("objectifs servis"), ", ".join(
            _("%(code)s (poids %(weight)s)") % {"code": link.objective.code, "weight": text_of(link.weight)}
            for link in links
        )
    field = instance._meta.get_field(name)
    label = str(field.verbose_name)
    if field.many_to_many:
        if instance.pk is None:
            return label, ""
        return label, ", ".join(sorted(str(item) for item in getattr(instance, name).all()))
    if field.choices:
        return label, str(getattr(instance, f"get_{name}_display")()) if getattr(instance, name) else ""
    value = getattr(instance, name)
    if isinstance(field, models.FileField):
        return label, value.name.rsplit("/", 1)[-1] if value else ""
    return label, text_of(value)


def snapshot(instance: models.Model | None, fields: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """{field: (label, text)} of the given fields; {} for no instance (before a creation, after a removal)."""
    if instance is None:
        return {}
    return {name: _field_text(instance, name) for name in fields}


TARGETS = {
    Action: ("action", ACTION_FIELDS),
    Indicator: ("indicator", INDICATOR_FIELDS),
    Measurement: ("measurement", MEASUREMENT_FIELDS),
    CommitteeMeeting: ("committee", MEETING_FIELDS),
    Decision: ("decision", DECISION_FIELDS),
}


def fields_of(instance: models.Model) -> tuple[str, ...]:
    return TARGETS[type(instance)][1]


def record(
    strategy,
    actor,
    kind: str,
    target: models.Model,
    before: dict[str, tuple[str, str]],
    after: dict[str, tuple[str, str]],
    label: str = "",
) -> Change | None:
    """Write one `Change` with the fields whose text differs between `before` and `after`.

    Nothing is written for an update that changed nothing. The change is linked to its action, or to its indicator
    (indicators and measurements), so that the action's page shows what happened to it and its indicators.
    """
    diff = {}
    for name in list(before) + [n for n in after if n not in before]:
        label_text = (after.get(name) or before.get(name))[0]
        old = before.get(name, ("", ""))[1]
        new = after.get(name, ("", ""))[1]
        if old != new:
            diff[name] = {"label": label_text, "old": old, "new": new}
    if kind == ChangeKind.UPDATED and not diff:
        return None
    target_type = TARGETS[type(target)][0]
    action = target if isinstance(target, Action) else None
    indicator = target if isinstance(target, Indicator) else None
    if isinstance(target, Measurement):
        indicator = target.indicator
        label = label or _("%(indicator)s au %(date)s") % {
            "indicator": target.indicator.name,
            "date": text_of(target.date),
        }
    return Change.objects.create(
        strategy=strategy,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        target_type=target_type,
        target_id=target.pk,
        target_label=(label or str(target))[:300],
        action=action,
        indicator=indicator,
        diff=diff,
    )
