"""`manage.py sync_data_inclusion [--file F …] [--dry-run]`: import the region's structures and business-creation
services of data·inclusion; new offers wait « à relire » until staff publish them."""

from maille.core.commands import SyncCommand, read_json_file
from maille.directory import datainclusion_sync


class Command(SyncCommand):
    help = (
        "Importe de data·inclusion les structures de la région et leurs services de création d'entreprise "
        "(à relire avant publication) ; --file (répétable) pour des réponses enregistrées de /structures et /services."
    )
    token_env = datainclusion_sync.TOKEN_ENV
    source_label = "data·inclusion"

    def read_files(self, paths):
        structures, services = [], []
        for path in paths:
            found = datainclusion_sync.read_records(read_json_file(path))
            structures.extend(found[0])
            services.extend(found[1])
        return structures, services

    def fetch_live(self, token):
        return datainclusion_sync.fetch_records(token)

    def run_sync(self, data, dry_run, progress):
        structures, services = data
        return datainclusion_sync.sync(structures, services, dry_run=dry_run, progress=progress)
