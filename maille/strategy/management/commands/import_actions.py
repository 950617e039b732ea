"""`manage.py import_actions FILE [--dry-run]`: create or update the strategy's actions by code, all or nothing."""

from maille.core.commands import ImportCommand
from maille.strategy.io import import_actions


class Command(ImportCommand):
    help = (
        "Importe les actions de la stratégie d'un fichier .csv ou .xlsx (par code) ; "
        "rien n'est enregistré en cas d'erreur."
    )

    def run_import(self, path, dry_run, progress):
        return import_actions(path, dry_run=dry_run, progress=progress)
