"""Changing the strategy: loading its published structure (axes, sub-axes, the 14 objectives) from data/strategy."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from maille.directory.models import Organisation

from .models import Axis, Objective, Strategy, SubAxis

STRATEGY_DIR = settings.BASE_DIR / "data" / "strategy"
STRUCTURE_FILE = STRATEGY_DIR / "structure.json"


def read_structure(path: Path = STRUCTURE_FILE) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model, lookup: dict, values: dict) -> tuple[object, bool]:
    """Create, or update only when a value differs (so a second load writes nothing)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(instance, field) != value]
    if changed:
        for field in changed:
            setattr(instance, field, values[field])
        instance.full_clean()
        instance.save(update_fields=changed)
    return instance, False


@transaction.atomic
def load_strategy(path: Path = STRUCTURE_FILE) -> dict[str, int]:
    """Upsert the strategy, its axes, sub-axes and objectives from `structure.json`; link its pilots by slug.

    Idempotent and all-or-nothing. Pilots absent from the directory are skipped (never invented). Returns the number
    of records created per kind.
    """
    data = read_structure(path)
    created = {"stratégie": 0, "axes de la stratégie": 0, "sous-axes": 0, "objectifs": 0}
    strategy, new = _upsert(
        Strategy,
        {"name": data["name"]},
        {
            "region_code": data["region"],
            "period_start": int(data["period_start"]),
            "period_end": int(data["period_end"]),
            "source_url": data.get("source_url", ""),
        },
    )
    if new:
        strategy.full_clean()
    created["stratégie"] += new
    pilots = Organisation.objects.filter(slug__in=data.get("pilots", []))
    if set(strategy.pilots.values_list("pk", flat=True)) != {p.pk for p in pilots}:
        strategy.pilots.set(pilots)

    existing = {o.code: o for o in Objective.objects.filter(sub_axis__axis__strategy=strategy)}
    objective_order = 0
    for axis_order, axis_data in enumerate(data["axes"], start=1):
        axis, new = _upsert(
            Axis,
            {"strategy": strategy, "code": axis_data["code"]},
            {"title": axis_data["title"], "order": axis_order},
        )
        created["axes de la stratégie"] += new
        for sub_order, sub_data in enumerate(axis_data["sub_axes"], start=1):
            sub_axis, new = _upsert(SubAxis, {"axis": axis, "title": sub_data["title"]}, {"order": sub_order})
            created["sous-axes"] += new
            for objective_data in sub_data["objectives"]:
                objective_order += 1
                values = {"sub_axis": sub_axis, "title": objective_data["title"], "order": objective_order}
                objective = existing.get(objective_data["code"])
                if objective is None:
                    Objective.objects.create(code=objective_data["code"], **values)
                    created["objectifs"] += 1
                else:
                    _upsert(Objective, {"pk": objective.pk}, values)
    return created


@transaction.atomic
def record_measurement(indicator, *, date, value, zone_level="", zone_code="", source_note="", user=None):
    """Record one dated value of an indicator (regional total, or for a territory); all-or-nothing.

    Raises ValidationError (French messages per field) when the measurement is invalid or already recorded.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .models import Measurement

    measurement = Measurement(
        indicator=indicator,
        date=date,
        value=value,
        zone_level=zone_level or "",
        zone_code=zone_code or "",
        source_note=source_note or "",
        created_by=user if user is not None and user.is_authenticated else None,
    )
    duplicate = Measurement.objects.filter(
        indicator=indicator, date=date, zone_level=measurement.zone_level, zone_code=measurement.zone_code
    ).exists()
    if duplicate:
        raise ValidationError(
            {"date": _("Une mesure de cet indicateur existe déjà à cette date pour ce territoire.")}
        )
    measurement.full_clean()
    measurement.save()
    return measurement
