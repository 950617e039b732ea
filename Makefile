# Maille — every set-up step lives here: `make run` and `make test` need nothing else.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium

.PHONY: setup db run test e2e bench lint audit browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Debian's Chromium for the browser journeys (never a downloaded browser build).
browser:
	@test -x $(CHROMIUM) || { echo "Installation de Chromium (paquet Debian)…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }

db: setup
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_reference
	$(MANAGE) load_demo

# The server and, beside it, the task worker that sends the e-mails of the outbox (printed on this console);
# the worker stops with the server (Ctrl+C stops both).
run: db
	@$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# The whole suite: unit, API and browser journeys. Set DATABASE_URL=postgres://… to run it on PostgreSQL.
test: setup browser
	$(BIN)/python -m pytest

e2e: setup browser
	$(BIN)/python -m pytest tests/e2e

# Benchmarks (not tests): SQLite in bench/bench.sqlite3, or DATABASE_URL=postgres://…; results in bench/RESULTS.md.
bench: setup
	$(BIN)/python bench/run.py

lint: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run

# Dependency audit: pip-audit over the virtualenv's packages (the pins of pyproject.toml and what they pull in).
# `.ci/audit.py` exits 0 (audited, nothing known), 1 (a known vulnerability) or 3 « non audité » when the
# vulnerability service cannot be reached (make then reports « Error 3 »): never a pass.
audit: setup
	@$(BIN)/pip-audit --version >/dev/null 2>&1 || $(BIN)/pip install --quiet -e ".[dev,audit]"
	@$(BIN)/python .ci/audit.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
