"""Tabular files in and out (CSV or xlsx): reading, cell formats and the all-or-nothing upsert of one model by key.

Reading: `read_table` takes a path or an uploaded file, CSV (UTF-8 with or without BOM, `,` or `;` separated) or
xlsx (first sheet), and gives the header and `(row_number, {column: text})` pairs, where `row_number` is the row a
person sees in a spreadsheet (the header is row 1). Every cell is text: empty cells are "", xlsx numbers, dates and
booleans are written back the way an export writes them.

Cell formats, the same for export and import: lists of codes or slugs separated by `|`, zones as
`niveau:code|…` (`france:` has no code), booleans `oui`/`non`, dates `AAAA-MM-JJ` (also read: `JJ/MM/AAAA`).
Downloads of result lists (`export_labelled`) keep the columns but show labels and names instead of codes: they are
for reading, `export` gives the file to edit and import again.

Importing: a `TabularImporter` subclass describes a model's columns (`Column`) and its special columns
(foreign keys, zones, many-to-many). `run` checks every row before writing anything, reports every bad row, and
saves all rows in one transaction only when none is bad.
"""

import csv
import io
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from zipfile import BadZipFile

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .exports import is_formula_like

EXTENSIONS = ("csv", "xlsx")
LIST_SEPARATOR = "|"
ZONE_SEPARATOR = ":"
# `|` is written; `,` and `;` are read too (codes, slugs and zone codes never contain them).
_SPLIT_LIST = re.compile(r"[|,;]")
_TRUE, _FALSE = "oui", "non"
_BOOLEANS = {"oui": True, "non": False, "vrai": True, "faux": False}
MAX_ROWS = (
    50_000  # rows of one import: beyond, the file is refused (memory and the page of errors stay bounded)
)
# Strict shapes (strptime alone would take "2028-12-3"): ISO, or the day-first form French spreadsheets re-save.
_DATE_SHAPES = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "%Y-%m-%d"),
    (re.compile(r"\d{2}/\d{2}/\d{4}"), "%d/%m/%Y"),
)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class TabularError(Exception):
    """The file cannot be read as the expected table (format, encoding, columns): nothing was imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A table read from a file: its (known) columns, the unknown columns it ignores, and its rows."""

    headers: list[str]
    ignored_columns: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]


# Reading files


def read_table(source, columns: Sequence[str]) -> Table:
    """Read a CSV or xlsx file that must hold every one of `columns` (matched by name, in any order).

    `source` is a path or a file object with a `name` (an uploaded file). Unknown columns are ignored and listed
    in `ignored_columns`; blank rows are skipped (the numbering still counts them). Raise `TabularError`.
    """
    name = str(source) if isinstance(source, str | Path) else getattr(source, "name", "") or ""
    extension = Path(name).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise TabularError(
            _("Format de fichier non pris en charge (« %(name)s ») : utilisez un fichier .csv ou .xlsx.")
            % {"name": Path(name).name or "?"}
        )
    try:
        content = Path(source).read_bytes() if isinstance(source, str | Path) else source.read()
    except FileNotFoundError as exc:
        raise TabularError(_("Fichier introuvable : « %(name)s ».") % {"name": name}) from exc
    except OSError as exc:
        raise TabularError(
            _(
                "Impossible de lire le fichier « %(name)s » : vérifiez qu'il existe et que vous pouvez le lire."
            )
            % {"name": name}
        ) from exc
    if isinstance(content, str):  # a file opened in text mode
        content = content.encode("utf-8")
    records = _csv_records(content) if extension == "csv" else _xlsx_records(content)
    for number, cells in records:
        if any(cells):
            return _table(number, cells, records, columns)
    raise TabularError(_("Le fichier est vide : la première ligne doit porter le nom des colonnes."))


