"""Benchmark of the observatory (not in CI): generate a national register, time `import_sirene --region 52` against
DuckDB's bare scan of the same two files (`SELECT count(*)` over each), peak memory; stats API p95 (région, EPCI) and
detection list p95 (département). Appends its figures to bench/RESULTS.md.

    .venv/bin/python bench/observatory.py [--establishments 10000000] [--dir /tmp/sirene-bench]

Uses a throw-away SQLite database (bench/observatory.sqlite3) unless DATABASE_URL is set. The register is generated
by `manage.py generate_sirene` in a separate process (not timed, and its memory is not this process's), reused when
the files exist; the bare scan runs in another process too, so that the peak memory reported is the import's.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'observatory.sqlite3'}")


def p95(samples):
    return statistics.quantiles(samples, n=20)[-1] * 1000 if len(samples) >= 20 else max(samples) * 1000


BARE_SCAN = """
import json, sys, time
import duckdb
started = time.perf_counter()
connection = duckdb.connect()
counts = [
    connection.execute(f"SELECT count(*) FROM read_csv('{path}', header=true, all_varchar=true)").fetchone()[0]
    for path in sys.argv[1:]
]
print(json.dumps({"seconds": time.perf_counter() - started, "counts": counts}))
"""


def bare_scan(*paths: Path) -> tuple[float, list[int]]:
    """DuckDB's `SELECT count(*)` over each file, in a fresh process (the time measured inside it)."""
    output = subprocess.run(
        [sys.executable, "-c", BARE_SCAN, *map(str, paths)], check=True, capture_output=True, text=True
    ).stdout
    data = json.loads(output.strip().splitlines()[-1])
    return data["seconds"], data["counts"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--establishments", type=int, default=10_000_000)
    parser.add_argument("--dir", default="/tmp/sirene-bench")
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3, help="imports, each between two bare scans")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the API's throttles and the login limits live there
    from maille.territories.models import Commune

    if not Commune.objects.exists():
        from maille.territories.services import load_reference_data

        load_reference_data()
    from maille.observatory.models import Snapshot
    from maille.observatory.services import import_sirene

    folder = Path(args.dir)
    units = folder / "StockUniteLegale_utf8.csv"
    places = folder / "StockEtablissement_utf8.csv"
    started = time.perf_counter()
    if not places.exists():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "generate_sirene",
                "--establishments",
                str(args.establishments),
                "--out",
                str(folder),
                "--seed",
                "7",
            ],
            check=True,
        )
    generated = time.perf_counter() - started
    sizes = units.stat().st_size / 1e9, places.stat().st_size / 1e9

    # Bare scan and import alternate `--rounds` times (the page cache warm for all; on a shared machine the load
    # moves, so each import is compared with the scans just before and after it); the medians are reported.
    scans, imports, ratios = [], [], []
    _warm, counts = bare_scan(units, places)
    scans.append(bare_scan(units, places)[0])
    for _round in range(args.rounds):
        Snapshot.objects.all().delete()
        started = time.perf_counter()
        result = import_sirene(units, places, "52", __import__("datetime").date(2026, 11, 30))
        imports.append(time.perf_counter() - started)
        scans.append(bare_scan(units, places)[0])
        ratios.append(imports[-1] / ((scans[-2] + scans[-1]) / 2))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    bare, imported, ratio = statistics.median(scans), statistics.median(imports), statistics.median(ratios)
    print(f"scans {scans} imports {imports} ratios {ratios} peak {peak_mb:.0f} MB", flush=True)

    client = Client()
    timings = {}
    for label, url in (
        ("stats région", "/api/v1/observatory/stats?level=region&code=52"),
        ("stats EPCI", "/api/v1/observatory/stats?level=epci&code=244900015"),
    ):
        samples = []
        for _ in range(args.requests):
            t = time.perf_counter()
            assert client.get(url).status_code == 200
            samples.append(time.perf_counter() - t)
        timings[label] = p95(samples)
    from maille.accounts.models import User

    staff, _created = User.objects.get_or_create(email="bench@example.org", defaults={"is_staff": True})
    client.force_login(staff)
    samples = []
    for _ in range(args.requests):
        t = time.perf_counter()
        response = client.get("/api/v1/observatory/detection/new?since=2026-01-01&level=departement&code=49")
        assert response.status_code == 200
        samples.append(time.perf_counter() - t)
    timings["repérage département"] = p95(samples)

    lines = [
        "",
        f"## Observatory — {time.strftime('%Y-%m-%d')} (`.venv/bin/python bench/observatory.py "
        f"--establishments {args.establishments}`)",
        "",
        f"- register: {counts[1]:,} establishments ({sizes[1]:.2f} GB), {counts[0]:,} legal units ({sizes[0]:.2f} GB), "
        + (
            f"generated in {generated:.1f} s (separate process)"
            if generated > 1
            else "files of an earlier run"
        ),
        f"- DuckDB bare scan (`SELECT count(*)` over each file, own process): {bare:.1f} s "
        f"(median of {len(scans)} runs: {', '.join(f'{v:.1f}' for v in scans)} s)",
        f"- `import_sirene --region 52`: {imported:.1f} s (median of {', '.join(f'{v:.1f}' for v in imports)} s) → "
        f"ratio **{ratio:.2f}×** the bare scan (median of each import over the mean of the scans around it: "
        f"{', '.join(f'{v:.2f}' for v in ratios)}); "
        f"{result.ess_establishments:,} ESS establishments of {result.region_establishments:,} in the region",
        f"- peak memory (max RSS of the importing process; generation and scan run apart): {peak_mb:,.0f} MB",
        *[
            f"- {label} p95: {value:.1f} ms ({args.requests} requests, {os.environ['DATABASE_URL'].split(':')[0]})"
            for label, value in timings.items()
        ],
        f"- machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end (shared)",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
