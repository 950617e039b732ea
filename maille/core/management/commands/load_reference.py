"""`manage.py load_reference`: load the reference data of every app, idempotently.

The geography first (with a progress bar), then the region's directory (organisations, offers) and its funding
schemes. Each loader runs in its own transaction: a bad file leaves the previous data as it was.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from maille.directory.services import load_directory
from maille.funding.services import load_funding
from maille.strategy.services import load_strategy
from maille.territories.services import ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Charge les données de référence (géographie officielle, annuaire régional, financements) ; relançable."

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
        try:
            created = {**load_directory(), **load_funding()}
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            raise CommandError(f"Fichier de l'annuaire invalide (data/directory) : {exc}") from exc
        try:
            created.update(load_strategy())
        except (KeyError, TypeError, ValueError, ValidationError) as exc:
            raise CommandError(f"Fichier de la stratégie invalide (data/strategy) : {exc}") from exc
        self.stdout.write(self.style.SUCCESS("Données de référence chargées."))
        for label in summary.created:
            self.stdout.write(
                f"  {label} : {summary.created[label]} créés, {summary.updated[label]} mis à jour, "
                f"{summary.deleted[label]} supprimés"
            )
        for label, count in created.items():
            self.stdout.write(f"  {label} : {count} créés")
        if not summary.changed and not any(created.values()):
            self.stdout.write("  Aucun changement : la base était déjà à jour.")
