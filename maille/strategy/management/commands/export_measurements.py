"""`manage.py export_measurements FILE`: the indicators' measurements as CSV or xlsx, with the columns
`import_measurements` reads."""

from django.core.management.base import CommandError

from maille.core.commands import ExportCommand
from maille.core.tabular import TabularError
from maille.strategy.io import export_measurements


class Command(ExportCommand):
    help = (
        "Exporte les mesures des indicateurs (.csv ou .xlsx), avec les colonnes que lit import_measurements."
    )
    sheet = "mesures"

    def rows(self):
        try:
            return export_measurements()
        except TabularError as exc:
            raise CommandError(exc.message) from exc
