"""The shared bodies of management commands: `import_*` / `export_*` (CSV or xlsx) of any app, and the `sync_*`
commands that read a national source (a saved response with `--file`, or the live API with a token from the
environment), with `--dry-run`, a progress bar and a summary (new, updated, unchanged, skipped with the reason)."""

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _
from tqdm import tqdm

from maille.core.exports import FORMATS, tabular_response
from maille.core.tabular import ImportReport, TabularError


class _RawStream:
    """An OutputWrapper that tqdm can redraw on (no newline added after each write, no style)."""

    def __init__(self, wrapper: OutputWrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=str, ending="")  # plain: not in the red of errors

    def flush(self) -> None:
        self.wrapper.flush()


class ImportCommand(BaseCommand):
    """Import FILE (.csv or .xlsx): every row is checked first; with any error nothing is written."""

    def run_import(self, path: str, dry_run: bool, progress) -> ImportReport:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .csv (UTF-8, « , » ou « ; ») ou .xlsx.")
        parser.add_argument("--dry-run", action="store_true", help="Vérifie et compte sans rien enregistrer.")

    def handle(self, *args, **options):
        stream = _RawStream(self.stderr)

        def progress(label, total):
            return tqdm(
                desc=label, total=total, unit=" lignes", file=stream, disable=options["verbosity"] == 0
            )

        try:
            report = self.run_import(options["file"], options["dry_run"], progress)
        except TabularError as exc:
            raise CommandError(exc.message) from exc
        if report.errors:
            for line in report.error_lines():
                self.stderr.write(line)
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))


class ExportCommand(BaseCommand):
    """Export to FILE, CSV or xlsx by its extension, with the columns its import reads."""

    sheet = ""  # the xlsx sheet title

    def rows(self) -> tuple[list[str], list[list]]:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier à écrire : .csv ou .xlsx.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(
                _("Extension non prise en charge « %(ext)s » : choisissez .csv ou .xlsx.")
                % {"ext": path.suffix}
            )
        headers, rows = self.rows()
        try:
            path.write_bytes(tabular_response(fmt, self.sheet, headers, rows).content)
        except OSError as exc:
            raise CommandError(
                _("Impossible d'écrire « %(path)s » : vérifiez le dossier et vos droits d'écriture.")
                % {"path": path}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)d lignes écrites dans %(path)s.") % {"count": len(rows), "path": path}
            )
        )


class SyncError(Exception):
    """A source that cannot be read (bad file, bad response): French message, nothing written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class SyncReport:
    """What a synchronisation did (or would do, with `--dry-run`)."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (record, reason)
    dry_run: bool = False

    def skip(self, label: str, reason: str) -> None:
        self.skipped.append((label, reason))

    def summary(self) -> str:
        text = _(
            "%(new)d nouvelles fiches, %(updated)d mises à jour, %(unchanged)d inchangées, %(skipped)d ignorées."
        ) % {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }
        if self.dry_run:
            text += " " + _("Simulation (--dry-run) : rien n'a été enregistré.")
        return text

    def reasons(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _label, reason in self.skipped:
            counts[reason] = counts.get(reason, 0) + 1
        return counts


def read_json_file(path: str):
    """A saved API response: JSON, else a French SyncError."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise SyncError(
            _("Impossible de lire le fichier « %(path)s » : %(error)s.")
            % {"path": path, "error": exc.strerror}
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SyncError(
            _("Le fichier « %(path)s » n'est pas une réponse JSON lisible (%(error)s).")
            % {"path": path, "error": exc}
        ) from exc


def fetch_json(url: str, headers: dict | None = None, data: bytes | None = None, timeout: int = 30):
    """GET (or POST with `data`) a JSON document; any network or format error becomes a French SyncError."""
    request = urllib.request.Request(
        url, data=data, headers={"Accept": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URLs of settings)
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise SyncError(_("L'API a répondu %(code)s pour %(url)s.") % {"code": exc.code, "url": url}) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SyncError(
            _("L'API est injoignable (%(url)s) : %(error)s.") % {"url": url, "error": exc}
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SyncError(_("L'API a renvoyé une réponse illisible (%(url)s).") % {"url": url}) from exc


class SyncCommand(BaseCommand):
    """Synchronise records from a national source: `--file` (saved responses) or the live API (`token_env`)."""

    token_env = ""  # the environment variable holding the API token
    source_label = ""

    def read_files(self, paths: list[str]):
        raise NotImplementedError

    def fetch_live(self, token: str):
        raise NotImplementedError

    def run_sync(self, data, dry_run: bool, progress) -> SyncReport:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            action="append",
            default=[],
            help="Réponse enregistrée de l'API (JSON) ; sans --file, l'API est interrogée avec le jeton de "
            "l'environnement.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien enregistrer.")

    def handle(self, *args, **options):
        stream = _RawStream(self.stderr)

        def progress(label, total):
            return tqdm(
                desc=label, total=total, unit=" fiches", file=stream, disable=options["verbosity"] == 0
            )

        try:
            if options["file"]:
                data = self.read_files(options["file"])
            else:
                token = os.environ.get(self.token_env, "").strip()
                if not token:
                    raise SyncError(
                        _(
                            "Indiquez --file ou définissez la variable d'environnement %(name)s (jeton de l'API %(source)s)."
                        )
                        % {"name": self.token_env, "source": self.source_label}
                    )
                data = self.fetch_live(token)
            report = self.run_sync(data, options["dry_run"], progress)
        except SyncError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for reason, count in sorted(report.reasons().items()):
            self.stdout.write(f"  {_('ignorées')} ({reason}) : {count}")
        if options["verbosity"] > 1:
            for label, reason in report.skipped:
                self.stdout.write(f"  - {label} : {reason}")


class SendingCommand(BaseCommand):
    """A daily sending command (reminders, e-mail queue): a progress bar over its rows (`--no-progress` hides it),
    then a success line and one line per figure of the summary that its service returns."""

    progress_label = ""  # the bar's label
    progress_unit = ""  # the bar's unit, with its leading space
    done = ""  # the success line
    lines: tuple[tuple[str, object], ...] = ()  # (label, summary key), in order

    def send(self, progress) -> dict:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, **options):
        show = not options["no_progress"] and options["verbosity"] > 0

        def progress(rows):
            return tqdm(
                rows, desc=self.progress_label, unit=self.progress_unit, disable=not show, file=self.stderr
            )

        summary = self.send(progress)
        self.stdout.write(self.style.SUCCESS(self.done))
        for label, key in self.lines:
            self.stdout.write(f"  {label} : {summary[key]}")
