"""Growth benchmark (not in CI): the directory and orientation benchmarks of `bench/run.py` at 1× and 10× today's
bench data (10×: 200,000 offers, 50,000 schemes, 1,000,000 projects and their referrals), each in its own PostgreSQL
database, in one run; writes the p95 of both beside each other to bench/RESULTS.md. Goal: p95 grows less than 2× for
10× the data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/growth.py [--scales 1 10]

The databases `maille_bench_<scale>x` are created on that server when missing and kept (the next run reuses the
generated rows: the first 10× run spends most of its time generating them).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Growth: directory and orientation at 1× and 10× the bench data — postgresql"


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(base: str, name: str) -> None:
    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def run_scale(base: str, scale: int, repeat: int) -> tuple[list[dict], float]:
    name = f"maille_bench_{scale}x"
    ensure_database(base, name)
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as out:
        path = out.name
    env = {
        **os.environ,
        "DATABASE_URL": database_url(base, name),
        "BENCH_SCALE": str(scale),
        "BENCH_JSON": path,
        "BENCH_REPEAT": str(repeat),
    }
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "bench/run.py", "directory", "orientation"], cwd=ROOT, env=env, check=True
    )
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    os.unlink(path)
    return rows, time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs=2, default=[1, 10], metavar=("SMALL", "LARGE"))
    parser.add_argument("--repeat", type=int, default=300, help="timed calls per scenario")
    parser.add_argument(
        "--cpu-note", default="", help="what else ran on the machine, printed with the figures"
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit(
            "DATABASE_URL=postgres://…/postgres est requis (une base par échelle est créée sur ce serveur)."
        )
    small, large = args.scales
    figures, durations = {}, {}
    for scale in (small, large):
        rows, durations[scale] = run_scale(base, scale, args.repeat)
        figures[scale] = {row["label"]: row for row in rows}
    lines = [
        HEADING,
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · command: `DATABASE_URL=postgres://…/postgres "
        f".venv/bin/python bench/growth.py --scales {small} {large} --repeat {args.repeat}` · {args.repeat} timed "
        f"calls per scenario · Python {platform.python_version()} · {os.cpu_count()} cores {args.cpu_note}",
        "",
        f"{small}×: {20_000 * small:,} offers, {5_000 * small:,} schemes, {100_000 * small:,} projects "
        f"({durations[small]:.0f} s with generation); {large}×: {20_000 * large:,} offers, {5_000 * large:,} schemes, "
        f"{100_000 * large:,} projects ({durations[large]:.0f} s). Goal: p95 at {large}× < 2 × p95 at {small}×.",
        "",
        f"| scenario | p50 {small}× (ms) | p95 {small}× (ms) | p50 {large}× (ms) | p95 {large}× (ms) | p95 ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, row in figures[small].items():
        other = figures[large].get(label)
        if other is None:
            continue
        ratio = other["p95"] / row["p95"] if row["p95"] else 0
        lines.append(
            f"| {label} | {row['p50']:.2f} | {row['p95']:.2f} | {other['p50']:.2f} | {other['p95']:.2f} | "
            f"{ratio:.2f}× {'✓' if ratio < 2 else '✗'} |"
        )
    text = "\n".join(lines)
    print(text)
    current = RESULTS.read_text(encoding="utf-8")
    kept = [part for part in current.split("\n## ") if not ("## " + part).startswith(HEADING)]
    RESULTS.write_text("\n## ".join(kept).rstrip() + "\n\n" + text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
