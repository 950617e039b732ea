"""`manage.py load_reference`: load the reference data of every app (the geography first), idempotently.

Each app that has reference data adds its loader to LOADERS; they run in order, each in its own transaction.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from maille.territories.services import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = (
        "Charge les données de référence (géographie officielle, contours) ; relançable sans effet de bord."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, **options):
        show = not options["no_progress"] and options["verbosity"] > 0

        def progress(label, total):
            return tqdm(desc=label, total=total, unit=" lignes", disable=not show, file=self.stderr)

        try:
            summary = load_reference_data(progress=progress)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Données de référence chargées."))
        for label in summary.created:
            self.stdout.write(
                f"  {label} : {summary.created[label]} créés, {summary.updated[label]} mis à jour, "
                f"{summary.deleted[label]} supprimés"
            )
        if not summary.changed:
            self.stdout.write("  Aucun changement : la base était déjà à jour.")
