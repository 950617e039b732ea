"""`manage.py send_referral_reminders`, run once a day: reminders to the organisations, then expiry.

Safe to run twice the same day (or by two machines at once): every e-mail is stamped on its referral under the row's
lock, so none is ever sent twice.
"""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from maille.referrals.services import send_reminders


class Command(BaseCommand):
    help = "Relance les structures (jour 9 et jour 21 sans réponse) et fait expirer les demandes (jour 45)."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, **options):
        show = not options["no_progress"] and options["verbosity"] > 0

        def progress(work):
            return tqdm(work, desc="Mises en relation", unit=" demandes", disable=not show, file=self.stderr)

        summary = send_reminders(progress=progress)
        self.stdout.write(self.style.SUCCESS("Relances des mises en relation terminées."))
        self.stdout.write(f"  Premiers rappels envoyés : {summary['first_reminders']}")
        self.stdout.write(f"  Seconds rappels envoyés : {summary['second_reminders']}")
        self.stdout.write(f"  Demandes expirées (porteur informé) : {summary['expired']}")
