"""Development settings: what `make run` uses (SQLite by default, e-mails printed on the console)."""

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo accounts open without a second factor on a developer's machine (production requires it).
MAILLE_REQUIRE_MFA = env_bool("MAILLE_REQUIRE_MFA", False)
