"""Shared helpers of the fault tests: PostgreSQL only marks, the local cluster that serves the test database."""

import os
import shutil
import subprocess

import pytest
from django.db import connection

from tests.conftest import ensure_reference_data

postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL seulement (DATABASE_URL=postgres://…)."
)


def local_cluster() -> tuple[str, str] | None:
    """(version, name) of the local Debian cluster listening on the test database's port, else None."""
    settings = connection.settings_dict
    if settings.get("HOST") not in ("127.0.0.1", "localhost", "", None) or not shutil.which("pg_lsclusters"):
        return None
    port = str(settings.get("PORT") or 5432)
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False)
    for line in listing.stdout.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    return None


def can_control_clusters() -> bool:
    return os.geteuid() == 0 and shutil.which("pg_ctlcluster") is not None


def libpq_env() -> dict[str, str]:
    """The environment for pg_dump / pg_restore / psql on the test database's server."""
    settings = connection.settings_dict
    env = {**os.environ, "PGHOST": settings["HOST"] or "127.0.0.1", "PGPORT": str(settings["PORT"] or 5432)}
    env["PGUSER"] = settings["USER"] or "postgres"
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


@pytest.fixture
def reference_data_reloaded(django_db_blocker):
    """The reference data before a transactional test (an earlier one may have emptied the tables) and after it."""
    with django_db_blocker.unblock():
        ensure_reference_data()
    yield
    with django_db_blocker.unblock():
        ensure_reference_data()
