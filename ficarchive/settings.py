"""Settings for ficarchive, read from environment variables with safe local defaults.

This is the one module that reads the environment for settings, and `.env.example` lists every
variable it reads with its default (tests/core/test_environment.py holds the two together). An
empty variable counts as unset. With nothing set, the archive runs on a SQLite file in the data
folder, which also holds the cache every worker shares; `DATABASE_URL` and `REDIS_URL` move
it to PostgreSQL and Redis.
"""

import os
import socket
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# ---------------------------------------------------------------------------------------------
# Reading the environment

# Each variable read, with its default as `.env.example` writes it ("" where the default is
# derived from another setting) and the kind of value it holds.
env_defaults: dict[str, tuple[str, str]] = {}

_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def parse_bool(name: str, value: str) -> bool:
    """true/false, 1/0, yes/no or on/off in any case; anything else is a mistake to report
    rather than guess at, since a guessed `false` can turn off a security setting."""
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be true or false (or 1/0, yes/no, on/off), not {value!r}"
    )


def _read(name: str, default: str, kind: str) -> str:
    env_defaults[name] = (default, kind)
    return os.environ.get(name, "")


def env_str(name: str, default: str = "") -> str:
    return _read(name, default, "str") or default


def env_bool(name: str, default: bool) -> bool:
    value = _read(name, "true" if default else "false", "bool")
    return parse_bool(name, value) if value.strip() else default


@overload
def env_int(name: str, default: int) -> int: ...
@overload
def env_int(name: str, default: None) -> int | None: ...
def env_int(name: str, default: int | None) -> int | None:
    value = _read(name, "" if default is None else str(default), "int").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_bool_or(name: str, derived: bool) -> bool:
    """A boolean whose default follows other settings: empty means `derived`."""
    value = _read(name, "", "bool-derived")
    return parse_bool(name, value) if value.strip() else derived


def env_list(name: str, default: str) -> list[str]:
    value = _read(name, default, "list") or default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_site_url(name: str, default: str) -> str:
    """The site's public address: scheme, host and optional port, without a path (links add
    the paths `reverse` gives, which already carry any script prefix)."""
    value = _read(name, default, "url").strip() or default
    parts = urlsplit(value)
    bare = parts.path in {"", "/"} and not parts.query and not parts.fragment
    if parts.scheme not in {"http", "https"} or not parts.hostname or not bare:
        raise ImproperlyConfigured(
            f"{name} must be an http:// or https:// address without a path, such as "
            f"https://archive.example.org, not {value!r}"
        )
    return value.rstrip("/")


# ---------------------------------------------------------------------------------------------
# The site

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR") or BASE_DIR / "data")

DEBUG = env_bool("DEBUG", False)

# A key that anyone can read in this file. `ficarchive serve` and the WSGI entry point refuse to
# start with it unless DEBUG is on (see ficarchive.core.checks); `serve --demo` makes a private
# key of its own in the data folder instead.
DEFAULT_SECRET_KEY = "insecure-default-key-set-SECRET_KEY-in-production"
SECRET_KEY = env_str("SECRET_KEY") or DEFAULT_SECRET_KEY

SITE_NAME = env_str("SITE_NAME", "ficarchive")
# The one source of the site's own address: absolute links in mail, feeds and e-books are
# built on it (ficarchive.core.site), and the host and origin below are derived from it.
SITE_URL = env_site_url("SITE_URL", "http://localhost:8000")
_SITE = urlsplit(SITE_URL)
SITE_HOST = _SITE.hostname or ""
SITE_ORIGIN = f"{_SITE.scheme}://{_SITE.netloc}"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
_ALLOWED_SITE_HOST = f"[{SITE_HOST}]" if ":" in SITE_HOST else SITE_HOST
if _ALLOWED_SITE_HOST not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append(_ALLOWED_SITE_HOST)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
if SITE_ORIGIN not in CSRF_TRUSTED_ORIGINS:
    CSRF_TRUSTED_ORIGINS.append(SITE_ORIGIN)

# This machine's name among the archive's nodes: each node's search index reads the change log
# through its own cursor, `search:<NODE_NAME>`.
NODE_NAME = env_str("NODE_NAME") or socket.gethostname()

# ---------------------------------------------------------------------------------------------
# Django

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
    "ficarchive.collections",
    "ficarchive.api",
    # django-ninja, for the API's docs page and its Swagger UI assets (served here, no CDN).
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ficarchive.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the body limit of forms: the API answers its own errors as problem documents.
    "ficarchive.api.middleware.ApiMiddleware",
    "ficarchive.core.middleware.RefuseControlCharactersMiddleware",
    "ficarchive.core.bodylimit.BodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ficarchive.core.recovery.WriterCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The ceiling above every route's own body limit (ficarchive.core.bodylimit: a posting form's is
# what its fields can hold in UTF-8, other routes keep Django's 2.5 MB).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

ROOT_URLCONF = "ficarchive.urls"
# Checkboxes before their labels, each on its own line (core/rendering.py).
FORM_RENDERER = "ficarchive.core.rendering.FormRenderer"
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
                "ficarchive.accounts.context_processors.account",
                "ficarchive.social.context_processors.inbox",
            ],
        },
    },
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# ---------------------------------------------------------------------------------------------
# Database and cache


def _database() -> dict[str, Any]:
    url = env_str("DATABASE_URL")
    if not url:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DATA_DIR / 'ficarchive.sqlite3'}"
    config = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Kept open between requests as PostgreSQL's are: opening one costs its pragmas and
        # an empty page cache, more than a page served from the cache takes (issue 15).
        config["CONN_MAX_AGE"] = 60
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

