"""`manage.py load_demo`: fill the database with demo data (labelled « démo »); relaunching adds nothing twice."""

from importlib import import_module

from django.core.management.base import BaseCommand
from tqdm import tqdm

# Each app with demo data exposes `load() -> dict[label, created]`; they run in this order.
DEMO_LOADERS = [
    "maille.accounts.demo",
    "maille.directory.demo",
    "maille.funding.demo",
    "maille.strategy.demo",
    "maille.projects.demo",
    "maille.referrals.demo",
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (comptes, organisations fictives) ; relançable."

    def handle(self, *args, **options):
        totals: dict[str, int] = {}
        for path in tqdm(
            DEMO_LOADERS, desc="Démo", unit=" module", file=self.stderr, disable=options["verbosity"] == 0
        ):
            totals.update(import_module(path).load())
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        for label, count in totals.items():
            self.stdout.write(f"  {label} : {count} créés")
