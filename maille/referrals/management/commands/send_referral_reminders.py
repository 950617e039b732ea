"""`manage.py send_referral_reminders`, run once a day: reminders to the organisations, then expiry.

Safe to run twice the same day (or by two machines at once): every e-mail is stamped on its referral under the row's
lock, so none is ever sent twice.
"""

from maille.core.commands import SendingCommand
from maille.referrals.services import send_reminders


class Command(SendingCommand):
    help = "Relance les structures (jour 9 et jour 21 sans réponse) et fait expirer les demandes (jour 45)."
    progress_label = "Mises en relation"
    progress_unit = " demandes"
    done = "Relances des mises en relation terminées."
    lines = (
        ("Premiers rappels envoyés", "first_reminders"),
        ("Seconds rappels envoyés", "second_reminders"),
        ("Demandes expirées (porteur informé)", "expired"),
    )

    def send(self, progress):
        return send_reminders(progress=progress)
