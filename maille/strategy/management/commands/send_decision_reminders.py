"""`manage.py send_decision_reminders`, run once a day: e-mails the owner of each open decision a week before its due
date, and on the day it becomes overdue.

Safe to run twice the same day (or by two machines at once): every e-mail is stamped on its decision under the row's
lock, so none is ever sent twice.
"""

from maille.core.commands import SendingCommand
from maille.strategy.services import send_decision_reminders


class Command(SendingCommand):
    help = "Rappelle aux responsables leurs décisions (une semaine avant l'échéance, puis le jour du retard)."
    progress_label = "Décisions"
    progress_unit = " décisions"
    done = "Rappels des décisions terminés."
    lines = (
        ("Rappels avant l'échéance envoyés", "reminders"),
        ("Décisions en retard signalées", "overdue"),
        ("Décisions sans destinataire (responsable sans adresse)", "without_recipient"),
    )

    def send(self, progress):
        return send_decision_reminders(progress=progress)
