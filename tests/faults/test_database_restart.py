"""PostgreSQL restarted under load: gunicorn (2 workers, persistent connections) serves requests from four client
threads while the database server restarts; the requests during the restart may fail, every request after it
succeeds — the app recovers by itself. Then restarted again while the workers sit idle on their persistent
connections: the very next requests succeed too, each worker's dead connection being checked before reuse and
replaced (`CONN_HEALTH_CHECKS`, config/settings/base.py; without it the first request of each worker is a 500).
PostgreSQL only, as root, on the local cluster of the test database:
CI runs it once; never point it at a server that others use."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from .conftest import can_control_clusters, local_cluster, postgresql_only
from .smtp import free_port

pytestmark = postgresql_only

ROOT = Path(__file__).resolve().parents[2]
ORIENTATION = json.dumps(
    {"commune": "49353", "stage": "creation", "needs": ["financement"], "legal_form": "association"}
).encode()


def request(base: str, path: str) -> int:
    """One request: its status, or 0 when no answer came (connection refused or reset)."""
    if path == "/api/v1/orientation":
        req = urllib.request.Request(
            base + path, data=ORIENTATION, headers={"Content-Type": "application/json"}, method="POST"
        )
    else:
        req = urllib.request.Request(base + path)
    try:
        with urllib.request.urlopen(req, timeout=20) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


PATHS = ["/api/v1/territories/communes?q=angers", "/api/v1/territories/regions/52", "/api/v1/orientation"]


def restart(cluster: tuple[str, str]) -> None:
    """Restart the local cluster at once (fast shutdown: open connections are cut, as in a crash or a failover)."""
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart", "-m", "fast"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def wait_for(base: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if request(base, PATHS[1]) == 200:
            return
        time.sleep(0.2)
    raise AssertionError("gunicorn ne répond pas")


@pytest.fixture
def gunicorn(reference_data_reloaded):
    """gunicorn with 2 workers on the test database, each keeping its connection (DATABASE_CONN_MAX_AGE)."""
    db = connection.settings_dict
    connection.close()  # this process holds no connection during the restart
    port = free_port()
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"maille-gunicorn-{port}.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_the_app_recovers_by_itself_after_postgresql_restarts_under_load(gunicorn):
    cluster = local_cluster()
    if cluster is None:
        pytest.skip("La base de test n'est pas servie par un cluster PostgreSQL local (pg_lsclusters).")
    if not can_control_clusters():
        pytest.skip("Redémarrer PostgreSQL demande d'être root avec pg_ctlcluster.")
    for path in PATHS:  # every worker has a persistent connection before the restart
        for _ in range(4):
            assert request(gunicorn, path) == 200, path

    results: list[tuple[float, float, str, int]] = []  # started, finished, path, status
    stop = threading.Event()

    def load(offset: int):
        n = offset
        while not stop.is_set():
            path = PATHS[n % len(PATHS)]
            started = time.monotonic()
            status = request(gunicorn, path)
            results.append((started, time.monotonic(), path, status))
            n += 1

    threads = [threading.Thread(target=load, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    restart_began = time.monotonic()
    restart(cluster)
    restarted = time.monotonic()
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    before = [status for _, finished, _, status in results if finished < restart_began]
    after = [(path, status) for started, _, path, status in results if started > restarted]
    during = [
        status
        for started, finished, _, status in results
        if finished >= restart_began >= started or restart_began <= started <= restarted
    ]
    print(
        f"\n{len(results)} requêtes ; PostgreSQL {cluster[0]}/{cluster[1]} redémarré en "
        f"{restarted - restart_began:.1f} s ; pendant : {len(during)} requêtes dont {sum(s != 200 for s in during)} "
        f"en échec ; après : {len(after)} requêtes"
    )
    assert before and set(before) == {200}
    assert len(after) >= 8
    assert [item for item in after if item[1] != 200] == []  # the next requests succeed, none is lost

    # Restarted again while the workers sit idle, each holding its connection: no failed request has closed it,
    # so only the check before reuse (CONN_HEALTH_CHECKS) saves the very next requests.
    for path in PATHS * 4:
        assert request(gunicorn, path) == 200, path
    restart(cluster)
    assert [request(gunicorn, path) for path in PATHS * 4] == [200] * 12
    connection.close()  # the test's own connection died with the server: the clean-up opens a new one
