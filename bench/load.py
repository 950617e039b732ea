"""Load benchmark (not in CI): the deployment of docs/deployment.md on this machine — gunicorn with 2 workers, the
task worker, PostgreSQL, the database cache — with 100× the demo data (`bench/load_data.py`), 32 concurrent users
mixing public search, orientation and inbox actions (`bench/locustfile.py`, Locust headless), then the same users on
a trivial view of the same stack for the throughput baseline. Appends its results to bench/RESULTS.md.

    .venv/bin/pip install -e ".[dev,bench]"
    createdb maille_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maille_load .venv/bin/python bench/load.py \
        [--users 32] [--duration 300] [--baseline-duration 60] [--copies 100]

Goals: 0 errors; the mix's throughput ≥ 50 % of the trivial view's.
"""

import argparse
import csv
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "RESULTS.md"
MIX = ["PublicUser", "OrientationUser", "InboxUser"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment() -> dict[str, str]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL=postgres://… est requis (le banc de charge tourne sur PostgreSQL).")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "600"),
        "PYTHONPATH": str(ROOT),
        # Every simulated user comes from 127.0.0.1: the API's per-IP limit (120/min) would answer 429 to what is,
        # in production, 32 people on 32 addresses. The throttle still runs (its shared-cache work is measured).
        "MAILLE_API_THROTTLE_ANON": "1000000/min",
        "MAILLE_API_THROTTLE_USER": "1000000/min",
    }


def start(command, env, log):
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"Pas de réponse de {url}")


def locust(host: str, users: int, duration: int, classes: list[str], prefix: Path, env) -> list[dict]:
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{duration}s",
        "--host",
        host,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        *classes,
    ]
    subprocess.run(
        command, cwd=ROOT / "bench", env={**env, "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}"}, check=False
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def section(args, mix, baseline, cpu: str) -> str:
    total = next(row for row in mix if row["Name"] == "Aggregated")
    trivial = next(row for row in baseline if row["Name"] == "Aggregated")
    ratio = float(total["Requests/s"]) / float(trivial["Requests/s"]) if float(trivial["Requests/s"]) else 0
    errors = int(total["Failure Count"])
    command = (
        f"DATABASE_URL=postgres://… .venv/bin/python bench/load.py --users {args.users} --duration {args.duration} "
        f"--baseline-duration {args.baseline_duration} --copies {args.copies}"
    )
    lines = [
        f"## Load: gunicorn 2 workers + PostgreSQL, {args.copies}× the demo data, {args.users} users — postgresql",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · command: `{command}` · Locust headless, no "
        f"think time, {args.duration} s of the mix then {args.baseline_duration} s of the trivial view · Python "
        f"{platform.python_version()} · {os.cpu_count()} cores {cpu}",
        "",
        f"**{int(total['Request Count']):,} requests, {errors} errors** · throughput {float(total['Requests/s']):.1f} "
        f"req/s against {float(trivial['Requests/s']):.1f} req/s for the trivial view (`/bench/trivial/`) on the "
        f"same stack: **{ratio:.0%}** (goal ≥ 50 %).",
        "",
        "Reading: no think time, so the users keep both sync workers busy and every request waits behind the others "
        f"({args.users} users on 2 workers: a latency here is about {args.users // 2}× a request's own time); the "
        "load generator, the task worker and PostgreSQL share the same cores.",
        "",
        "| endpoint | requests | errors | p50 (ms) | p95 (ms) | req/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in [*mix, *[r for r in baseline if r["Name"] != "Aggregated"]]:
        name = "all of the mix" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {name} | {int(row['Request Count']):,} | {int(row['Failure Count'])} | {row['50%']} | "
            f"{row['95%']} | {float(row['Requests/s']):.1f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--duration", type=int, default=300)
    parser.add_argument("--baseline-duration", type=int, default=60)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument(
        "--cpu-note", default="", help="what else ran on the machine, printed with the figures"
    )
    args = parser.parse_args()
    env = environment()
    subprocess.run(
        [sys.executable, "bench/load_data.py", "--copies", str(args.copies)], cwd=ROOT, env=env, check=True
    )

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    work = Path(tempfile.mkdtemp(prefix="maille-load-"))
    log = open(work / "servers.log", "w")  # noqa: SIM115
    gunicorn = start(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
        ],
        env,
        log,
    )
    worker = start([sys.executable, "manage.py", "db_worker", "--no-reload"], env, log)
    try:
        wait_for(host + "/bench/trivial/")
        mix = locust(host, args.users, args.duration, MIX, work / "mix", env)
        baseline = locust(host, args.users, args.baseline_duration, ["TrivialUser"], work / "trivial", env)
    finally:
        stop(worker)
        stop(gunicorn)
        log.close()
    text = section(args, mix, baseline, args.cpu_note)
    print(text)
    heading = text.splitlines()[0]
    current = RESULTS.read_text(encoding="utf-8")
    kept = [part for part in current.split("\n## ") if not ("## " + part).startswith(heading.split(",")[0])]
    RESULTS.write_text("\n## ".join(kept).rstrip() + "\n\n" + text + "\n", encoding="utf-8")
    print(f"Journaux des serveurs : {work / 'servers.log'}")


if __name__ == "__main__":
    main()
