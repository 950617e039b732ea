"""Changing the strategy: loading its published structure (axes, sub-axes, the 14 objectives) from data/strategy;
then what the pilots do in the pilot area — actions (create, edit, archive), indicators, measurements (record,
correct, remove), committee meetings and their decisions, and the decisions' e-mails before and after their due date.

Every function here checks its input (French messages per field in a `ValidationError`, nothing written), locks the
row it changes (`select_for_update`), and writes the change to the history (`history.record`) in the same
transaction. Permissions are checked by the callers (pages and API) with `perms.py`.
"""

import datetime
import json
import math
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maille.directory.models import Offer, Organisation
from maille.funding.models import FundingScheme
from maille.territories.enums import ZoneLevel
from maille.territories.selectors import zone_errors

from . import history
from .enums import (
    ActionStatus,
    ChangeKind,
    DecisionStatus,
    Direction,
    IndicatorSource,
    MeetingKind,
    ProgressSource,
)
from .models import (
    Action,
    ActionObjective,
    Axis,
    CommitteeMeeting,
    Decision,
    Indicator,
    Measurement,
    Objective,
    Strategy,
    SubAxis,
)

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


# --- Measurements ---


@transaction.atomic
def record_measurement(indicator, *, date, value, zone_level="", zone_code="", source_note="", user=None):
    """Record one dated value of an indicator (regional total, or for a territory); all-or-nothing.

    Raises ValidationError (French messages per field) when the measurement is invalid or already recorded.
    """
    measurement = Measurement(
        indicator=indicator,
        date=date,
        value=value,
        zone_level=zone_level or "",
        zone_code=zone_code or "",
        source_note=source_note or "",
        created_by=user if user is not None and user.is_authenticated else None,
    )
    _check_measurement_unique(measurement)
    measurement.full_clean()
    measurement.save()
    history.record(
        indicator.strategy,
        user,
        ChangeKind.CREATED,
        measurement,
        {},
        history.snapshot(measurement, history.MEASUREMENT_FIELDS),
    )
    return measurement


def _check_measurement_unique(measurement: Measurement) -> None:
    duplicate = (
        Measurement.objects.filter(
            indicator=measurement.indicator,
            date=measurement.date,
            zone_level=measurement.zone_level,
            zone_code=measurement.zone_code,
        )
        .exclude(pk=measurement.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"date": _("Une mesure de cet indicateur existe déjà à cette date pour ce territoire.")}
        )


@transaction.atomic
def correct_measurement(measurement: Measurement, *, user=None, **values) -> Measurement:
    """Correct a measurement (date, value, territory, source); the former values stay in the history."""
    measurement = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__strategy")
        .get(pk=measurement.pk)
    )
    before = history.snapshot(measurement, history.MEASUREMENT_FIELDS)
    for name in ("date", "value", "zone_level", "zone_code", "source_note"):
        if name in values:
            setattr(measurement, name, values[name] if values[name] is not None or name == "value" else "")
    _check_measurement_unique(measurement)
    measurement.full_clean()
    measurement.save()
    history.record(
        measurement.indicator.strategy,
        user,
        ChangeKind.UPDATED,
        measurement,
        before,
        history.snapshot(measurement, history.MEASUREMENT_FIELDS),
    )
    return measurement


@transaction.atomic
def remove_measurement(measurement: Measurement, *, user=None) -> None:
    """Remove a measurement; what it said stays in the history."""
    measurement = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__strategy")
        .get(pk=measurement.pk)
    )
    history.record(
        measurement.indicator.strategy,
        user,
        ChangeKind.REMOVED,
        measurement,
        history.snapshot(measurement, history.MEASUREMENT_FIELDS),
        {},
    )
    measurement.delete()


# --- Shared checks ---


