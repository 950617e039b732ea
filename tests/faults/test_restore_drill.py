"""The restore drill of docs/deployment.md, on PostgreSQL: `pg_dump -Fc` of the database, `pg_restore` into an empty
database, the same rows in every table (the same largest id, the sequences), and the app finds every migration applied
on the restored copy (`manage.py migrate --check`)."""

import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from maille.core.models import OutboxEmail
from maille.referrals.models import Referral
from tests.factories import ReferralFactory, UserFactory

from .conftest import libpq_env, postgresql_only

pytestmark = [
    postgresql_only,
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump / pg_restore absents."),
]


def counts(cursor, tables) -> dict[str, int]:
    result = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        result[table] = cursor.fetchone()[0]
    return result


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_drill"[:63]
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)).as_string())
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)).as_string())
    yield name
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)).as_string()
        )


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_an_empty_database_has_the_same_rows(
    tmp_path, scratch_database, reference_data_reloaded
):
    ReferralFactory.create_batch(3)  # projects, offers, organisations, referrals: committed rows to carry
    UserFactory(email="equipe@maille.example", is_staff=True)
    OutboxEmail.objects.create(
        to="porteuse@example.org", subject="Votre projet « Atelier »", body_text="é — «»"
    )
    tables = sorted(connection.introspection.table_names())
    with connection.cursor() as cursor:
        before = counts(cursor, tables)
    assert before["territories_commune"] > 1000 and before["referrals_referral"] >= 3

    env = libpq_env()
    dump = tmp_path / "maille.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", connection.settings_dict["NAME"]],
        env=env,
        check=True,
        timeout=600,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch_database}", str(dump)],
        env=env,
        check=True,
        timeout=600,
    )

    with (
        psycopg.connect(dbname=scratch_database, **_libpq_kwargs(env)) as restored,
        restored.cursor() as cursor,
    ):
        after = counts(cursor, tables)
        cursor.execute("SELECT max(id) FROM referrals_referral")
        assert cursor.fetchone()[0] == Referral.objects.order_by("-id").values_list("id", flat=True).first()
        cursor.execute("SELECT body_text FROM core_outboxemail")
        assert cursor.fetchone()[0] == "é — «»"
        # the sequences come back too: the next row gets a new id, not one already used
        cursor.execute("SELECT nextval(pg_get_serial_sequence('referrals_referral', 'id'))")
        assert cursor.fetchone()[0] > max(Referral.objects.values_list("id", flat=True))
    assert after == before
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=Path(__file__).resolve().parents[2],
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{scratch_database}",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    print(f"\n{len(tables)} tables, {sum(before.values()):,} lignes : mêmes comptes après restauration")


def _libpq_kwargs(env: dict[str, str]) -> dict[str, str]:
    kwargs = {"host": env["PGHOST"], "port": env["PGPORT"], "user": env["PGUSER"]}
    if env.get("PGPASSWORD"):
        kwargs["password"] = env["PGPASSWORD"]
    return kwargs
