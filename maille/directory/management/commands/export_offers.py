"""`manage.py export_offers FILE`: every offer to a .csv or .xlsx file, in the columns `import_offers` reads."""

from maille.core.commands import ExportCommand
from maille.directory.io import export_offers


class Command(ExportCommand):
    help = "Exporte toutes les offres dans un fichier .csv ou .xlsx (colonnes relues par import_offers)."
    sheet = "offres"

    def rows(self):
        return export_offers()
