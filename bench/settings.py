"""Settings of the load benchmark: production's (`config.settings.production`), on plain HTTP on this machine,
e-mails dropped, plus one trivial view (`bench/urls.py`) to compare throughput on the same stack."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-" + "x" * 50)

from config.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Static files as files (production runs `collectstatic` for the manifest; the pages' links are all that differs).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
MAILLE_REQUIRE_MFA = False  # no staff or pilot logs in during the benchmark