def _table(header_number: int, header_cells: list[str], records: Iterator, columns: Sequence[str]) -> Table:
    """Check the header against the expected columns; the rows map each known column to its cell."""
    names = [cell.strip().lower() for cell in header_cells]
    named = [n for n in names if n]
    duplicated = sorted({n for n in named if named.count(n) > 1})
    if duplicated:
        raise TabularError(_("Colonnes en double : %(columns)s.") % {"columns": quoted(duplicated)})
    missing = [c for c in columns if c not in names]
    if missing:
        raise TabularError(
            _("Colonnes obligatoires absentes : %(columns)s (ligne %(row)d).")
            % {"columns": quoted(missing), "row": header_number}
        )
    positions = {c: names.index(c) for c in columns}

    def rows():
        count = 0
        for number, cells in records:
            if any(cells):
                count += 1
                if count > MAX_ROWS:
                    raise TabularError(
                        _("Le fichier compte plus de %(max)s lignes : découpez-le en plusieurs fichiers.")
                        % {"max": f"{MAX_ROWS:,}".replace(",", "\u202f")}
                    )
                yield number, {c: cells[i] if i < len(cells) else "" for c, i in positions.items()}

    return Table(named, [n for n in named if n not in columns], rows())


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularError(
            _(
                "Le fichier CSV n'est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au format "
                "« CSV UTF-8 »."
            )
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    width = None
    try:
        for number, cells in enumerate(reader, start=1):
            if width is None and any(cells):
                width = len(cells)
            elif width is not None and any(cells) and len(cells) < width:
                raise TabularError(
                    _(
                        "Ligne %(line)d : %(count)d cellules au lieu de %(width)d — le fichier semble tronqué ou "
                        "une ligne est incomplète. Rien n'a été enregistré."
                    )
                    % {"line": number, "count": len(cells), "width": width}
                )
            yield number, [_typed_text(cell).replace("\r\n", "\n").strip() for cell in cells]
    except csv.Error as exc:
        raise TabularError(
            _("Fichier CSV illisible vers la ligne %(line)d (guillemets ou caractères invalides).")
            % {"line": reader.line_num}
        ) from exc


def _typed_text(cell: str) -> str:
    """A CSV cell as typed: the apostrophe our exports put before a formula-like text is removed."""
    if cell.startswith("'") and is_formula_like(cell[1:]):
        return cell[1:]
    return cell


def _sniff_delimiter(text: str) -> str:
    """`;` when the header line holds more semicolons than commas (as French Excel writes), else `,`."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise TabularError(_("Fichier xlsx illisible : est-ce bien un classeur Excel (.xlsx) ?")) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong size: read every row there is
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """An xlsx value as the text an export would have written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _TRUE if value else _FALSE
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def quoted(values: Iterable[str]) -> str:
    return ", ".join(f"« {v} »" for v in values)


def choices_text(choices: type[models.TextChoices]) -> str:
    """Every code of `choices` with its label, for error messages: « emergence » (Émergence…), « creation » (…)."""
    return ", ".join(f"« {value} » ({label})" for value, label in choices.choices)


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """The label of one code (the code itself when unknown, "" when empty)."""
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


LABEL_SEPARATOR = " ; "  # between labels in downloads meant for reading (labels may hold commas)


# Writing cells


def format_bool(value: bool) -> str:
    return _TRUE if value else _FALSE


def format_list(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def format_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def format_zones(zones: Iterable[tuple[str, str]]) -> str:
    return LIST_SEPARATOR.join(f"{level}{ZONE_SEPARATOR}{code}" for level, code in zones)


def zones_of(obj: models.Model) -> list[tuple[str, str]]:
    """The (level, code) pairs of an object's `zones` (rows of a `ZoneMixin` model), sorted."""
    return sorted((zone.zone_level, zone.zone_code) for zone in obj.zones.all())


# Reading cells


class RowError(NamedTuple):
    """One problem of an import: the spreadsheet row, the column (None: the whole row) and a French message."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Ligne %(row)d, colonne « %(column)s » : %(message)s") % self._asdict()
        return _("Ligne %(row)d : %(message)s") % self._asdict()


class Cells:
    """The cells of one row, read column by column: a bad cell records a French error and reads as None/empty."""

    def __init__(self, number: int, values: dict[str, str]):
        self.number = number
        self.values = values
        self.errors: list[RowError] = []

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def add_validation_error(self, exc: ValidationError, columns: dict[str, str]) -> None:
        """Record Django's messages, each under the column of its field (`columns`: field → column)."""
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.error(None, message)
            return
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                self.error(columns.get(field_name), message)

    @property
    def bad_columns(self) -> set[str]:
        return {error.column for error in self.errors if error.column}

    def text(self, column: str) -> str:
        return self.values.get(column, "")

    def items(self, column: str) -> list[str]:
        """The values of a list cell, without blanks or repeats, in their order."""
        return list(
            dict.fromkeys(item.strip() for item in _SPLIT_LIST.split(self.text(column)) if item.strip())
        )

    def integer(self, column: str) -> int | None:
        raw = _SPACES.sub("", self.text(column))
        if not raw:
            return None
        if raw.isascii() and raw.isdigit():
            return int(raw)
        self.error(column, _("« %(value)s » n'est pas un nombre entier positif.") % {"value": raw})
        return None

    def boolean(self, column: str) -> bool | None:
        raw = self.text(column).lower()
        if raw in _BOOLEANS:
            return _BOOLEANS[raw]
        if raw:
            message = _("« %(value)s » n'est pas une réponse : écrivez « oui » ou « non ».") % {"value": raw}
        else:
            message = _("Cellule vide : écrivez « oui » ou « non ».")
        self.error(column, message)
        return None

    def date(self, column: str) -> date | None:
        raw = self.text(column)
        if not raw:
            return None
        for shape, fmt in _DATE_SHAPES:
            if not shape.fullmatch(raw):
                continue
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                break
        self.error(
            column,
            _("« %(value)s » n'est pas une date valide : écrivez-la AAAA-MM-JJ (par exemple 2027-02-12).")
            % {"value": raw},
        )
        return None

    def code(self, column: str, choices: type[models.TextChoices]) -> str:
        """One code of `choices`; an empty cell reads as "" (the model says whether it may be empty)."""
        raw = self.text(column)
        if raw and raw not in choices.values:
            self._unknown_codes(column, [raw], choices)
            return ""
        return raw

    def codes(self, column: str, choices: type[models.TextChoices]) -> list[str]:
        items = self.items(column)
        unknown = [item for item in items if item not in choices.values]
        if unknown:
            self._unknown_codes(column, unknown, choices)
        return [item for item in items if item in choices.values]

    def _unknown_codes(self, column: str, unknown: list[str], choices: type[models.TextChoices]) -> None:
        self.error(
            column,
            _("Code inconnu : %(codes)s. Codes possibles : %(allowed)s.")
            % {"codes": quoted(unknown), "allowed": choices_text(choices)},
        )

    def zones(self, column: str) -> list[tuple[str, str]]:
        """`niveau:code` pairs (their existence is the caller's check); a pair without `:` is an error."""
        zones = []
        for item in self.items(column):
            level, colon, code = item.partition(ZONE_SEPARATOR)
            if not colon:
                self.error(
                    column,
                    _("Zone « %(zone)s » mal écrite : niveau:code, par exemple departement:53 ou france:.")
                    % {"zone": item},
                )
            else:
                zones.append((level.strip().lower(), code.strip()))
        return zones


# Importing


@dataclass(frozen=True)
class Column:
    """A column bound to a model field. `kind`: text, integer, boolean, date, code or codes (with `choices`);
    `special`: a column the importer reads and writes itself (foreign key, zones, many-to-many)."""

    name: str
    field: str
    kind: str = "text"
    choices: type[models.TextChoices] | None = None

    @property
    def special(self) -> bool:
        return self.kind == "special"

    def export(self, obj: models.Model) -> Any:
        value = getattr(obj, self.field)
        if self.kind == "boolean":
            return format_bool(value)
        if self.kind == "codes":
            return format_list(value)
        if self.kind == "date":
            return format_date(value)
        return value

    def export_label(self, obj: models.Model) -> Any:
        """The cell of a download meant for reading: labels instead of codes, dates as JJ/MM/AAAA."""
        value = getattr(obj, self.field)
        if self.kind == "code" and self.choices:
            return label_of(self.choices, value)
        if self.kind == "codes" and self.choices:
            return LABEL_SEPARATOR.join(label_of(self.choices, item) for item in value)
        if self.kind == "date":
            return value.strftime("%d/%m/%Y") if value else ""
        return self.export(obj)

    def read(self, cells: Cells) -> Any:
        if self.kind == "integer":
            return cells.integer(self.name)
        if self.kind == "boolean":
            return cells.boolean(self.name)
        if self.kind == "date":
            return cells.date(self.name)
        if self.kind == "code":
            return cells.code(self.name, self.choices)
        if self.kind == "codes":
            return cells.codes(self.name, self.choices)
        return cells.text(self.name)


@dataclass
class ImportReport:
    """What an import did (or, with errors or a dry run, would have done): counts, errors, ignored columns."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return [str(error) for error in self.errors]

    def summary(self) -> str:
        if self.errors:
            lines = [
                _(
                    "%(label)s — import refusé, rien n'a été enregistré. "
                    "Lignes en erreur : %(rows)d ; erreurs : %(count)d."
                )
                % {"label": self.label, "rows": len({e.row for e in self.errors}), "count": len(self.errors)}
            ]
        else:
            lines = [
                _(
                    "%(label)s — créations : %(created)d ; mises à jour : %(updated)d ; "
                    "sans changement : %(unchanged)d."
                )
                % {
                    "label": self.label,
                    "created": self.created,
                    "updated": self.updated,
                    "unchanged": self.unchanged,
                }
            ]
            if self.dry_run:
                lines.append(_("Simulation : rien n'a été enregistré."))
        if self.ignored_columns:
            lines.append(
                _("Colonnes inconnues ignorées : %(columns)s.") % {"columns": quoted(self.ignored_columns)}
            )
        return "\n".join(lines)


class ProgressBar(Protocol):
    def update(self, n: int) -> object: ...
    def close(self) -> object: ...


Progress = Callable[[str, int], ProgressBar]


@dataclass
class _Pending:
    number: int
    instance: models.Model
    relations: dict[str, list]


class TabularImporter:
    """The all-or-nothing upsert of one model from a table, keyed by slug unless a subclass says otherwise.

    A subclass gives `label`, `model`, `table` (its `Column`s), the `ranges` of fields that must be in order
    (min ≤ max) and the special columns' code: `prepare` (look-ups), `with_relations`, `export_special`,
    `read_special`, `current_relations`, `validate_relations` and `save`. To key rows by other columns than
    `slug`, it overrides `key_columns`, `duplicate_column`, `duplicate_message`, `queryset`, `key_of`,
    `read_key` and `new_instance`.
    """

    label: str
    model: type[models.Model]
    table: Sequence[Column]
    ranges: Sequence[tuple[str, str]] = ()
    key_columns: tuple[str, ...] = ("slug",)  # the columns of the key, not written as plain fields
    duplicate_column: str | None = "slug"  # where a repeated key is reported (None: the whole row)

    @property
    def columns(self) -> list[str]:
        return [column.name for column in self.table]

    @property
    def field_columns(self) -> dict[str, str]:
        return {column.field: column.name for column in self.table}

    # The key (by slug unless overridden)

    def queryset(self) -> models.QuerySet:
        """The objects an import may update."""
        return self.model.objects.all()

    def key_of(self, obj: models.Model) -> Hashable:
        return obj.slug

    def read_key(self, cells: Cells) -> Hashable | None:
        """The row's key; None when it has none (its errors recorded in `cells`): the row is then not saved."""
        return cells.text("slug")

    def new_instance(self, key: Hashable) -> models.Model:
        """An object for a key that no existing object has."""
        return self.model(slug=key)

    def duplicate_message(self, row: int) -> str:
        """The error of a row whose key is the one of an earlier `row`."""
        return _("Identifiant déjà utilisé ligne %(row)d.") % {"row": row}

    # To give in subclasses

    def with_relations(self, queryset: models.QuerySet) -> models.QuerySet:
        """`queryset` with what `export_special` and `current_relations` read (select/prefetch related)."""
        return queryset

    def prepare(self) -> None:
        """Load what `read_special` looks up (organisations by slug…), once per import."""

    def export_special(self, obj: models.Model, column: Column) -> Any:
        raise NotImplementedError

    def prepare_labels(self, objects: list[models.Model]) -> None:
        """Load what `export_special_label` needs for these objects at once (zone names…)."""

    def export_special_label(self, obj: models.Model, column: Column) -> Any:
        """A special column in a download meant for reading (the import format unless a subclass says otherwise)."""
        return self.export_special(obj, column)

    def read_special(self, cells: Cells) -> tuple[dict[str, Any], dict[str, list]]:
        """Field values and relations (`{"zones": [(level, code)], …}`) of the special columns."""
        raise NotImplementedError

    def current_relations(self, obj: models.Model) -> dict[str, set]:
        raise NotImplementedError

    def validate_relations(self, relations: dict[str, list]) -> None:
        """Raise a ValidationError keyed by field (e.g. `zones`)."""

    def save(self, instance: models.Model, relations: dict[str, list]) -> None:
        raise NotImplementedError

    # Generic

    def export(self, queryset: models.QuerySet | None = None) -> tuple[list[str], list[list]]:
        """Headers and rows of `queryset` (every object by default, by slug)."""
        queryset = self.with_relations(self.model.objects.order_by("slug") if queryset is None else queryset)
        return self.export_objects(queryset)

    def export_objects(self, objects: Iterable[models.Model]) -> tuple[list[str], list[list]]:
        """Headers and rows of objects already loaded (with what `export_special` reads), in their order."""
        rows = [
            [self.export_special(obj, c) if c.special else c.export(obj) for c in self.table]
            for obj in objects
        ]
        return self.columns, rows

    def export_labelled(self, objects: Iterable[models.Model]) -> tuple[list[str], list[list]]:
        """Headers and rows of a list of results to read in a spreadsheet: the columns of the import format, with
        labels instead of codes (« Publiée », « Subvention », « Mayenne (département) »). Not meant to be imported
        again: `export` gives that file."""
        objects = list(objects)
        self.prepare_labels(objects)
        rows = [
            [self.export_special_label(obj, c) if c.special else c.export_label(obj) for c in self.table]
            for obj in objects
        ]
        return self.columns, rows

    def run(self, source, dry_run: bool = False, progress: Progress | None = None) -> ImportReport:
        """Check every row, then save them all in one transaction; write nothing if any row is bad.

        Raise `TabularError` when the file itself cannot be read. With `dry_run`, rows are saved then rolled
        back, so that the report is the one a real import would give.
        """
        table = read_table(source, self.columns)
        report = ImportReport(self.label, ignored_columns=table.ignored_columns, dry_run=dry_run)
        rows = list(table.rows)
        self.prepare()
        existing = {self.key_of(obj): obj for obj in self.with_relations(self.queryset())}
        seen: dict[Hashable, int] = {}
        pending: list[_Pending] = []
        for number, values in _ticking(rows, progress, _("Vérification")):
            cells = Cells(number, values)
            item = self._check_row(cells, existing, seen)
            report.errors.extend(cells.errors)
            if item is None:
                report.unchanged += not cells.errors
                continue
            pending.append(item)
            if item.instance.pk is None:
                report.created += 1
            else:
                report.updated += 1
        if report.errors:
            return report
        with transaction.atomic():
            for item in _ticking(pending, progress, _("Enregistrement")):
                cells = Cells(item.number, {})
                try:
                    self.save(item.instance, item.relations)
                except ValidationError as exc:
                    cells.add_validation_error(exc, self.field_columns)
                except DatabaseError as exc:
                    cells.error(None, _("Enregistrement impossible : %(error)s") % {"error": exc})
                report.errors.extend(cells.errors)
            if report.errors or dry_run:
                transaction.set_rollback(True)
        return report

    def _check_row(self, cells: Cells, existing: dict, seen: dict[Hashable, int]) -> _Pending | None:
        """The row's object, ready to save; None when it is unchanged or bad (its errors are in `cells`)."""
        key = self.read_key(cells)
        if key is not None:
            if key and key in seen:  # an empty key is never a repeat (it is reported as missing)
                cells.error(self.duplicate_column, self.duplicate_message(seen[key]))
            seen.setdefault(key, cells.number)
        values = {
            c.field: c.read(cells) for c in self.table if not c.special and c.name not in self.key_columns
        }
        special_values, relations = self.read_special(cells)
        values.update(special_values)
        bad_fields = {f for f, column in self.field_columns.items() if column in cells.bad_columns}
        values = {f: v for f, v in values.items() if f not in bad_fields}
        self._check_ranges(cells, values)
        if key is None:
            return None
        current = existing.get(key)
        if current is not None and self._same(current, values, relations):
            return None
        instance = current or self.new_instance(key)
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            self.validate_relations({k: v for k, v in relations.items() if k not in bad_fields})
        except ValidationError as exc:
            cells.add_validation_error(exc, self.field_columns)
        try:
            instance.full_clean(exclude=bad_fields | set(relations), validate_constraints=False)
        except ValidationError as exc:
            cells.add_validation_error(exc, self.field_columns)
        return None if cells.errors else _Pending(cells.number, instance, relations)

    def _check_ranges(self, cells: Cells, values: dict[str, Any]) -> None:
        columns = self.field_columns
        for low, high in self.ranges:
            if values.get(low) is not None and values.get(high) is not None and values[low] > values[high]:
                cells.error(
                    columns[low],
                    _("La valeur %(low_value)s dépasse celle de « %(high)s » (%(high_value)s).")
                    % {"high": columns[high], "low_value": values[low], "high_value": values[high]},
                )

    def _same(self, current: models.Model, values: dict[str, Any], relations: dict[str, list]) -> bool:
        if any(getattr(current, name) != value for name, value in values.items()):
            return False
        now = self.current_relations(current)
        return all(set(items) == now[name] for name, items in relations.items())


def _ticking(items: list, progress: Progress | None, label: str) -> Iterator:
    bar = progress(label, len(items)) if progress and items else None
    try:
        for item in items:
            yield item
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
