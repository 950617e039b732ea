"""Production settings: everything from environment variables; refuses to start without a secret key.

Variables: DJANGO_SECRET_KEY (required), DJANGO_ALLOWED_HOSTS, DATABASE_URL, EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL, MAILLE_SITE_URL,
DJANGO_HSTS_SECONDS.

Background work runs in its own process: `manage.py db_worker` (django-tasks-db), plus `manage.py send_outbox` from
cron for the e-mails whose retry is due (see docs/deployment.md).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY doit être défini en production.")

DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that hangs must not hold an outbox row's lock for long: the attempt fails and is retried later.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))

# Tasks are stored in the database and run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Behind a reverse proxy, per-IP limits (failed logins, e-mail forms, the anonymous API) must count the visitor's
# address, not the proxy's: MAILLE_PROXY_COUNT is the number of trusted proxies in front of the app (0: none).
MAILLE_PROXY_COUNT = int(os.environ.get("MAILLE_PROXY_COUNT", "0"))
MAILLE_TRUST_X_FORWARDED_FOR = MAILLE_PROXY_COUNT > 0
ALLAUTH_TRUSTED_PROXY_COUNT = MAILLE_PROXY_COUNT
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": MAILLE_PROXY_COUNT or None}  # noqa: F405
