"""Django settings for zwfw.

Every setting has a safe default for the embedded demo (SQLite under ``var/``) and an
environment variable for production. ``zwfw.settings_production`` tightens the rest.
"""

from __future__ import annotations

import base64
import os
import secrets
from datetime import timedelta
from pathlib import Path

import environ

from zwfw.core.logging import logging_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("ZWFW_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def _demo_secret(name: str, *, fernet: bool = False) -> str:
    """Return a per-installation random secret kept under var/ (demo and tests only)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / f".{name}"
    if not path.exists():
        value = (
            base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
            if fernet
            else secrets.token_urlsafe(50)
        )
        path.write_text(value)
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("ZWFW_DEBUG", default=True)
SECRET_KEY = env.str("ZWFW_SECRET_KEY", default="") or _demo_secret("secret_key")
ALLOWED_HOSTS = env.list("ZWFW_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("ZWFW_CSRF_TRUSTED_ORIGINS", default=[])

# Keys protecting personal ID numbers: a Fernet key (encryption at rest) and an HMAC key
# (exact lookup). Production must set both; the demo derives its own under var/.
ZWFW_ID_ENCRYPTION_KEY = env.str("ZWFW_ID_ENCRYPTION_KEY", default="") or _demo_secret(
    "id_encryption_key", fernet=True
)
ZWFW_ID_HASH_KEY = env.str("ZWFW_ID_HASH_KEY", default="") or _demo_secret("id_hash_key")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "zwfw.core",
    "zwfw.identity",
    "zwfw.catalog",
    "zwfw.cases",
    "zwfw.bundles",
    "zwfw.licenses",
    "zwfw.evaluations",
    "zwfw.demo",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "zwfw.core.request_context.RequestContextMiddleware",
    "zwfw.core.logging.AccessLogMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "zwfw.core.middleware.LanguageMiddleware",
    "zwfw.core.middleware.ApiErrorFormatMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zwfw.urls"
WSGI_APPLICATION = "zwfw.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "zwfw" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "zwfw.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'zwfw.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # A file, not memory, so that tests with threads and a live server see real SQLite locking.
    DATABASES["default"].setdefault("TEST", {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")})
else:
    # One test database per process, so that parallel runs on one server do not collide.
    DATABASES["default"].setdefault("TEST", {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"})
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("ZWFW_DB_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# The intake hot path's statements are prepared on each connection (zwfw/core/prepared.py): off
# behind a transaction-pooling PgBouncer older than 1.21.
ZWFW_DB_PREPARED_STATEMENTS = env.bool("ZWFW_DB_PREPARED_STATEMENTS", default=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockout (django-axes): after ZWFW_LOGIN_FAILURE_LIMIT failed logins of one username from
# one client address, that pair is refused for ZWFW_LOGIN_COOLOFF_MINUTES; the login page says so
# (429). The address is the one the ledger records (X-Real-IP from nginx, else the peer).
AXES_FAILURE_LIMIT = env.int("ZWFW_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ZWFW_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "zwfw.core.request_context.client_ip"
AXES_LOCKOUT_CALLABLE = "zwfw.identity.views.login_locked_out"
AXES_USERNAME_CALLABLE = "zwfw.identity.views.lockout_username"
AXES_HTTP_RESPONSE_CODE = 429

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "zwfw" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.str("ZWFW_STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "zwfw" / "static"]
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("ZWFW_MEDIA_ROOT", default=str(VAR_DIR / "media"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Django's cache holds the status-lookup throttle and the search's region and theme lists (cleared
# when the catalog changes). In-process memory for the demo and the tests; production needs one
# cache every process shares (settings_production: the database), or each process counts and
# clears on its own.
CACHES = {"default": env.cache_url("ZWFW_CACHE_URL", default="locmemcache://")}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The interactive API docs page (/api/v1/docs); the OpenAPI document itself is always served.
ZWFW_API_DOCS = env.bool("ZWFW_API_DOCS", default=True)

# Content Security Policy (django-csp): our own scripts, styles and images only, no inline code,
# no eval, no framing. Templates carry no inline script, style or event handler; a browser test
# fails on any CSP violation. The API's interactive docs page (/api/v1/docs) loads Swagger UI from
# a CDN with an inline script: it is exempt, and off in production (docs/security.md).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/v1/docs"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# 五级十二同: the elements every implementation of an item keeps identical (a provincial list).
ZWFW_UNIFORM_ELEMENTS = env.list(
    "ZWFW_UNIFORM_ELEMENTS",
    default=["name", "base_code", "item_type", "competent_department", "exercised_levels", "legal_basis"],
)

# 收件即受理: domains (the item's competent department) where a general window's receipt of
# complete materials is itself acceptance.
ZWFW_ACCEPT_ON_RECEIPT_DOMAINS = env.list("ZWFW_ACCEPT_ON_RECEIPT_DOMAINS", default=[])
# Largest accepted upload (materials, results, catalog files), in bytes.
ZWFW_UPLOAD_MAX_BYTES = env.int("ZWFW_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# Cases due within this many working days are "due soon".
ZWFW_DUE_SOON_DAYS = env.int("ZWFW_DUE_SOON_DAYS", default=3)

# The national platform (事项库): publications are pushed there; empty disables pushing.
ZWFW_NATIONAL_PLATFORM_URL = env.str("ZWFW_NATIONAL_PLATFORM_URL", default="")
ZWFW_NATIONAL_PLATFORM_TOKEN = env.str("ZWFW_NATIONAL_PLATFORM_TOKEN", default="")
ZWFW_NATIONAL_PLATFORM_TIMEOUT = env.int("ZWFW_NATIONAL_PLATFORM_TIMEOUT", default=10)
ZWFW_NATIONAL_PUSH_MAX_ATTEMPTS = env.int("ZWFW_NATIONAL_PUSH_MAX_ATTEMPTS", default=6)
ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS = env.int("ZWFW_NATIONAL_PUSH_BACKOFF_SECONDS", default=30)
# Notifications (docs/notices.md): the senders, comma-separated (console, email, sms, webhook),
# and the webhook's address, bearer token and timeout (seconds).
ZWFW_NOTIFY_BACKENDS = env.list("ZWFW_NOTIFY_BACKENDS", default=["console"])
ZWFW_NOTIFY_WEBHOOK_URL = env.str("ZWFW_NOTIFY_WEBHOOK_URL", default="")
ZWFW_NOTIFY_WEBHOOK_TOKEN = env.str("ZWFW_NOTIFY_WEBHOOK_TOKEN", default="")
ZWFW_NOTIFY_WEBHOOK_TIMEOUT = env.int("ZWFW_NOTIFY_WEBHOOK_TIMEOUT", default=10)
# The platform's public address, for links and identifiers made outside a request (tasks, pushes).
ZWFW_PUBLIC_BASE_URL = env.str("ZWFW_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# Load the URL configuration and the search dictionary when zwfw.wsgi is imported (gunicorn
# --preload), before a worker takes requests: see zwfw/wsgi.py. On under settings_production.
ZWFW_WARM_START = env.bool("ZWFW_WARM_START", default=False)

# Mounts /api/v1/bench/floor for bench/intake.py and answers the local stand-in of the national
# rating endpoint (/api/v1/evaluations/national-test). Never enable in production.
ZWFW_BENCH_ENDPOINTS = env.bool("ZWFW_BENCH_ENDPOINTS", default=False)

# The ledger writes a checkpoint over all chains at most this often (seconds).
ZWFW_LEDGER_CHECKPOINT_INTERVAL = env.int("ZWFW_LEDGER_CHECKPOINT_INTERVAL", default=300)

# Calendar: the years the ordinal working-day index covers up front (extended on demand).
ZWFW_CALENDAR_FIRST_YEAR = env.int("ZWFW_CALENDAR_FIRST_YEAR", default=2004)
ZWFW_CALENDAR_LAST_YEAR = env.int("ZWFW_CALENDAR_LAST_YEAR", default=2035)

# Logs go to stderr, one line per record: ZWFW_LOG_FORMAT=json (one JSON object a line, the default
# in production) or text; each line carries the request id and the user (zwfw/core/logging.py).
ZWFW_LOG_FORMAT = env.str("ZWFW_LOG_FORMAT", default="text")
ZWFW_LOG_LEVEL = env.str("ZWFW_LOG_LEVEL", default="INFO")
# One line per request (zwfw.access); off by default in the demo, whose runserver prints its own.
ZWFW_ACCESS_LOG = env.bool("ZWFW_ACCESS_LOG", default=not DEBUG)
LOGGING = logging_settings(ZWFW_LOG_FORMAT, ZWFW_LOG_LEVEL, access_log=ZWFW_ACCESS_LOG)
