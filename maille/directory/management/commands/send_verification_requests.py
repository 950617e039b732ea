"""`manage.py send_verification_requests`: daily; once a year each organisation with members is asked to confirm its
offers (one click « toujours à jour »). Never twice within a year: the request is stamped under the row lock."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from maille.directory.freshness import send_verification_requests


class Command(BaseCommand):
    help = "Envoie la demande annuelle de vérification aux organisations qui ont des membres ; relançable."

    def handle(self, *args, **options):
        def progress(rows):
            return tqdm(
                rows, desc="Organisations", unit=" org.", file=self.stderr, disable=options["verbosity"] == 0
            )

        summary = send_verification_requests(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary['organisations']} organisations sollicitées, {summary['e-mails']} e-mails mis en file."
            )
        )
