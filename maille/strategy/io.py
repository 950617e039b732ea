"""Actions and measurements as tables (CSV or xlsx): the same columns for export and import; all-or-nothing imports.

Cell formats are those of `maille.core.tabular` (lists separated by `|`, dates AAAA-MM-JJ, booleans oui/non);
numbers take a point or a comma (`1,5`).

Actions (`ACTION_COLUMNS`), keyed by `code` within the strategy: `objectifs` holds objective codes, each with its
weight after a colon when it is not 1 (`O1|O6:2`; `poids`, when given, is the weight of the objectives written
without one), `statut` and `source_avancement` codes of `enums`, `avancement_force` an integer 0–100 or empty (then the progress
follows the status or the indicators), `pilotes` and `partenaires` organisation slugs, `niveau` + `territoire` the
action's zone (both empty: the strategy's region), `budget_prevu` / `budget_consomme` amounts in euros, `offres` and
`dispositifs` the slugs of the directory's offers and funding schemes that implement it, `demo` oui/non (empty: non).
Each created or changed row is written to the history (`history.record`) with the importing person.

Measurements (`MEASUREMENT_COLUMNS`), keyed by indicator, date and territory: `indicateur` is the indicator's
**name** (unique within the strategy, readable, and the same on every Maille instance, unlike its id); `niveau` +
`territoire` empty for the regional total, else a breakdown (`departement` + `53`…); `note` is the source note.

`maille.core.tabular.TabularImporter` upserts by slug; `KeyedImporter` sets its key hooks to key rows by other
columns (actions have a code, measurements a compound key).
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maille.core.tabular import (
    Cells,
    Column,
    ImportReport,
    Progress,
    TabularError,
    TabularImporter,
    choices_text,
    format_bool,
    format_date,
    format_list,
    quoted,
)
from maille.directory.models import Offer, Organisation
from maille.funding.models import FundingScheme
from maille.territories.enums import AREA_LEVELS, ZoneLevel
from maille.territories.selectors import zone_errors

from .enums import ActionStatus, ChangeKind, ProgressSource
from .models import Action, ActionObjective, Indicator, Measurement, Objective, Strategy
from .selectors import current_strategy

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
ACTION_ZONE_LEVELS = (*AREA_LEVELS, ZoneLevel.FRANCE)


def format_decimal(value: Decimal | None) -> str:
    """`Decimal("1.50")` → `1.5`, `Decimal("100.00")` → `100`: what an import reads back to the same value."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def read_decimal(cells: Cells, column: str) -> Decimal | None:
    """A number with a point or a comma (spaces allowed as thousands separators); empty → None."""
    raw = _SPACES.sub("", cells.text(column))
    if not raw:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        cells.error(column, _("« %(value)s » n'est pas un nombre (par exemple 12 ou 12,5).") % {"value": raw})
        return None
    return value


def _strategy(strategy: Strategy | None) -> Strategy:
    strategy = strategy or current_strategy()
    if strategy is None:
        raise TabularError(_("Aucune stratégie n'est chargée : lancez d'abord « manage.py load_reference »."))
    return strategy


class KeyedImporter(TabularImporter):
    """`TabularImporter` keyed by `key_columns` instead of a slug, exported in the order of `queryset`.

    A subclass gives `key_columns`, `queryset` (the objects in scope), `key_of` (an object's key), `read_key`
    (a row's key, or None with its errors recorded) and `new_instance` (an object for a new key), plus the
    special columns' code.
    """

    key_columns: tuple[str, ...] = ()
    duplicate_column: str | None = None

    def duplicate_message(self, row: int) -> str:
        return _("Cette ligne reprend la ligne %(row)d (même %(key)s).") % {
            "row": row,
            "key": ", ".join(self.key_columns),
        }

    def __init__(self, strategy: Strategy | None = None):
        self._given_strategy = strategy

    @property
    def strategy(self) -> Strategy:
        """The strategy the rows belong to (the given one, or the platform's)."""
        if not hasattr(self, "_strategy"):
            self._strategy = _strategy(self._given_strategy)
        return self._strategy

    def export(self, queryset: models.QuerySet | None = None) -> tuple[list[str], list[list]]:
        return super().export(self.queryset() if queryset is None else queryset)


# Actions