def _decimal(value, errors: dict, field: str, message: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(
            str(value).replace(",", ".").replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
        )
    except InvalidOperation:
        errors.setdefault(field, []).append(message)
        return None
    if not number.is_finite():
        errors.setdefault(field, []).append(message)
        return None
    return number


def _date(value, errors: dict, field: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(
            _("Indiquez une date au format AAAA-MM-JJ, par exemple 2025-01-31.")
        )
        return None


def _choice(value, choices, errors: dict, field: str, what: str) -> str | None:
    if value in choices.values:
        return value
    errors.setdefault(field, []).append(
        _("%(what)s inconnu : « %(value)s ». Possibles : %(allowed)s.")
        % {
            "what": what,
            "value": value,
            "allowed": ", ".join(f"{c.value} ({c.label})" for c in choices),
        }
    )
    return None


def _records(model, values, errors: dict, field: str, key: str = "slug") -> list:
    """Instances of `model` from instances or keys (slugs, ids); unknown keys are reported."""
    values = list(values or [])
    instances = [v for v in values if isinstance(v, model)]
    keys = [str(v).strip() for v in values if not isinstance(v, model)]
    if keys:
        found = {str(getattr(o, key)): o for o in model.objects.filter(**{f"{key}__in": keys})}
        missing = [k for k in keys if k not in found]
        if missing:
            errors.setdefault(field, []).append(
                _("Inconnu dans l'annuaire : %(keys)s.") % {"keys": ", ".join(f"« {k} »" for k in missing)}
            )
        instances += [found[k] for k in keys if k in found]
    unique = []
    for instance in instances:
        if instance not in unique:
            unique.append(instance)
    return unique


def _whole_number(value) -> int | None:
    """An integer from what a person or a client sent (42, "42", 42.0); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float) and math.isfinite(value) and value == int(value):
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _model_errors(instance, exclude=()) -> dict:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return exc.message_dict
    return {}


# --- Actions ---

# What the members of an action's pilot organisations may change on it (the pilots and staff change everything).
ACTION_PROGRESS_FIELDS = frozenset({"status", "progress_override", "progress_justification"})
ACTION_ZONE_LEVELS = (ZoneLevel.REGION, ZoneLevel.DEPARTEMENT, ZoneLevel.EPCI)


def _objective_links(strategy, items, errors: dict) -> list[tuple[Objective, Decimal]]:
    """[(objective, weight)] from [{code, weight}] (or objectives, or (objective|code, weight) pairs)."""
    objectives = {o.code: o for o in Objective.objects.filter(sub_axis__axis__strategy=strategy)}
    links: list[tuple[Objective, Decimal]] = []
    unknown, seen = [], set()
    for item in items or []:
        if isinstance(item, dict):
            code, weight = item.get("code"), item.get("weight", 1)
        elif isinstance(item, tuple | list):
            code, weight = item[0], item[1]
        else:
            code, weight = item, 1
        if isinstance(code, Objective):
            code = code.code
        code = str(code or "").strip()
        if code not in objectives:
            unknown.append(code)
            continue
        if code in seen:
            errors.setdefault("objectives", []).append(
                _("L'objectif %(code)s est indiqué deux fois.") % {"code": code}
            )
            continue
        seen.add(code)
        number = _decimal(
            1 if weight is None or weight == "" else weight,
            errors,
            "objectives",
            _("Le poids de %(code)s doit être un nombre, par exemple 1 ou 1,5.") % {"code": code},
        )
        if number is None:
            continue
        if number <= 0:
            errors.setdefault("objectives", []).append(
                _("Le poids de %(code)s doit être plus grand que 0 (par exemple 1).") % {"code": code}
            )
            continue
        if number >= 10000 or number != number.quantize(Decimal("0.01")):
            errors.setdefault("objectives", []).append(
                _("Le poids de %(code)s : un nombre de moins de 10 000, deux décimales au plus.")
                % {"code": code}
            )
            continue
        links.append((objectives[code], number))
    if unknown:
        errors.setdefault("objectives", []).append(
            _("Objectif inconnu : %(codes)s. Objectifs possibles : %(allowed)s.")
            % {"codes": ", ".join(f"« {c} »" for c in unknown), "allowed": ", ".join(objectives)}
        )
    if not links and "objectives" not in errors:
        errors["objectives"] = [_("Indiquez au moins un objectif servi (par exemple O6, avec son poids).")]
    return links


def clean_action(strategy: Strategy, data: dict, action: Action | None = None) -> tuple[dict, dict]:
    """Check the values of an action (all of them for a new one, the given ones for an update).

    Returns (fields, relations) ready to save; raises ValidationError with French messages per field (the API's
    names: code, title, objectives, status, start_date, end_date, progress_override…).
    """
    errors: dict[str, list] = {}
    fields: dict = {}
    relations: dict = {}
    new = action is None
    if new or "code" in data:
        code = str(data.get("code") or "").strip()
        if not code:
            errors["code"] = [_("Indiquez le code de l'action, par exemple A6-1.")]
        elif len(code) > 20:
            errors["code"] = [_("Le code tient en 20 caractères au plus.")]
        elif (
            Action.objects.filter(strategy=strategy, code=code)
            .exclude(pk=getattr(action, "pk", None))
            .exists()
        ):
            errors["code"] = [_("Une action a déjà le code « %(code)s ».") % {"code": code}]
        fields["code"] = code
    if new or "title" in data:
        title = str(data.get("title") or "").strip()
        if not title:
            errors["title"] = [_("Indiquez l'intitulé de l'action.")]
        fields["title"] = title
    for name in ("description", "contacts", "progress_justification"):
        if name in data:
            fields[name] = str(data.get(name) or "").strip()
    if new or "objectives" in data:
        relations["objectives"] = _objective_links(strategy, data.get("objectives"), errors)
    if new or "status" in data:
        fields["status"] = _choice(
            data.get("status") or ActionStatus.NOT_STARTED, ActionStatus, errors, "status", _("Statut")
        )
    if "progress_source" in data:
        fields["progress_source"] = _choice(
            data.get("progress_source") or ProgressSource.STATUS,
            ProgressSource,
            errors,
            "progress_source",
            _("Mode de calcul"),
        )
    if "progress_override" in data:
        value = data.get("progress_override")
        if value is None or value == "":
            fields["progress_override"] = None
        else:
            number = _whole_number(value)
            if number is None or not 0 <= number <= 100:
                errors["progress_override"] = [_("L'avancement ajusté est un nombre entier de 0 à 100.")]
            fields["progress_override"] = number
    for name in ("start_date", "end_date"):
        if name in data:
            fields[name] = _date(data.get(name), errors, name)
    for name in ("budget_planned", "budget_spent"):
        if name in data:
            number = _decimal(
                data.get(name), errors, name, _("Indiquez un montant, par exemple 45 000 ou 8 000,50.")
            )
            if number is not None and number < 0:
                errors.setdefault(name, []).append(_("Un budget ne peut pas être négatif."))
            fields[name] = number
    if new or "zone_level" in data or "zone_code" in data:
        level = str(data.get("zone_level") or "").strip() or ZoneLevel.REGION
        code = str(data.get("zone_code") or "").strip()
        if level == ZoneLevel.REGION and not code:
            code = strategy.region_code
        for key, message in zone_errors(level, code, levels=ACTION_ZONE_LEVELS, prefix="zone_").items():
            errors.setdefault(key, []).append(message)
        fields["zone_level"], fields["zone_code"] = level, code
    for name in ("pilots", "partners"):
        if name in data:
            relations[name] = _records(Organisation, data.get(name), errors, name)
    if "offers" in data:
        relations["offers"] = _records(Offer, data.get("offers"), errors, "offers")
    if "schemes" in data:
        relations["schemes"] = _records(FundingScheme, data.get("schemes"), errors, "schemes")

    start = fields.get("start_date", getattr(action, "start_date", None))
    end = fields.get("end_date", getattr(action, "end_date", None))
    if start and end and end < start and "end_date" not in errors:
        errors["end_date"] = [_("La fin doit suivre le début de l'action.")]
    override = fields.get("progress_override", getattr(action, "progress_override", None))
    justification = fields.get("progress_justification", getattr(action, "progress_justification", ""))
    if override is not None and not justification and "progress_override" not in errors:
        errors["progress_justification"] = [_("Expliquez pourquoi l'avancement est ajusté.")]
    _raise(errors)
    return fields, relations


def _apply_action(action: Action, fields: dict, relations: dict) -> None:
    for name, value in fields.items():
        setattr(action, name, value)
    errors = _model_errors(action, exclude=["strategy"])
    _raise(errors)
    action.save()
    if "objectives" in relations:
        ActionObjective.objects.filter(action=action).delete()
        ActionObjective.objects.bulk_create(
            [ActionObjective(action=action, objective=o, weight=w) for o, w in relations["objectives"]]
        )
    for name in ("pilots", "partners", "offers", "schemes"):
        if name in relations:
            getattr(action, name).set(relations[name])


@transaction.atomic
def create_action(strategy: Strategy, data: dict, *, user=None) -> Action:
    """A new action of the strategy, from the API's names (`code`, `title`, `objectives: [{code, weight}]`…)."""
    fields, relations = clean_action(strategy, data)
    action = Action(strategy=strategy)
    _apply_action(action, fields, relations)
    history.record(
        strategy, user, ChangeKind.CREATED, action, {}, history.snapshot(action, history.ACTION_FIELDS)
    )
    return action


@transaction.atomic
def update_action(action: Action, data: dict, *, user=None) -> Action:
    """Change the given values of an action (the others are kept); the change goes to the history."""
    action = Action.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=action.pk)
    before = history.snapshot(action, history.ACTION_FIELDS)
    fields, relations = clean_action(action.strategy, data, action)
    _apply_action(action, fields, relations)
    history.record(
        action.strategy,
        user,
        ChangeKind.UPDATED,
        action,
        before,
        history.snapshot(action, history.ACTION_FIELDS),
    )
    return action


@transaction.atomic
def archive_action(action: Action, *, user=None, archived: bool = True) -> Action:
    """Archive an action (it no longer counts in the progress, its history is kept), or bring it back."""
    action = Action.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=action.pk)
    if (action.archived_at is not None) == archived:
        return action
    action.archived_at = timezone.now() if archived else None
    action.save(update_fields=["archived_at", "updated_at"])
    history.record(
        action.strategy,
        user,
        ChangeKind.ARCHIVED if archived else ChangeKind.RESTORED,
        action,
        {},
        {},
    )
    return action


