"""`manage.py import_funding FILE [--dry-run]`: create or update funding schemes by slug, all or nothing."""

from maille.core.commands import ImportCommand
from maille.funding.io import import_schemes


class Command(ImportCommand):
    help = (
        "Importe les dispositifs de financement d'un fichier .csv ou .xlsx (par identifiant) ; "
        "rien n'est enregistré en cas d'erreur."
    )

    def run_import(self, path, dry_run, progress):
        return import_schemes(path, dry_run=dry_run, progress=progress)
