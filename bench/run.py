"""Benchmarks (not tests): time the hot read paths and write the last results to bench/RESULTS.md.

Run with `make bench` (SQLite, the development database) or
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/maille make bench` (PostgreSQL).
Each scenario is timed over many requests through Django's test client (no network), after a warm-up;
p50 / p95 are reported in milliseconds. The machines are shared and noisy: compare ratios within one run.
"""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.DEBUG = False  # no query log: time what production does

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from maille.territories import selectors  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "300"))


def timed(label, func):
    for _ in range(20):
        func()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return label, statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    queries = ["trela", "saint", "nant", "la roche", "49800", "laval"]
    counter = {"i": 0}

    def next_query():
        counter["i"] += 1
        return queries[counter["i"] % len(queries)]

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    trelaze = selectors.get_commune("49353")
    scenarios = [
        (
            "GET /api/v1/territories/communes?q=… (prefix search, 6 queries in turn)",
            lambda: ok(client.get("/api/v1/territories/communes", {"q": next_query()})),
        ),
        (
            "GET /api/v1/territories/communes?code_postal=49800",
            lambda: ok(client.get("/api/v1/territories/communes", {"code_postal": "49800"})),
        ),
        (
            "GET /api/v1/territories/communes?level=departement&code=44&page_size=200",
            lambda: ok(
                client.get(
                    "/api/v1/territories/communes", {"level": "departement", "code": "44", "page_size": 200}
                )
            ),
        ),
        ("GET /api/v1/territories/regions/52", lambda: ok(client.get("/api/v1/territories/regions/52"))),
        (
            "GET /api/v1/territories/epci/244900015",
            lambda: ok(client.get("/api/v1/territories/epci/244900015")),
        ),
        (
            "zone_covers(epci, 244900015, 49353) — one query",
            lambda: selectors.zone_covers("epci", "244900015", "49353"),
        ),
        (
            "covering zones of Trélazé over the contours table",
            lambda: list(
                selectors.Contour.objects.filter(
                    selectors.covering_zones_q(trelaze, "level", "code")
                ).values_list("code")
            ),
        ),
        (
            "GET /territoires/communes/?q=trela (htmx fragment)",
            lambda: ok(client.get("/territoires/communes/", {"q": "trela"}, HTTP_HX_REQUEST="true")),
        ),
    ]
    rows = [timed(label, func) for label, func in scenarios]
    engine = connection.vendor
    lines = [
        f"## Last run — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — {engine}",
        "",
        f"Command: `{'DATABASE_URL=… ' if engine != 'sqlite' else ''}make bench` · {REPEAT} timed calls per scenario after 20 warm-up calls · "
        f"Python {platform.python_version()} · {os.cpu_count()} cores · DEBUG={settings.DEBUG}",
        "",
        "| scenario | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
        *[f"| {label} | {p50:.2f} | {p95:.2f} |" for label, p50, p95 in rows],
        "",
    ]
    print("\n".join(lines))
    results = ROOT / "bench" / "RESULTS.md"
    previous = results.read_text(encoding="utf-8") if results.exists() else ""
    sections = [s for s in previous.split("## Last run") if s.strip() and not s.startswith("# ")]
    kept = [("## Last run" + s).strip() for s in sections if f"— {engine}" not in s.split("\n", 1)[0]]
    header = "# Benchmark results\n\nRewritten by `bench/run.py`; one section per database engine.\n"
    results.write_text(
        header + "\n" + "\n\n".join([*kept, "\n".join(lines).strip()]) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