# --- Indicators ---


def clean_indicator(strategy: Strategy, data: dict, indicator: Indicator | None = None) -> tuple[dict, dict]:
    from .indicators import COMPUTATIONS

    errors: dict[str, list] = {}
    fields: dict = {}
    relations: dict = {}
    new = indicator is None
    if new or "name" in data:
        name = str(data.get("name") or "").strip()
        if not name:
            errors["name"] = [_("Indiquez le nom de l'indicateur.")]
        elif (
            Indicator.objects.filter(strategy=strategy, name=name)
            .exclude(pk=getattr(indicator, "pk", None))
            .exists()
        ):
            errors["name"] = [_("Un indicateur s'appelle déjà « %(name)s ».") % {"name": name}]
        fields["name"] = name
    if "unit" in data:
        fields["unit"] = str(data.get("unit") or "").strip()
    if new or "source" in data:
        fields["source"] = _choice(
            data.get("source") or IndicatorSource.MANUAL, IndicatorSource, errors, "source", _("Source")
        )
    if new or "direction" in data:
        fields["direction"] = _choice(
            data.get("direction") or Direction.UP, Direction, errors, "direction", _("Sens")
        )
    if new or "computation" in data or "source" in data:
        computation = str(data.get("computation", getattr(indicator, "computation", "")) or "").strip()
        source = fields.get("source") or getattr(indicator, "source", IndicatorSource.MANUAL)
        if source == IndicatorSource.COMPUTED:
            if computation not in COMPUTATIONS:
                errors["computation"] = [_("Choisissez un calcul de la liste pour un indicateur calculé.")]
        else:
            computation = ""
        fields["computation"] = computation
    for name in ("baseline_value", "target_value"):
        if name in data:
            fields[name] = _decimal(
                data.get(name), errors, name, _("Indiquez un nombre, par exemple 42 ou 12,5.")
            )
    for name in ("baseline_date", "target_date"):
        if name in data:
            fields[name] = _date(data.get(name), errors, name)
    if "objective" in data:
        code = data.get("objective")
        code = code.code if isinstance(code, Objective) else str(code or "").strip()
        objective = (
            Objective.objects.filter(sub_axis__axis__strategy=strategy, code=code).first() if code else None
        )
        if code and objective is None:
            errors["objective"] = [_("Objectif inconnu : « %(code)s ».") % {"code": code}]
        fields["objective"] = objective
    if "actions" in data:
        relations["actions"] = _records(Action, data.get("actions"), errors, "actions", key="code")
    baseline = fields.get("baseline_date", getattr(indicator, "baseline_date", None))
    target = fields.get("target_date", getattr(indicator, "target_date", None))
    if baseline and target and target < baseline and "target_date" not in errors:
        errors["target_date"] = [_("L'échéance de la cible doit suivre la date de la valeur de départ.")]
    _raise(errors)
    return fields, relations


