"""`manage.py sync_aides_territoires [--file F] [--dry-run]`: import the region's funding schemes of Aides-territoires
for associations and ESS enterprises; they wait « à relire » until staff publish them."""

from maille.core.commands import SyncCommand, read_json_file
from maille.funding import aides_territoires


class Command(SyncCommand):
    help = (
        "Importe les aides d'Aides-territoires de la région pour les associations et les entreprises de l'ESS "
        "(à relire avant publication) ; --file pour une réponse enregistrée."
    )
    token_env = aides_territoires.TOKEN_ENV
    source_label = "Aides-territoires"

    def read_files(self, paths):
        aids = []
        for path in paths:
            aids.extend(aides_territoires.read_aids(read_json_file(path)))
        return aids

    def fetch_live(self, token):
        return aides_territoires.fetch_aids(token)

    def run_sync(self, data, dry_run, progress):
        return aides_territoires.sync_aids(data, dry_run=dry_run, progress=progress)
