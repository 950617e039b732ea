"""Test settings: the same as development, e-mails kept in memory and sent at commit, fast password hashing."""

import os

from .dev import *  # noqa: F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
# Tasks run at once when enqueued: an e-mail leaves the outbox when its transaction commits, into `mail.outbox`.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The journeys log staff and pilots in with a password only; tests/accounts/test_security.py turns it on.
MAILLE_REQUIRE_MFA = False
# No API throttle (its cache queries would count in the query-count tests); tests/api/test_throttling.py sets rates.
MAILLE_API_THROTTLE_RATES: dict = {}
# On SQLite the test database is a file, so that real threads (the concurrency tests) each get a connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test process: several runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
# The observatory's demo register (maille/observatory/demo.py): a small extract, so that `load_demo` stays quick.
MAILLE_DEMO_SIRENE_ESTABLISHMENTS = 20_000