ACTION_TABLE = (
    Column("code", "code"),
    Column("titre", "title"),
    Column("description", "description"),
    Column("objectifs", "objectives", "special"),
    Column("statut", "status", "code", ActionStatus),
    Column("avancement_force", "progress_override", "integer"),
    Column("source_avancement", "progress_source", "special"),
    Column("poids", "weight", "special"),
    Column("justification_avancement", "progress_justification"),
    Column("debut", "start_date", "date"),
    Column("fin", "end_date", "date"),
    Column("pilotes", "pilots", "special"),
    Column("contacts", "contacts"),
    Column("partenaires", "partners", "special"),
    Column("niveau", "zone_level", "special"),
    Column("territoire", "zone_code", "special"),
    Column("budget_prevu", "budget_planned", "special"),
    Column("budget_consomme", "budget_spent", "special"),
    Column("offres", "offers", "special"),
    Column("dispositifs", "schemes", "special"),
    Column("demo", "is_demo", "special"),
)
ACTION_COLUMNS = [column.name for column in ACTION_TABLE]


class ActionImporter(KeyedImporter):
    label = gettext_lazy("Actions")
    model = Action
    table = ACTION_TABLE
    ranges = (("start_date", "end_date"),)
    key_columns = ("code",)
    duplicate_column = "code"

    def __init__(self, strategy: Strategy | None = None, user=None):
        super().__init__(strategy)
        self.user = user

    def queryset(self):
        return Action.objects.filter(strategy=self.strategy).order_by("code")

    def with_relations(self, queryset):
        return queryset.prefetch_related(
            "objective_links__objective", "pilots", "partners", "offers", "schemes"
        )

    def key_of(self, obj: Action) -> tuple:
        return (obj.code,)

    def read_key(self, cells: Cells) -> tuple | None:
        code = cells.text("code")
        if not code:
            cells.error("code", _("Indiquez le code de l'action."))
            return None
        return (code,)

    def new_instance(self, key: tuple) -> Action:
        return Action(strategy=self.strategy, code=key[0])

    def prepare(self) -> None:
        self.objectives = {
            o.code: o for o in Objective.objects.filter(sub_axis__axis__strategy=self.strategy)
        }
        self.organisations = {o.slug: o for o in Organisation.objects.all()}
        self.offers = {o.slug: o for o in Offer.objects.all()}
        self.schemes = {s.slug: s for s in FundingScheme.objects.all()}

    def export_special(self, obj: Action, column: Column) -> Any:
        if column.field == "objectives":
            return format_list(_objective_items(obj.objective_links.all()))
        if column.field in ("pilots", "partners", "offers", "schemes"):
            return format_list(sorted(o.slug for o in getattr(obj, column.field).all()))
        if column.field == "weight":
            return ""
        if column.field in ("budget_planned", "budget_spent"):
            return format_decimal(getattr(obj, column.field))
        if column.field == "is_demo":
            return format_bool(obj.is_demo)
        return getattr(obj, column.field)  # progress_source, zone_level, zone_code

    def current_relations(self, obj: Action) -> dict[str, set]:
        return {
            "objectives": {
                f"{link.objective.code}:{format_decimal(link.weight)}" for link in obj.objective_links.all()
            },
            "pilots": {o.slug for o in obj.pilots.all()},
            "partners": {o.slug for o in obj.partners.all()},
            "offers": {o.slug for o in obj.offers.all()},
            "schemes": {o.slug for o in obj.schemes.all()},
        }

    def read_special(self, cells: Cells) -> tuple[dict[str, Any], dict[str, list]]:
        values: dict[str, Any] = {}
        default_weight = read_decimal(cells, "poids")
        if default_weight is not None and default_weight <= 0:
            cells.error("poids", _("Le poids doit être plus grand que 0 (par exemple 1)."))
        default_weight = default_weight if default_weight and default_weight > 0 else Decimal("1")
        items, unknown = [], []
        for item in cells.items("objectifs"):
            code, _sep, raw_weight = item.partition(":")
            code = code.strip()
            if code not in self.objectives:
                unknown.append(code)
                continue
            weight = default_weight
            if raw_weight.strip():
                try:
                    weight = Decimal(_SPACES.sub("", raw_weight).replace(",", "."))
                except InvalidOperation:
                    weight = None
                if weight is None or not weight.is_finite() or weight <= 0:
                    cells.error(
                        "objectifs",
                        _(
                            "Le poids de %(code)s doit être un nombre plus grand que 0 (par exemple %(code)s:2)."
                        )
                        % {"code": code},
                    )
                    continue
            items.append(f"{code}:{format_decimal(weight)}")
        if unknown:
            cells.error(
                "objectifs",
                _("Objectif inconnu : %(codes)s. Objectifs possibles : %(allowed)s.")
                % {"codes": quoted(unknown), "allowed": ", ".join(self.objectives)},
            )
        relations: dict[str, list] = {"objectives": items}
        for column, field, known, message in (
            ("pilotes", "pilots", self.organisations, _("Aucune organisation n'a l'identifiant %(slugs)s.")),
            (
                "partenaires",
                "partners",
                self.organisations,
                _("Aucune organisation n'a l'identifiant %(slugs)s."),
            ),
            ("offres", "offers", self.offers, _("Aucune offre n'a l'identifiant %(slugs)s.")),
            ("dispositifs", "schemes", self.schemes, _("Aucun dispositif n'a l'identifiant %(slugs)s.")),
        ):
            slugs = cells.items(column)
            missing = [s for s in slugs if s not in known]
            if missing:
                cells.error(column, message % {"slugs": quoted(missing)})
            relations[field] = [s for s in slugs if s in known]
        for column, field in (("budget_prevu", "budget_planned"), ("budget_consomme", "budget_spent")):
            amount = read_decimal(cells, column)
            if amount is not None and amount < 0:
                cells.error(column, _("Un budget ne peut pas être négatif."))
            values[field] = amount
        source = cells.text("source_avancement")
        if source and source not in ProgressSource.values:
            cells.error(
                "source_avancement",
                _("Code inconnu : %(codes)s. Codes possibles : %(allowed)s.")
                % {"codes": quoted([source]), "allowed": choices_text(ProgressSource)},
            )
        else:
            values["progress_source"] = source or ProgressSource.STATUS
        level, code = cells.text("niveau").lower(), cells.text("territoire")
        if not level and not code:
            level, code = ZoneLevel.REGION, self.strategy.region_code
        for key, message in zone_errors(level, code, levels=ACTION_ZONE_LEVELS).items():
            cells.error("niveau" if key == "level" else "territoire", message)
        values["zone_level"], values["zone_code"] = level, code
        demo = cells.text("demo")
        values["is_demo"] = cells.boolean("demo") if demo else False
        return values, relations

    def validate_relations(self, relations: dict[str, list]) -> None:
        if "objectives" in relations and not relations["objectives"]:
            raise ValidationError(
                {"objectives": _("Indiquez au moins un objectif servi (par exemple O1, ou O1|O6).")}
            )

    def save(self, instance: Action, relations: dict[str, list]) -> None:
        from . import history

        previous = (
            Action.objects.filter(pk=instance.pk).prefetch_related("objective_links__objective").first()
            if instance.pk
            else None
        )
        before = history.snapshot(previous, history.ACTION_FIELDS)
        if instance.progress_override is not None and not instance.progress_justification:
            raise ValidationError(
                {
                    "progress_justification": _(
                        "Expliquez pourquoi l'avancement est ajusté (justification_avancement)."
                    )
                }
            )
        instance.save()
        ActionObjective.objects.filter(action=instance).delete()
        links = []
        for item in relations["objectives"]:
            code, weight = item.split(":")
            links.append(
                ActionObjective(action=instance, objective=self.objectives[code], weight=Decimal(weight))
            )
        ActionObjective.objects.bulk_create(links)
        instance.pilots.set([self.organisations[s] for s in relations["pilots"]])
        instance.partners.set([self.organisations[s] for s in relations["partners"]])
        instance.offers.set([self.offers[s] for s in relations["offers"]])
        instance.schemes.set([self.schemes[s] for s in relations["schemes"]])
        history.record(
            self.strategy,
            self.user,
            ChangeKind.UPDATED if previous else ChangeKind.CREATED,
            instance,
            before,
            history.snapshot(instance, history.ACTION_FIELDS),
        )


