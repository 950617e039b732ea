"""Shared by the benchmarks: Django set-up (a bench database of its own), timing, and the results file."""

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# The benchmarks fill their own database, never the development one.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

settings.DEBUG = False  # no query log: time what production does
# Every call comes from one client: the API throttle still counts (its cache work is timed) but never refuses.
settings.MAILLE_API_THROTTLE_RATES = {"anon": "1000000/min", "user": "1000000/min"}
REPEAT = int(os.environ.get("BENCH_REPEAT", "300"))
WARMUP = 20


def timed(label, func, repeat=REPEAT):
    """p50 and p95 in milliseconds of `func()` over `repeat` calls after a warm-up."""
    for _ in range(WARMUP):
        func()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return label, statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def write_results(name: str, title: str, rows, notes: str = "") -> None:
    """Replace this benchmark's section for this database engine in bench/RESULTS.md, and print it."""
    engine = connection.vendor
    command = f"{'DATABASE_URL=postgres://… ' if engine != 'sqlite' else ''}make bench"
    lines = [
        f"## {title} — {engine}",
        "",
        f"Last run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · command: `{command}` · "
        f"{REPEAT} timed calls per scenario after {WARMUP} warm-up calls · Python {platform.python_version()} · "
        f"{os.cpu_count()} cores",
        "",
        *([notes, ""] if notes else []),
        "| scenario | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|",
        *[f"| {label} | {p50:.2f} | {p95:.2f} |" for label, p50, p95 in rows],
    ]
    section = "\n".join(lines)
    print(section + "\n")
    if os.environ.get("BENCH_JSON"):  # bench/growth.py collects the figures of each scale
        with open(os.environ["BENCH_JSON"], "a", encoding="utf-8") as handle:
            for label, p50, p95 in rows:
                handle.write(json.dumps({"benchmark": name, "label": label, "p50": p50, "p95": p95}) + "\n")
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    sections = [s.strip() for s in text.split("\n## ")[1:]]
    heading = f"{title} — {engine}"
    kept = ["## " + s for s in sections if not s.startswith(heading)]
    header = (
        "# Benchmark results\n\nRewritten by `make bench` (`bench/run.py`): one section per benchmark and database "
        "engine. The machines are shared and noisy: compare figures within one run.\n"
    )
    path.write_text(header + "\n" + "\n\n".join([*kept, section]) + "\n", encoding="utf-8")
