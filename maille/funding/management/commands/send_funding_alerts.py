"""`manage.py send_funding_alerts`: e-mail each confirmed saved search its new matching schemes (run daily).

Idempotent: a scheme is never sent twice to the same search, and a search is not e-mailed again before its period
(daily or weekly) has passed.
"""

from django.core.management.base import BaseCommand

from maille.funding.enums import AlertFrequency
from maille.funding.services import send_alerts


class Command(BaseCommand):
    help = "Envoie les alertes des recherches de financements enregistrées (à lancer chaque jour)."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=AlertFrequency.values, help="Seulement cette fréquence.")

    def handle(self, *args, **options):
        summary = send_alerts(frequency=options.get("frequency"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Alertes : {summary['recherches']} recherches actives, {summary['e-mails']} e-mails envoyés, "
                f"{summary['dispositifs']} dispositifs signalés."
            )
        )