def _objective_items(links) -> list[str]:
    """`O6` (weight 1) or `O6:2`, in the objectives' natural order (O2 before O10)."""
    items = []
    for link in sorted(links, key=lambda link: (link.objective.order, link.objective.code)):
        weight = format_decimal(link.weight)
        items.append(link.objective.code if weight == "1" else f"{link.objective.code}:{weight}")
    return items


def export_actions(strategy: Strategy | None = None) -> tuple[list[str], list[list]]:
    """Headers and rows of the strategy's actions (the current strategy by default), by code."""
    return ActionImporter(strategy).export()


def import_actions(
    source,
    dry_run: bool = False,
    progress: Progress | None = None,
    strategy: Strategy | None = None,
    user=None,
) -> ImportReport:
    """Create or update the strategy's actions by code; nothing is written if any row is bad."""
    return ActionImporter(strategy, user).run(source, dry_run=dry_run, progress=progress)


# Measurements

MEASUREMENT_TABLE = (
    Column("indicateur", "indicator", "special"),
    Column("date", "date", "special"),
    Column("valeur", "value", "special"),
    Column("niveau", "zone_level", "special"),
    Column("territoire", "zone_code", "special"),
    Column("note", "source_note"),
)
MEASUREMENT_COLUMNS = [column.name for column in MEASUREMENT_TABLE]


