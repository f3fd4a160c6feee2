"""Settings for GRC, every value read from the environment (see the table in README.md).

With no DATABASE_URL and no REDIS_URL the app uses the embedded PostgreSQL and Redis that
`make run` starts under .grc-data/; in production both are given.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from grc.env import (
    celery_broker_url,
    embedded_services,
    env_bool,
    env_int,
    env_list,
    env_str,
    redis_url_check,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("GRC_DATA_DIR") or BASE_DIR / ".grc-data")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production refuses to start without one: set SECRET_KEY "
            "to a long random string, e.g. from: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "grc-development-only-key-never-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_htmx",
    "axes",  # failed sign-ins limited per account and per address (see Security below)
    # The kernel: helpers and seams, staff and roles, the outbox.
    "core",
    "accounts",
    "notifications",
    # The project shell (home page, health, seed_demo), then the feature apps.
    "grc",
    "guests",
    "complaints",
    "loyalty",
    "retention",
    "surveys",
    "imports",  # PMS import of guests and stays (builds on guests)
]

MIDDLEWARE = [
    "core.middleware.LanguageScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.replicas.ReplicaPinMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.DeniedAccessMiddleware",
    "grc.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.RefusalMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "grc.urls"
WSGI_APPLICATION = "grc.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
# django-axes checks for a lock-out before any other backend is asked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "grc.context_processors.navigation",
            ],
        },
    },
]

# --- Services -----------------------------------------------------------------------------------
_embedded = embedded_services(DATA_DIR)

DATABASE_URL = env_str("DATABASE_URL") or _embedded.get("database_url", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set and the embedded database is not running. Set DATABASE_URL "
        "(postgres://user:password@host:5432/grc) or start the demo with `make run`."
    )
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must be a PostgreSQL URL (postgres://…).")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

# A streaming read replica for heavy reads (exports, reports, long lists): core/replicas.py.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 30)
REPLICA_CHECK_SECONDS = env_int("REPLICA_CHECK_SECONDS", 5)
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", REPLICA_MAX_LAG_SECONDS + 5)
if DATABASE_REPLICA_URL:
    if not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a PostgreSQL URL (postgres://…).")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    # A replica that does not answer must not hold a request up for long.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Test runs read the test database through both aliases.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.replicas.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url_check(
    env_str("REDIS_URL") or _embedded.get("redis_url", "") or "redis://127.0.0.1:6379/0"
)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "grc"),
        "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
    }
}

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ACKS_LATE = True  # a crashed worker's task is redelivered; every task is idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task held by a worker that was killed goes back to the queue after this many seconds (Redis
# keeps it "unacked" until then); above the longest retry delay (an hour), or a task waiting for
# its retry would be handed out twice (harmless, every task is idempotent, but wasteful).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 3,
    # look for such tasks often enough for the timeout to mean what it says
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 6)),
    "unacked_restore_throttle": 1 if CELERY_VISIBILITY_TIMEOUT < 60 else 10,
}
CELERY_TIMEZONE = env_str("TIME_ZONE", "Asia/Shanghai")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False

# --- Guest value and the churn radar (retention) -------------------------------------------------
# A guest with three stays or more is at risk once the days since their last departure exceed
# their own usual interval times CHURN_INTERVAL_FACTOR and are at least CHURN_MIN_DAYS; a company
# once it has spent nothing for CHURN_COMPANY_DAYS.
try:
    CHURN_INTERVAL_FACTOR = Decimal(env_str("CHURN_INTERVAL_FACTOR", "2"))
except InvalidOperation:
    raise ImproperlyConfigured("CHURN_INTERVAL_FACTOR must be a number, e.g. 2 or 1.5.") from None
if CHURN_INTERVAL_FACTOR < 1:
    raise ImproperlyConfigured("CHURN_INTERVAL_FACTOR must be 1 or more.")
CHURN_MIN_DAYS = env_int("CHURN_MIN_DAYS", 30)
CHURN_COMPANY_DAYS = env_int("CHURN_COMPANY_DAYS", 60)

# --- Loyalty ------------------------------------------------------------------------------------
# Policy numbers that finance signs off and that change rarely; tiers, earn rules and rewards
# are tables the hotel edits in the admin.
LOYALTY_POINTS_EXPIRY_MONTHS = env_int("LOYALTY_POINTS_EXPIRY_MONTHS", 24)
LOYALTY_BIRTHDAY_BONUS = env_int("LOYALTY_BIRTHDAY_BONUS", 500)
LOYALTY_EXPIRING_SOON_DAYS = env_int("LOYALTY_EXPIRING_SOON_DAYS", 30)
try:
    LOYALTY_POINT_VALUE = Decimal(env_str("LOYALTY_POINT_VALUE", "0.05"))
except InvalidOperation:
    raise ImproperlyConfigured("LOYALTY_POINT_VALUE must be a decimal number, e.g. 0.05.") from None
if LOYALTY_POINTS_EXPIRY_MONTHS < 1 or LOYALTY_BIRTHDAY_BONUS < 0 or LOYALTY_POINT_VALUE < 0:
    raise ImproperlyConfigured(
        "LOYALTY_POINTS_EXPIRY_MONTHS must be at least 1; LOYALTY_BIRTHDAY_BONUS and "
        "LOYALTY_POINT_VALUE cannot be negative."
    )

# --- Surveys ------------------------------------------------------------------------------------
# How long the satisfaction-survey link in the post-stay thank-you stays open.
SURVEY_LINK_DAYS = env_int("SURVEY_LINK_DAYS", 30)
if SURVEY_LINK_DAYS < 1:
    raise ImproperlyConfigured("SURVEY_LINK_DAYS must be at least 1.")
if LOYALTY_EXPIRING_SOON_DAYS < 1:
    raise ImproperlyConfigured("LOYALTY_EXPIRING_SOON_DAYS must be at least 1.")

# --- PMS import ---------------------------------------------------------------------------------
# Uploaded PMS files wait here until their import has run: the web server writes them and the
# Celery worker reads them, so with workers on other hosts this must be a shared directory.
IMPORT_FILE_DIR = Path(env_str("IMPORT_FILE_DIR") or DATA_DIR / "imports")
# Room types an imported stay may have (besides those stays already have); empty: any.
IMPORT_ROOM_TYPES = env_list(
    "IMPORT_ROOM_TYPES",
    ["Deluxe King", "Deluxe Twin", "Executive King", "Junior Suite", "Harbour Suite"],
)
# Rows written per transaction: a failed or cancelled import keeps every chunk before it.
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 1000)
if IMPORT_CHUNK_ROWS < 1:
    raise ImproperlyConfigured("IMPORT_CHUNK_ROWS must be at least 1.")

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}.")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = CELERY_TIMEZONE
USE_I18N = True
USE_TZ = True
# One date and number convention per language (grc/formats/<lang>/formats.py): "3 Dec 2026" and
# "2026年12月3日". Numbers in messages are grouped with core.formatting.number_text; template
# numbers are not grouped globally, so ids in links stay plain.
FORMAT_MODULE_PATH = ["grc.formats"]

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In tests and the demo, WhiteNoise serves straight from the finders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG or env_bool("WHITENOISE_USE_FINDERS", False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "GRC <grc@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Messages to guests and staff ---------------------------------------------------------------
HOTEL_NAME = env_str("HOTEL_NAME", "GRC Demo Hotel")
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.FileSmsBackend")
SMS_FILE_PATH = env_str("SMS_FILE_PATH") or str(DATA_DIR / "sms.jsonl")
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 5)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 60)
# A callable (dotted path) asked whether the e-mail provider has a message by its Message-ID:
# True, False or None for "cannot tell" (see notifications.delivery).
NOTIFICATION_EMAIL_LOOKUP = env_str("NOTIFICATION_EMAIL_LOOKUP", "")
# How many missed days a daily job catches up when workers return after a day without beat.
DAILY_JOBS_CATCH_UP_DAYS = env_int("DAILY_JOBS_CATCH_UP_DAYS", 3)

# --- Security -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)  # one shift and a bit
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links to other sites never carry our URLs (a guest's signed feedback link included).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every script is a file under /static/ (no inline <script>, no on…= attributes, no eval:
# tests/security/test_headers.py checks the templates); styles allow inline style="" attributes,
# which carry no code.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Sign-in rate limit (django-axes): after AXES_FAILURE_LIMIT failures an account is locked, and
# so, separately, is the address they came from, for SIGNIN_LOCKOUT_MINUTES. Every sign-in,
# failure and lock-out is also in the security log (accounts.SecurityEvent) for managers.
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.signin_locked_out"
AXES_USERNAME_CALLABLE = "accounts.services.signin_username"
AXES_CLIENT_IP_CALLABLE = "accounts.services.request_ip"
AXES_VERBOSE = False
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() < 60:
    raise ImproperlyConfigured(
        "SIGNIN_FAILURE_LIMIT must be at least 1 and SIGNIN_LOCKOUT_MINUTES at least 1."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
