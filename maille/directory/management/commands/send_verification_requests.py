"""`manage.py send_verification_requests`: daily; once a year each organisation with members is asked to confirm its
offers (one click « toujours à jour »). Never twice within a year: the request is stamped under the row lock."""

from maille.core.commands import SendingCommand
from maille.directory.freshness import send_verification_requests


class Command(SendingCommand):
    help = "Envoie la demande annuelle de vérification aux organisations qui ont des membres ; relançable."
    progress_label = "Organisations"
    progress_unit = " org."
    done = "Demandes annuelles de vérification traitées."
    lines = (("Organisations sollicitées", "organisations"), ("E-mails mis en file", "e-mails"))

    def send(self, progress):
        return send_verification_requests(progress=progress)
