"""`manage.py load_reference`: load the reference data of every installed app, idempotently.

Each app declares its reference loaders on its AppConfig (`maille.core.loaders`): the geography first (with a
progress bar), then the region's directory (organisations, offers), its funding schemes and the strategy. Each loader
runs in its own transaction: a bad file leaves the previous data as it was.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string
from tqdm import tqdm

from maille.core.loaders import call, loaders


class Command(BaseCommand):
    help = "Charge les données de référence (géographie officielle, annuaire régional, financements) ; relançable."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, **options):
        show = not options["no_progress"] and options["verbosity"] > 0

        def progress(label, total):
            return tqdm(desc=label, total=total, unit=" lignes", disable=not show, file=self.stderr)

        summaries, created = [], {}
        for config, loader in loaders("reference"):
            # An app's own « bad reference file » errors already carry a French message.
            own_errors = tuple(import_string(path) for path in getattr(config, "reference_errors", ()))
            try:
                result = call(loader, progress=progress)
            except own_errors as exc:
                raise CommandError(str(exc)) from exc
            except (KeyError, TypeError, ValueError, ValidationError) as exc:
                where = getattr(config, "reference_data", "") or config.label
                raise CommandError(
                    f"Fichier de référence invalide ({config.verbose_name}, {where}) : {exc}"
                ) from exc
            if isinstance(result, dict):
                created.update(result)
            elif result is not None:
                summaries.append(result)
        self.stdout.write(self.style.SUCCESS("Données de référence chargées."))
        for summary in summaries:
            for label in summary.created:
                self.stdout.write(
                    f"  {label} : {summary.created[label]} créés, {summary.updated[label]} mis à jour, "
                    f"{summary.deleted[label]} supprimés"
                )
        for label, count in created.items():
            self.stdout.write(f"  {label} : {count} créés")
        if not any(summary.changed for summary in summaries) and not any(created.values()):
            self.stdout.write("  Aucun changement : la base était déjà à jour.")
