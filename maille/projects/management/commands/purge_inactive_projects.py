"""`manage.py purge_inactive_projects [--months N] [--dry-run]`: anonymise the projects without activity for the
retention period (`MAILLE_PERSONAL_DATA_RETENTION_MONTHS`, 36 by default), with a progress bar and a summary."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from maille.core.commands import _RawStream
from maille.projects import privacy


class Command(BaseCommand):
    help = "Anonymise les projets sans activité depuis la durée de conservation (statistiques gardées)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months",
            type=int,
            default=None,
            help="Durée sans activité, en mois (par défaut MAILLE_PERSONAL_DATA_RETENTION_MONTHS, 36).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien effacer.")

    def handle(self, *args, **options):
        months = options["months"] if options["months"] is not None else privacy.retention_months()
        if months < 1:
            raise CommandError(_("--months doit valoir au moins 1."))
        ids = list(privacy.inactive_projects(months).values_list("pk", flat=True))
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "%(count)s projet(s) sans activité depuis %(months)s mois seraient anonymisés (essai : rien n'est effacé)."
                )
                % {"count": len(ids), "months": months}
            )
            return
        done = 0
        bar = tqdm(
            total=len(ids),
            desc=_("Anonymisation"),
            unit=" projets",
            file=_RawStream(self.stderr),
            disable=options["verbosity"] == 0,
        )
        from maille.projects.models import Project

        for project in Project.objects.filter(pk__in=ids).iterator():
            if privacy.anonymise(project, reason="retention"):
                done += 1
            bar.update(1)
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(done)s projet(s) anonymisé(s) sur %(count)s sans activité depuis %(months)s mois ; statistiques gardées."
                )
                % {"done": done, "count": len(ids), "months": months}
            )
        )