# The cache holds what every worker must share: rate limits, hit keys and guests' cached
# pages. Redis when REDIS_URL is set; otherwise the database itself (ficarchive.core.cache), so
# that no configuration counts per process. `check --deploy` warns about a cache that is not
# shared (ficarchive.W001).
REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "ficarchive.core.cache.DatabaseCache",
            "LOCATION": "core_cache",
            # Entries beyond this are culled (a third at a time), expired ones first; a day's
            # hit keys of a busy archive are the most of them (Redis holds any number).
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 200_000)},
        }
    }

# ---------------------------------------------------------------------------------------------
# Serving: `ficarchive serve`, static files, HTTPS

# The defaults of `serve --bind` and `--workers`; WEB_CONCURRENCY is the variable gunicorn and
# hosting platforms use, and the default is gunicorn's rule of thumb.
BIND = env_str("BIND", "127.0.0.1:8000")
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", None) or 2 * (os.cpu_count() or 1) + 1

STATIC_URL = "static/"
# WhiteNoise serves files straight from the apps' static folders, so no collectstatic step is
# needed to run the archive; STATIC_ROOT is only for collecting them for another web server.
STATIC_ROOT = env_str("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# HTTPS: when SITE_URL is https, cookies go only over HTTPS, plain HTTP is redirected, and
# browsers are told to use HTTPS only (HSTS) for a year; each can be set otherwise
# (docs/security.md has the production configuration that `check --deploy` passes).
SITE_HTTPS = _SITE.scheme == "https"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", SITE_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool_or("SSL_REDIRECT", SITE_HTTPS)
_HSTS_SECONDS = env_int("HSTS_SECONDS", None)
SECURE_HSTS_SECONDS = (
    (365 * 24 * 60 * 60 if SITE_HTTPS else 0) if _HSTS_SECONDS is None else (_HSTS_SECONDS)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)

# ---------------------------------------------------------------------------------------------
# Mail

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or f"{SITE_NAME} <noreply@{SITE_HOST}>"

# ---------------------------------------------------------------------------------------------
# Comments: the spam check (a dotted path to a callable, see social/spam.py) and its phrases,
# and how many comments guests (per address and per e-mail address) and users may post.

COMMENT_SPAM_CHECK = env_str("COMMENT_SPAM_CHECK", "ficarchive.social.spam.local_spam_check")
COMMENT_SPAM_PHRASES = env_list("COMMENT_SPAM_PHRASES", "")
COMMENT_GUEST_RATE = env_str("COMMENT_GUEST_RATE", "5/10m")
COMMENT_USER_RATE = env_str("COMMENT_USER_RATE", "30/10m")

# ---------------------------------------------------------------------------------------------
# Search: the Tantivy index lives in SEARCH_DIR and is kept fresh by the indexer that
# `ficarchive serve` starts. SEARCH_INLINE applies pending changes in the searching process
# instead, before each search: for the tests and for single-process development only.

SEARCH_DIR = Path(env_str("SEARCH_DIR") or DATA_DIR / "search")
SEARCH_INLINE = env_bool("SEARCH_INLINE", False)
# What a full index build may hold in memory before it writes a segment (taken only as the
# works need it: about 1.5 GB at a million works with short bodies). One large segment makes
# a reader's muted tags and users cheap to leave out (docs/search.md); a small machine can
# lower it and get more segments instead.
SEARCH_BUILD_MEMORY_MB = env_int("SEARCH_BUILD_MEMORY_MB", 2000)

# ---------------------------------------------------------------------------------------------
# Accounts (docs/accounts-and-posting.md)

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Imported eFiction members' MD5 digests inside Argon2, upgraded at their first login.
    "ficarchive.accounts.hashers.Argon2MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "works:home"
LOGOUT_REDIRECT_URL = "works:home"
CSRF_FAILURE_VIEW = "ficarchive.accounts.views.security.csrf_failure"

# Sign-up: `open`, `invite` (an invitation queue, `ficarchive invitations --send N`) or
# `closed`.
ACCOUNT_SIGNUP = env_str("ACCOUNT_SIGNUP", "open").lower()
# Tries of login, sign-up and password reset per address and per name tried: `N/Ms` (as the
# largest archive: 5 per 20 seconds). Counted in the cache, so Redis keeps one count for all
# workers; without it the database does (never a per-process count).
ACCOUNT_RATE_LIMIT = env_str("ACCOUNT_RATE_LIMIT", "5/20s")
# Behind a reverse proxy, the request header that holds the client's address (for throttling),
# e.g. HTTP_X_FORWARDED_FOR; empty means REMOTE_ADDR.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")
# Requests to the JSON API per window, counted per address and per signed-in user (ficarchive.api).
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "300/m")

# ---------------------------------------------------------------------------------------------
# Background tasks and mail (docs/tasks.md). The queue is the database by default, the same
# SQLite or PostgreSQL database; TASKS_URL=redis://... moves it to Redis through RQ.
TASKS_URL = env_str("TASKS_URL")
if TASKS_URL:
    TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.RQBackend"}}
    RQ_QUEUES = {"default": {"URL": TASKS_URL}}
    INSTALLED_APPS.append("django_rq")
else:
    TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.DatabaseBackend"}}
# A failed job is tried again after TASKS_RETRY_SECONDS, then 4 times as long each time (at
# most an hour between tries), up to TASKS_MAX_ATTEMPTS tries in all; then it is kept as failed.
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 6)
TASKS_RETRY_SECONDS: float = env_int("TASKS_RETRY_SECONDS", 10)
# A worker (database or RQ) that has not been heard from for this long is taken for dead, and
# the job it was running is run again by another.
TASKS_LEASE_SECONDS: float = env_int("TASKS_LEASE_SECONDS", 60)