class MeasurementImporter(KeyedImporter):
    label = gettext_lazy("Mesures")
    model = Measurement
    table = MEASUREMENT_TABLE
    key_columns = ("indicateur", "date", "niveau", "territoire")

    def __init__(self, strategy: Strategy | None = None, user=None):
        super().__init__(strategy)
        self.user = user if user is not None and user.is_authenticated else None

    def queryset(self):
        return Measurement.objects.filter(indicator__strategy=self.strategy).order_by(
            "indicator__name", "date", "zone_level", "zone_code", "pk"
        )

    def with_relations(self, queryset):
        return queryset.select_related("indicator")

    def key_of(self, obj: Measurement) -> tuple:
        return (obj.indicator_id, obj.date, obj.zone_level, obj.zone_code)

    def prepare(self) -> None:
        self.indicators = {i.name: i for i in Indicator.objects.filter(strategy=self.strategy)}
        self.indicators_by_pk = {i.pk: i for i in self.indicators.values()}

    def read_key(self, cells: Cells) -> tuple | None:
        name = cells.text("indicateur")
        indicator = self.indicators.get(name)
        if not name:
            cells.error("indicateur", _("Indiquez le nom de l'indicateur."))
        elif indicator is None:
            cells.error(
                "indicateur",
                _("Aucun indicateur de la stratégie ne s'appelle %(name)s (le nom exact est attendu).")
                % {"name": quoted([name])},
            )
        day = cells.date("date")
        if day is None and not cells.text("date"):
            cells.error("date", _("Indiquez la date de la mesure (AAAA-MM-JJ)."))
        level, code = cells.text("niveau").lower(), cells.text("territoire")
        if level or code:
            for key, message in zone_errors(level, code).items():
                cells.error("niveau" if key == "level" else "territoire", message)
        if cells.errors:
            return None
        return (indicator.pk, day, level, code)

    def new_instance(self, key: tuple) -> Measurement:
        indicator_id, day, level, code = key
        return Measurement(
            indicator_id=indicator_id, date=day, zone_level=level, zone_code=code, created_by=self.user
        )

    def export_special(self, obj: Measurement, column: Column) -> Any:
        if column.field == "indicator":
            return obj.indicator.name
        if column.field == "date":
            return format_date(obj.date)
        if column.field == "value":
            return format_decimal(obj.value)
        return getattr(obj, column.field)  # zone_level, zone_code

    def current_relations(self, obj: Measurement) -> dict[str, set]:
        return {}

    def read_special(self, cells: Cells) -> tuple[dict[str, Any], dict[str, list]]:
        value = read_decimal(cells, "valeur")
        if value is None and not cells.text("valeur"):
            cells.error("valeur", _("Indiquez la valeur mesurée."))
        return {"value": value}, {}

    def save(self, instance: Measurement, relations: dict[str, list]) -> None:
        from . import history

        previous = (
            Measurement.objects.filter(pk=instance.pk).select_related("indicator").first()
            if instance.pk
            else None
        )
        before = history.snapshot(previous, history.MEASUREMENT_FIELDS)
        instance.save()
        instance.indicator = self.indicators_by_pk[instance.indicator_id]
        history.record(
            self.strategy,
            self.user,
            ChangeKind.UPDATED if previous else ChangeKind.CREATED,
            instance,
            before,
            history.snapshot(instance, history.MEASUREMENT_FIELDS),
        )


def export_measurements(strategy: Strategy | None = None, measurements=None) -> tuple[list[str], list[list]]:
    """Headers and rows of the strategy's measurements, by indicator name, date and territory; or of the given
    `measurements` (loaded with their indicator), in their order."""
    importer = MeasurementImporter(strategy)
    return importer.export() if measurements is None else importer.export_objects(measurements)


def import_measurements(
    source,
    dry_run: bool = False,
    progress: Progress | None = None,
    strategy: Strategy | None = None,
    user=None,
) -> ImportReport:
    """Create or update measurements by (indicator, date, territory); nothing is written if any row is bad."""
    return MeasurementImporter(strategy, user).run(source, dry_run=dry_run, progress=progress)