def _apply_indicator(indicator: Indicator, fields: dict, relations: dict) -> None:
    for name, value in fields.items():
        setattr(indicator, name, value)
    _raise(_model_errors(indicator, exclude=["strategy"]))
    indicator.save()
    if "actions" in relations:
        indicator.actions.set(relations["actions"])


@transaction.atomic
def create_indicator(strategy: Strategy, data: dict, *, user=None) -> Indicator:
    """A new indicator, entered by hand or computed (a name of `indicators.COMPUTATIONS`)."""
    fields, relations = clean_indicator(strategy, data)
    indicator = Indicator(strategy=strategy)
    _apply_indicator(indicator, fields, relations)
    history.record(
        strategy,
        user,
        ChangeKind.CREATED,
        indicator,
        {},
        history.snapshot(indicator, history.INDICATOR_FIELDS),
    )
    return indicator


def ensure_computed_indicators(rows, *, demo: bool = False) -> int:
    """The computed indicators of `rows` (name, computation, objective code, unit) that the current strategy lacks
    (matched by computation), created once each — the demo loaders of the apps whose data they are computed from."""
    from . import selectors

    strategy = selectors.current_strategy()
    if strategy is None:
        return 0
    existing = set(selectors.indicators(strategy).values_list("computation", flat=True))
    created = 0
    for name, computation, objective, unit in rows:
        if computation in existing:
            continue
        data = {"name": name, "source": "computed", "computation": computation, "objective": objective}
        indicator = create_indicator(strategy, {**data, "unit": unit})
        if demo:
            Indicator.objects.filter(pk=indicator.pk).update(is_demo=True)
        created += 1
    return created


