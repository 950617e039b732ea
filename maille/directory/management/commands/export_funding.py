"""`manage.py export_funding FILE`: every funding scheme to a .csv or .xlsx file, as `import_funding` reads it."""

from maille.core.commands import ExportCommand
from maille.funding.io import export_schemes


class Command(ExportCommand):
    help = "Exporte tous les dispositifs de financement dans un fichier .csv ou .xlsx (relus par import_funding)."
    sheet = "dispositifs"

    def rows(self):
        return export_schemes()
