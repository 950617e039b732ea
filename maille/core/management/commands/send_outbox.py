"""`manage.py send_outbox`: send every due e-mail of the outbox — the backstop of the worker, run from cron.

Safe to run as often as wanted, twice at once or beside the worker: each row is sent under its lock and a sent row
is never sent again; a row whose next attempt has not come yet waits.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from maille.core.emails import Outcome, send_due


class Command(BaseCommand):
    help = "Envoie les e-mails en attente de la file d'envoi dont l'heure est venue (premier envoi ou nouvel essai)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, **options):
        show = not options["no_progress"] and options["verbosity"] > 0

        def progress(rows):
            return tqdm(rows, desc="E-mails", unit=" e-mails", disable=not show, file=self.stderr)

        summary = send_due(progress=progress)
        self.stdout.write(self.style.SUCCESS("File d'envoi des e-mails traitée."))
        self.stdout.write(f"  Envoyés : {summary[Outcome.SENT]}")
        self.stdout.write(f"  En échec, nouvel essai prévu : {summary[Outcome.RETRY]}")
        self.stdout.write(f"  Abandonnés après le dernier essai : {summary[Outcome.FAILED]}")
        self.stdout.write(f"  Déjà traités ailleurs : {summary[Outcome.SKIPPED]}")
