"""The shared body of the `import_*` and `export_*` commands of offers and funding schemes (CSV or xlsx)."""

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
