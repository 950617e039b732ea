"""`manage.py import_offers FILE [--dry-run]`: create or update offers by slug, all or nothing."""

from maille.core.commands import ImportCommand
from maille.directory.io import import_offers


class Command(ImportCommand):
    help = "Importe les offres d'un fichier .csv ou .xlsx (par identifiant) ; rien n'est enregistré en cas d'erreur."

    def run_import(self, path, dry_run, progress):
        return import_offers(path, dry_run=dry_run, progress=progress)