@transaction.atomic
def update_indicator(indicator: Indicator, data: dict, *, user=None) -> Indicator:
    indicator = (
        Indicator.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=indicator.pk)
    )
    before = history.snapshot(indicator, history.INDICATOR_FIELDS)
    fields, relations = clean_indicator(indicator.strategy, data, indicator)
    _apply_indicator(indicator, fields, relations)
    history.record(
        indicator.strategy,
        user,
        ChangeKind.UPDATED,
        indicator,
        before,
        history.snapshot(indicator, history.INDICATOR_FIELDS),
    )
    return indicator


# --- Committees and decisions ---

MINUTES_MAX_BYTES = 10 * 1024 * 1024


def check_minutes_file(upload) -> None:
    """A committee's minutes: a PDF (its first bytes are `%PDF-`) of at most 10 Mo."""
    if upload.size > MINUTES_MAX_BYTES:
        raise ValidationError(
            {
                "minutes_file": [
                    _("Le compte rendu dépasse 10 Mo : réduisez-le (PDF compressé) et recommencez.")
                ]
            }
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError({"minutes_file": [_("Le compte rendu doit être un fichier PDF.")]})


def clean_meeting(data: dict, meeting: CommitteeMeeting | None = None) -> tuple[dict, dict]:
    errors: dict[str, list] = {}
    fields: dict = {}
    relations: dict = {}
    new = meeting is None
    if new or "kind" in data:
        if not data.get("kind"):
            errors["kind"] = [_("Choisissez l'instance (COPIL, COTECH…).")]
        else:
            fields["kind"] = _choice(data.get("kind"), MeetingKind, errors, "kind", _("Instance"))
    if new or "date" in data:
        day = _date(data.get("date"), errors, "date")
        if day is None and "date" not in errors:
            errors["date"] = [_("Indiquez la date de la réunion.")]
        fields["date"] = day
    for name in ("agenda", "minutes"):
        if name in data:
            fields[name] = str(data.get(name) or "").strip()
    if "organisations_present" in data:
        relations["organisations_present"] = _records(
            Organisation, data.get("organisations_present"), errors, "organisations_present"
        )
    upload = data.get("minutes_file")
    if upload:
        try:
            check_minutes_file(upload)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        fields["minutes_file"] = upload
    _raise(errors)
    return fields, relations


def _apply(instance, fields: dict, relations: dict, exclude=()) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    _raise(_model_errors(instance, exclude=exclude))
    instance.save()
    for name, values in relations.items():
        getattr(instance, name).set(values)


@transaction.atomic
def create_meeting(strategy: Strategy, data: dict, *, user=None) -> CommitteeMeeting:
    """A committee meeting (COPIL, COTECH…): date, organisations present, agenda, minutes (text and/or PDF)."""
    fields, relations = clean_meeting(data)
    meeting = CommitteeMeeting(strategy=strategy)
    _apply(meeting, fields, relations, exclude=["strategy"])
    history.record(
        strategy, user, ChangeKind.CREATED, meeting, {}, history.snapshot(meeting, history.MEETING_FIELDS)
    )
    return meeting


@transaction.atomic
def update_meeting(meeting: CommitteeMeeting, data: dict, *, user=None) -> CommitteeMeeting:
    meeting = (
        CommitteeMeeting.objects.select_for_update(of=("self",)).select_related("strategy").get(pk=meeting.pk)
    )
    before = history.snapshot(meeting, history.MEETING_FIELDS)
    fields, relations = clean_meeting(data, meeting)
    _apply(meeting, fields, relations, exclude=["strategy"])
    history.record(
        meeting.strategy,
        user,
        ChangeKind.UPDATED,
        meeting,
        before,
        history.snapshot(meeting, history.MEETING_FIELDS),
    )
    return meeting


def clean_decision(strategy: Strategy, data: dict, decision: Decision | None = None) -> tuple[dict, dict]:
    errors: dict[str, list] = {}
    fields: dict = {}
    relations: dict = {}
    new = decision is None
    if new or "meeting" in data:
        meeting = data.get("meeting")
        if not isinstance(meeting, CommitteeMeeting):
            meeting = (
                CommitteeMeeting.objects.filter(strategy=strategy, pk=meeting).first()
                if (str(meeting or "").isascii() and str(meeting or "").isdigit())
                else None
            )
        if meeting is None or meeting.strategy_id != strategy.pk:
            errors["meeting"] = [_("Choisissez la réunion où la décision a été prise.")]
        fields["meeting"] = meeting
    if new or "text" in data:
        text = str(data.get("text") or "").strip()
        if not text:
            errors["text"] = [_("Indiquez ce qui a été décidé.")]
        fields["text"] = text
    if new or "status" in data:
        fields["status"] = _choice(
            data.get("status") or DecisionStatus.OPEN, DecisionStatus, errors, "status", _("Statut")
        )
    if "due_date" in data:
        fields["due_date"] = _date(data.get("due_date"), errors, "due_date")
    if "owner_organisation" in data:
        owner = data.get("owner_organisation")
        found = _records(Organisation, [owner] if owner else [], errors, "owner_organisation")
        fields["owner_organisation"] = found[0] if found else None
    if "owner_text" in data:
        fields["owner_text"] = str(data.get("owner_text") or "").strip()
    if "actions" in data:
        actions = _records(Action, data.get("actions"), errors, "actions", key="code")
        relations["actions"] = [a for a in actions if a.strategy_id == strategy.pk]
    _raise(errors)
    return fields, relations


@transaction.atomic
def create_decision(strategy: Strategy, data: dict, *, user=None) -> Decision:
    """A decision of a meeting: owner organisation, due date, status, the actions concerned."""
    fields, relations = clean_decision(strategy, data)
    decision = Decision()
    _apply(decision, fields, relations)
    history.record(
        strategy, user, ChangeKind.CREATED, decision, {}, history.snapshot(decision, history.DECISION_FIELDS)
    )
    return decision


@transaction.atomic
def update_decision(decision: Decision, data: dict, *, user=None) -> Decision:
    """Change a decision; a new due date gets its own reminder and overdue e-mails."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting__strategy")
        .get(pk=decision.pk)
    )
    strategy = decision.meeting.strategy
    before = history.snapshot(decision, history.DECISION_FIELDS)
    fields, relations = clean_decision(strategy, data, decision)
    if "due_date" in fields and fields["due_date"] != decision.due_date:
        fields["reminder_sent_at"] = fields["overdue_sent_at"] = None
    _apply(decision, fields, relations)
    history.record(
        strategy,
        user,
        ChangeKind.UPDATED,
        decision,
        before,
        history.snapshot(decision, history.DECISION_FIELDS),
    )
    return decision


# --- Decision e-mails ---

REMINDER_DAYS = 7


def decision_recipients(decision: Decision) -> list[str]:
    """Who is told about a decision: the active members of its owner organisation, else the organisation's e-mail."""
    from maille.accounts.selectors import member_emails

    organisation = decision.owner_organisation
    if organisation is None:
        return []
    emails = member_emails(organisation.slug)
    if not emails and organisation.email:
        emails = [organisation.email]
    return emails


def _send_decision_email(decision_pk: int, stamp: str, template: str, subject: str, today) -> str:
    """Stamp the decision under its row lock and write the e-mails to the outbox; 'sent', 'skipped' or 'nobody'."""
    from django.urls import reverse

    from maille.core.emails import send_on_commit

    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("meeting", "owner_organisation")
            .filter(pk=decision_pk)
            .first()
        )
        if decision is None or getattr(decision, stamp) is not None or decision.status != DecisionStatus.OPEN:
            return "skipped"
        recipients = decision_recipients(decision)
        if not recipients:
            return "nobody"
        setattr(decision, stamp, timezone.now())
        decision.save(update_fields=[stamp])
        context = {
            "decision": decision,
            "meeting": str(decision.meeting),
            "owner": decision.owner,
            "due_date": decision.due_date,
            "days_left": (decision.due_date - today).days,
            "actions": list(decision.actions.values_list("code", "title")),
            "url": settings.MAILLE_SITE_URL + reverse("strategy:committees") + f"#decision-{decision.pk}",
        }
        for to in recipients:
            send_on_commit(to, subject, template, context)
    return "sent"


