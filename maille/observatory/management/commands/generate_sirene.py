"""`manage.py generate_sirene`: a synthetic Sirene register (both stock files) for the demo and the benchmarks."""

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maille.observatory.generator import DEFAULT_AS_OF, generate


class Command(BaseCommand):
    help = "Écrit un répertoire Sirene fictif (StockUniteLegale + StockEtablissement, en-têtes réels) pour la France."

    def add_arguments(self, parser):
        parser.add_argument(
            "--establishments", type=int, required=True, help="Nombre d'établissements (lignes)"
        )
        parser.add_argument("--out", required=True, help="Dossier où écrire les deux fichiers CSV")
        parser.add_argument("--seed", type=int, default=1, help="Graine (même graine, mêmes fichiers)")
        parser.add_argument("--as-of", default=DEFAULT_AS_OF.isoformat(), help="Date du stock (AAAA-MM-JJ)")
        parser.add_argument(
            "--region", default=None, help="Avec --region-share : la région d'un extrait régional"
        )
        parser.add_argument(
            "--region-share", type=float, default=None, help="Part des lignes dans --region (0 à 1)"
        )

    def handle(self, *args, **options):
        if options["establishments"] < 1:
            raise CommandError(_("Indiquez un nombre d'établissements positif."))
        try:
            as_of = datetime.date.fromisoformat(options["as_of"])
        except ValueError:
            raise CommandError(_("Date invalide : écrivez-la AAAA-MM-JJ.")) from None
        share = options["region_share"]
        if share is not None and not 0 <= share <= 1:
            raise CommandError(_("--region-share est une part entre 0 et 1."))
        out = Path(options["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(_("« %(path)s » existe et n'est pas un dossier.") % {"path": out})
        started = time.perf_counter()
        units, places = generate(
            options["establishments"],
            out,
            seed=options["seed"],
            as_of=as_of,
            region=options["region"],
            region_share=share,
        )
        self.stdout.write(
            self.style.SUCCESS(
                _("Écrit %(units)s et %(places)s en %(seconds).1f s.")
                % {"units": units, "places": places, "seconds": time.perf_counter() - started}
            )
        )
