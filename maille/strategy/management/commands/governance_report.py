"""`manage.py governance_report --from AAAA-MM-JJ --to AAAA-MM-JJ --out rapport.pdf|rapport.xlsx [--public]`."""

import re
from datetime import date
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maille.strategy.report import build_pdf, build_xlsx
from maille.strategy.selectors import current_strategy

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Operator:
    """Whoever runs the command on the server sees what staff sees (actions and decisions included)."""

    is_authenticated = True
    is_active = True
    is_staff = True
    pk = None


def parse_date(raw: str, option: str) -> date:
    try:
        if not ISO_DATE.match(raw):
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(
            _(
                "%(option)s : « %(value)s » n'est pas une date valide ; écrivez-la AAAA-MM-JJ, par exemple 2025-01-31."
            )
            % {"option": option, "value": raw}
        ) from exc


class Command(BaseCommand):
    help = (
        "Écrit le rapport de gouvernance de la stratégie pour une période : PDF (avec graphiques) ou tableur xlsx, "
        "selon l'extension du fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="start", required=True, help="Début de la période (AAAA-MM-JJ, inclus)."
        )
        parser.add_argument(
            "--to", dest="end", required=True, help="Fin de la période (AAAA-MM-JJ, incluse)."
        )
        parser.add_argument("--out", required=True, help="Fichier à écrire : rapport.pdf ou rapport.xlsx.")
        parser.add_argument(
            "--public",
            action="store_true",
            help="Version publique : sans les actions ni les décisions des comités.",
        )

    def handle(self, *args, **options):
        start, end = parse_date(options["start"], "--from"), parse_date(options["end"], "--to")
        if start > end:
            raise CommandError(_("La date de fin (--to) doit suivre la date de début (--from)."))
        path = Path(options["out"])
        builders = {".pdf": build_pdf, ".xlsx": build_xlsx}
        builder = builders.get(path.suffix.lower())
        if builder is None:
            raise CommandError(
                _("Extension non prise en charge « %(ext)s » : choisissez .pdf ou .xlsx.")
                % {"ext": path.suffix}
            )
        strategy = current_strategy()
        if strategy is None:
            raise CommandError(
                _("Aucune stratégie n'est chargée : lancez d'abord « manage.py load_reference ».")
            )
        user = AnonymousUser() if options["public"] else _Operator()
        content = builder(strategy, start, end, user)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(
                _("Impossible d'écrire « %(path)s » : vérifiez le dossier et vos droits d'écriture.")
                % {"path": path}
            ) from exc
        self.stdout.write(self.style.SUCCESS(_("Rapport écrit dans %(path)s.") % {"path": path}))
