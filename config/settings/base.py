"""Settings shared by every environment; each value that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "maille.core",
    "maille.territories",
    "maille.accounts",
    "maille.directory",
    "maille.funding",
    "maille.strategy",
    "maille.projects",
    "maille.orientation",
    "maille.referrals",
    "maille.observatory",
    "maille.showcase",
    "maille.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "maille.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "maille.accounts.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "maille.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A persistent connection is checked before each request reuses it: after a database restart the next
        # request reconnects instead of failing (tests/faults/test_database_restart.py).
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once (the dev server, the worker and commands share the
    # file), and every transaction takes the write lock when it begins (IMMEDIATE): two answers to one referral
    # at the same moment are serialised, the second reads the first's result (a 409), never "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (committee minutes): never served as public media, only through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MAILLE_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The region this instance serves: data, not code (another region runs the same software).
MAILLE_REGION_CODE = os.environ.get("MAILLE_REGION_CODE", "52")
MAILLE_PLATFORM_NAME = "Maille"
# Referrals: reminders to the organisation, then expiry (the holder is told), in days without an answer.
MAILLE_REFERRAL_FIRST_REMINDER_DAYS = int(os.environ.get("MAILLE_REFERRAL_FIRST_REMINDER_DAYS", "9"))
MAILLE_REFERRAL_SECOND_REMINDER_DAYS = int(os.environ.get("MAILLE_REFERRAL_SECOND_REMINDER_DAYS", "21"))
MAILLE_REFERRAL_EXPIRY_DAYS = int(os.environ.get("MAILLE_REFERRAL_EXPIRY_DAYS", "45"))
# The regional orientation desk: receives the referrals that nobody could receive (staff, the members of the
# organisation that animates the network — the CRESS here — and an optional shared address), and forwards them.
MAILLE_DESK_ORGANISATION = os.environ.get("MAILLE_DESK_ORGANISATION", "cress-pdl")
MAILLE_DESK_EMAIL = os.environ.get("MAILLE_DESK_EMAIL", "")
# A project with the same e-mail or SIRET created within this many days is proposed instead of a duplicate.
MAILLE_DUPLICATE_WINDOW_DAYS = 21
# Absolute address of the site, for links in e-mails.
MAILLE_SITE_URL = os.environ.get("MAILLE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (django-tasks): the database backend, run by `manage.py db_worker` (`make run` starts it).
# E-mails go through the outbox (`maille.core.emails`); `manage.py send_outbox` in cron retries the due ones.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# One cache shared by every process (login throttles, rate limits): the database by default (`createcachetable`),
# Redis when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "maille_cache"}
    }

# Staff and pilots must protect their account with a second factor (TOTP app + recovery codes) before using it.
MAILLE_REQUIRE_MFA = env_bool("MAILLE_REQUIRE_MFA", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Maille"
# Failed logins: 10 a minute per address, 5 per 5 minutes per account, on every login path (the site's, and the
# back-office's which uses it), counted in the shared cache; e-mails sent on request are limited too.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "login": "30/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
}

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:space"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Maille] "
# allauth's e-mails (login code, password reset) go through the outbox too, their links on MAILLE_SITE_URL.
ACCOUNT_ADAPTER = "maille.accounts.adapter.AccountAdapter"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Maille <ne-pas-repondre@maille.localhost>")

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["maille.api.parsers.SafeJSONParser"],
    # The session (the site's pages), or a partner's token `Authorization: Bearer …` (maille/api/models.py).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "maille.api.authentication.BearerTokenAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "maille.api.throttling.AnonymousThrottle",
        "maille.api.throttling.AuthenticatedThrottle",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "maille.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "maille.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "maille.api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API throttles per minute, in the shared cache (maille/api/throttling.py): anonymous per IP, accounts and tokens per
# account; a 429 in French beyond.
MAILLE_API_THROTTLE_RATES = {
    "anon": os.environ.get("MAILLE_API_THROTTLE_ANON", "120/min"),
    "user": os.environ.get("MAILLE_API_THROTTLE_USER", "600/min"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Maille",
    "DESCRIPTION": "API publique et partenaires de Maille (territoires, annuaire, financements, orientation).",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "maille.strategy.enums.ActionStatus",
        "DecisionStatusEnum": "maille.strategy.enums.DecisionStatus",
    },
}

# A strict policy: no inline script or style, everything served from this origin.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
