"""Settings for ficarchive, read from environment variables with safe local defaults.

Every variable is listed in `.env.example`. With nothing set, the archive runs on a SQLite file
in the data folder, with a local-memory cache; `DATABASE_URL` and `REDIS_URL` move it to
PostgreSQL and Redis.
"""

import os
import socket
from pathlib import Path

import dj_database_url


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "data")

DEBUG = env_bool("DEBUG")

# A key that anyone can read in this file. `ficarchive serve` and the WSGI entry point refuse to
# start with it unless DEBUG is on (see ficarchive.core.checks); `serve --demo` makes a private
# key of its own in the data folder instead.
DEFAULT_SECRET_KEY = "insecure-default-key-set-SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEFAULT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

SITE_NAME = os.environ.get("SITE_NAME", "ficarchive")
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")

# This machine's name among the archive's nodes: each node's search index reads the change log
# through its own cursor, `search:<NODE_NAME>`.
NODE_NAME = os.environ.get("NODE_NAME") or socket.gethostname()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "ficarchive.core",
    "ficarchive.accounts",
    "ficarchive.tags",
    "ficarchive.works",
    "ficarchive.formats",
    "ficarchive.demo",
    "ficarchive.search",
    "ficarchive.social",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ficarchive.urls"
WSGI_APPLICATION = "ficarchive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ficarchive.core.context_processors.site",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'ficarchive.sqlite3'}"
    config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
            # the start of a transaction so that two writers queue instead of deadlocking.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise serves files straight from the apps' static folders, so no collectstatic step is
# needed to run the archive; STATIC_ROOT is only for collecting them for another web server.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
)

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ficarchive <noreply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Search: the Tantivy index lives in SEARCH_DIR and is kept fresh by the indexer that
# `ficarchive serve` starts. SEARCH_INLINE applies pending changes in the searching process
# instead, before each search: for the tests and for single-process development only.
SEARCH_DIR = Path(os.environ.get("SEARCH_DIR") or DATA_DIR / "search")
SEARCH_INLINE = env_bool("SEARCH_INLINE")
# What a full index build may hold in memory before it writes a segment (taken only as the
# works need it: about 1.5 GB at a million works with short bodies). One large segment makes
# a reader's muted tags and users cheap to leave out (docs/search.md); a small machine can
# lower it and get more segments instead.
SEARCH_BUILD_MEMORY_MB = int(os.environ.get("SEARCH_BUILD_MEMORY_MB", "2000"))

# Accounts (docs/accounts-and-posting.md). Sign-up: `open`, `invite` (an invitation queue,
# `ficarchive invitations --send N`) or `closed`.
ACCOUNT_SIGNUP = os.environ.get("ACCOUNT_SIGNUP", "open").strip().lower()
# Tries of login, sign-up and password reset per address and per name tried: `N/Ms` (as the
# largest archive: 5 per 20 seconds). Counted in the cache, so Redis keeps one count for all
# workers; the local cache counts per process.
ACCOUNT_RATE_LIMIT = os.environ.get("ACCOUNT_RATE_LIMIT", "5/20s")
# Behind a reverse proxy, the request header that holds the client's address (for throttling),
# e.g. HTTP_X_FORWARDED_FOR; empty means REMOTE_ADDR.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "works:home"
LOGOUT_REDIRECT_URL = "works:home"
CSRF_FAILURE_VIEW = "ficarchive.accounts.views.security.csrf_failure"
TEMPLATES[0]["OPTIONS"]["context_processors"].append(  # type: ignore[index]
    "ficarchive.accounts.context_processors.account"
)
