"""`manage.py send_decision_reminders`, run once a day: e-mails the owner of each open decision a week before its due
date, and on the day it becomes overdue.

Safe to run twice the same day (or by two machines at once): every e-mail is stamped on its decision under the row's
lock, so none is ever sent twice.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from maille.strategy.services import send_decision_reminders


class Command(BaseCommand):
    help = "Rappelle aux responsables leurs décisions (une semaine avant l'échéance, puis le jour du retard)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, **options):
        show = not options["no_progress"] and options["verbosity"] > 0

        def progress(work):
            return tqdm(work, desc="Décisions", unit=" décisions", disable=not show, file=self.stderr)

        summary = send_decision_reminders(progress=progress)
        self.stdout.write(self.style.SUCCESS("Rappels des décisions terminés."))
        self.stdout.write(f"  Rappels avant l'échéance envoyés : {summary['reminders']}")
        self.stdout.write(f"  Décisions en retard signalées : {summary['overdue']}")
        self.stdout.write(
            f"  Décisions sans destinataire (responsable sans adresse) : {summary['without_recipient']}"
        )
