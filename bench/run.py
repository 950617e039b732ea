"""Run every benchmark (not tests) and rewrite bench/RESULTS.md: `make bench`.

SQLite by default (its own file, bench/bench.sqlite3); set DATABASE_URL=postgres://… to run on PostgreSQL
(the database must exist). The first run loads the reference data and generates the benchmark rows.
"""

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import directory  # noqa: E402
import harness  # noqa: E402,F401  (sets Django up)
import orientation  # noqa: E402
import territories  # noqa: E402
from django.core.management import call_command  # noqa: E402


def main():
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the shared cache of the API throttles
    call_command("load_reference", "--no-progress", verbosity=0, stdout=io.StringIO())
    only = set(sys.argv[1:])
    for module in (territories, directory, orientation):
        if not only or module.__name__ in only:
            module.run()


if __name__ == "__main__":
    main()
