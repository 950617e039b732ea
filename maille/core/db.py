"""Database helpers shared by loaders and imports."""

from django.db import connection


def analyze(*models) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load (its estimates would otherwise be stale)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
