"""`manage.py load_demo`: fill the database with demo data (labelled « démo »); relaunching adds nothing twice.

Each app declares its demo loaders on its AppConfig (`demo_loaders`, see `maille.core.loaders`); they run in
dependency order.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from maille.core.loaders import call, loaders


class Command(BaseCommand):
    help = "Charge les données de démonstration (comptes, organisations fictives) ; relançable."

    def handle(self, *args, **options):
        totals: dict[str, int] = {}
        for _config, loader in tqdm(
            loaders("demo"), desc="Démo", unit=" module", file=self.stderr, disable=options["verbosity"] == 0
        ):
            totals.update(call(loader))
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        for label, count in totals.items():
            self.stdout.write(f"  {label} : {count} créés")
