"""`manage.py send_outbox`: send every due e-mail of the outbox — the backstop of the worker, run from cron.

Safe to run as often as wanted, twice at once or beside the worker: each row is sent under its lock and a sent row
is never sent again; a row whose next attempt has not come yet waits.
"""

from maille.core.commands import SendingCommand
from maille.core.emails import Outcome, send_due


class Command(SendingCommand):
    help = "Envoie les e-mails en attente de la file d'envoi dont l'heure est venue (premier envoi ou nouvel essai)."
    progress_label = "E-mails"
    progress_unit = " e-mails"
    done = "File d'envoi des e-mails traitée."
    lines = (
        ("Envoyés", Outcome.SENT),
        ("En échec, nouvel essai prévu", Outcome.RETRY),
        ("Abandonnés après le dernier essai", Outcome.FAILED),
        ("Déjà traités ailleurs", Outcome.SKIPPED),
    )

    def send(self, progress):
        return send_due(progress=progress)
