"""`manage.py import_sirene`: one Sirene stock (legal units + establishments) → one snapshot of the region."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from maille.core.commands import _RawStream
from maille.observatory.services import import_sirene
from maille.observatory.sirene import SireneFileError


class Command(BaseCommand):
    help = "Importe un stock Sirene (unités légales + établissements) : les établissements actifs de l'ESS de la région."

    def add_arguments(self, parser):
        parser.add_argument(
            "--unites-legales", required=True, help="StockUniteLegale : .csv, .csv.gz, .zip ou .parquet"
        )
        parser.add_argument(
            "--etablissements", required=True, help="StockEtablissement : .csv, .csv.gz, .zip ou .parquet"
        )
        parser.add_argument(
            "--region", default=settings.MAILLE_REGION_CODE, help="Code INSEE de la région (52)"
        )
        parser.add_argument("--date", required=True, help="Date du stock, AAAA-MM-JJ")
        parser.add_argument("--dry-run", action="store_true", help="Lit et compte sans rien enregistrer.")
        parser.add_argument(
            "--demo", action="store_true", help="Marque l'instantané « données de démonstration »."
        )

    def handle(self, *args, **options):
        try:
            stock_date = datetime.date.fromisoformat(options["date"])
        except ValueError:
            raise CommandError(
                _("Date du stock invalide « %(value)s » : écrivez-la AAAA-MM-JJ, par exemple 2026-11-30.")
                % {"value": options["date"]}
            ) from None
        stream = _RawStream(self.stderr)

        def progress(label, total):
            return tqdm(
                desc=label, total=total, unit=" lignes", file=stream, disable=options["verbosity"] == 0
            )

        if options["verbosity"]:
            self.stderr.write(_("Lecture des fichiers (DuckDB)…"))
        try:
            result = import_sirene(
                options["unites_legales"],
                options["etablissements"],
                options["region"],
                stock_date,
                dry_run=options["dry_run"],
                progress=progress,
                is_demo=options["demo"],
            )
        except SireneFileError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
