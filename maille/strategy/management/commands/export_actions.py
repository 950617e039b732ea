"""`manage.py export_actions FILE`: the strategy's actions as CSV or xlsx, with the columns `import_actions` reads."""

from django.core.management.base import CommandError

from maille.core.commands import ExportCommand
from maille.core.tabular import TabularError
from maille.strategy.io import export_actions


class Command(ExportCommand):
    help = "Exporte les actions de la stratégie (.csv ou .xlsx), avec les colonnes que lit import_actions."
    sheet = "actions"

    def rows(self):
        try:
            return export_actions()
        except TabularError as exc:
            raise CommandError(exc.message) from exc
