"""French full-text indexes on the search text of offers and funding schemes — PostgreSQL only.

The expression is the one `directory.selectors.keyword_q` filters on, so the planner uses the index; SQLite
searches the same normalised column with LIKE and needs nothing.
"""

from django.db import migrations

TABLES = {"directory_offer": "directory_offer_search_fr", "funding_fundingscheme": "funding_scheme_search_fr"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, index in TABLES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" '
            f"USING gin (to_tsvector('french'::regconfig, COALESCE(\"search_text\", '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in TABLES.values():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("funding", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
