"""`manage.py import_measurements FILE [--dry-run]`: create or update measurements by indicator, date and
territory, all or nothing."""

from maille.core.commands import ImportCommand
from maille.strategy.io import import_measurements


class Command(ImportCommand):
    help = (
        "Importe les mesures des indicateurs d'un fichier .csv ou .xlsx (par indicateur, date et territoire) ; "
        "rien n'est enregistré en cas d'erreur."
    )

    def run_import(self, path, dry_run, progress):
        return import_measurements(path, dry_run=dry_run, progress=progress)