def send_decision_reminders(today: datetime.date | None = None, progress=None) -> dict[str, int]:
    """E-mail the owners of open decisions a week before their due date, and on the day they become overdue.

    Each e-mail is stamped on its decision under the row's lock: running twice (or on two machines) sends nothing
    twice. A decision whose owner has no address is counted, and tried again the next day.
    """
    today = today or timezone.localdate()
    summary = {"reminders": 0, "overdue": 0, "without_recipient": 0}
    open_decisions = Decision.objects.filter(status=DecisionStatus.OPEN, due_date__isnull=False)
    work = [
        (
            pk,
            "reminder_sent_at",
            "decision_reminder",
            _("Décision à mettre en œuvre d'ici le %(date)s"),
            "reminders",
        )
        for pk in open_decisions.filter(
            reminder_sent_at__isnull=True,
            overdue_sent_at__isnull=True,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=REMINDER_DAYS),
        ).values_list("pk", flat=True)
    ] + [
        (pk, "overdue_sent_at", "decision_overdue", _("Décision en retard depuis le %(date)s"), "overdue")
        for pk in open_decisions.filter(overdue_sent_at__isnull=True, due_date__lt=today).values_list(
            "pk", flat=True
        )
    ]
    items = progress(work) if progress else work
    for pk, stamp, template, subject, key in items:
        due = Decision.objects.filter(pk=pk).values_list("due_date", flat=True).first()
        subject_text = subject % {"date": due.strftime("%d/%m/%Y")} if due else subject
        outcome = _send_decision_email(pk, stamp, template, subject_text, today)
        if outcome == "sent":
            summary[key] += 1
        elif outcome == "nobody":
            summary["without_recipient"] += 1
    return summary
