"""Exosite settings, read from the environment only.

Every variable is listed with its default in README.md ("Configuration").
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from exosite.kernel.security import static_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Production (DJANGO_DEBUG off) refuses to start "
            "without one; for development set DJANGO_DEBUG=1."
        )
    # Development only: never used when DEBUG is off (see above).
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "localhost,127.0.0.1"
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The people who write and review content (like AUTH_USER_MODEL: the kernel names no app).
EXOSITE_PEOPLE_MODEL = "trust.Person"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "simple_history",
    "axes",
    # Spreadsheet import and export in the admin (exosite/kernel/importing.py).
    "import_export",
    # The task queue's table, worker (manage.py db_worker) and admin list (see TASKS).
    "django_tasks_db",
    "exosite",
    "exosite.ops",
    "articles",
    "glossary",
    "faq",
    "trust",
    "library",
    # What visitors read and search for, counted without tracking; the editors' dashboard.
    "exosite.insight",
]

MIDDLEWARE = [
    # Permissions-Policy and Cross-Origin-Resource-Policy on every response.
    "exosite.kernel.security.SiteHeadersMiddleware",
    # Request ids and the access log, around everything (static files and errors too).
    "exosite.kernel.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Refuses what Django could not read (charset, multipart, sizes, NUL) with the site's
    # 400, with the headers above, before anything reads the request.
    "exosite.kernel.requests.MalformedRequestMiddleware",
    # The language is the address's (/es/... Spanish, the rest English), before anything
    # resolves or renders a URL.
    "exosite.kernel.languages.PathLanguageMiddleware",
    # A page view reads the content version once (the page cache, parts, link versions).
    "exosite.ops.versions.OneReadPerRequestMiddleware",
    # The read API's edge (exosite/api/middleware.py): CORS, its rate limit (counting page
    # cache hits too), ETags and JSON errors for everything under /api/.
    "exosite.api.middleware.ApiMiddleware",
    # Brotli or gzip for what the page cache did not answer from a stored page (which comes
    # with its own variants), never for a response with a CSRF token, a cookie or a session
    # (BREACH). See exosite/kernel/compression.py.
    "exosite.kernel.compression.CompressionMiddleware",
    # After CSP (hits still get a fresh nonce and header), before sessions, CSRF and auth
    # (whose cookies and Vary headers decide what may be stored). See exosite/kernel/pagecache.py.
    # Counts page views and searches, page-cache hits included, from a header the next
    # one names and takes off every response (exosite/insight/middleware.py).
    "exosite.insight.middleware.CountingMiddleware",
    "exosite.kernel.pagecache.PageCacheMiddleware",
    "exosite.insight.middleware.MarkMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: answers a locked-out admin login with the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out client before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "exosite.urls"
WSGI_APPLICATION = "exosite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "exosite.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file in the project. SQLite runs in WAL mode with
# a busy timeout and IMMEDIATE transactions so that concurrent writers queue instead of
# failing with "database is locked".
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Linked HTML, parts of pages and whole pages (exosite/kernel/linking.py, parts.py,
# pagecache.py). Local memory per process by default; REDIS_URL shares one cache between
# every process and server, through Django's own Redis backend, made to degrade to "no
# cache" while Redis is unreachable (exosite/kernel/redis.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Each process's own memory for caches, in bytes, shared out: without Redis, half for the
# default (local-memory) cache, a quarter for the pages kept unpickled in front of it
# (kernel/pagecache.py LocalPages), a quarter for the memos (kernel/memo.py: the glossary
# index of 10,000 terms is 12.6 MB); with Redis, three quarters for the pages in front.
EXOSITE_LOCAL_CACHE_BYTES = int(os.environ.get("EXOSITE_LOCAL_CACHE_BYTES", str(128 * 2**20)))
EXOSITE_MEMO_BYTES = EXOSITE_LOCAL_CACHE_BYTES // 4
EXOSITE_LOCAL_PAGES_BYTES = EXOSITE_LOCAL_CACHE_BYTES * (3 if REDIS_URL else 1) // 4
EXOSITE_LOCMEM_BYTES = 0 if REDIS_URL else EXOSITE_LOCAL_CACHE_BYTES // 2
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "exosite.kernel.redis.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "exosite",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            # Django's LocMemCache, bounded in bytes as well (exosite/kernel/locmem.py).
            "BACKEND": "exosite.kernel.locmem.BoundedLocMemCache",
            "LOCATION": "exosite",
            "OPTIONS": {
                "MAX_BYTES": EXOSITE_LOCMEM_BYTES,
                "MAX_ENTRIES": int(os.environ.get("EXOSITE_LOCMEM_MAX_ENTRIES", "20000")),
            },
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# English (the source, unprefixed addresses) and Spanish (/es/...): see
# exosite/kernel/languages.py. Interface catalogues live in locale/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Dates per interface language ("7 December 2026", "7 de diciembre de 2026").
FORMAT_MODULE_PATH = ["exosite.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Static files get a CSP of their own (they are served before the CSP middleware runs).
WHITENOISE_ADD_HEADERS_FUNCTION = static_headers
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded images: local files by default; any Django storage backend by configuration,
# e.g. DJANGO_MEDIA_STORAGE=storages.backends.s3.S3Storage (django-storages) with its
# options as JSON in DJANGO_MEDIA_STORAGE_OPTIONS.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.environ.get("DJANGO_MEDIA_STORAGE_OPTIONS") or "{}"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email (Django 6.1 MAILERS): the console while debugging, SMTP in production (configured
# by the DJANGO_EMAIL_* variables); DJANGO_EMAIL_BACKEND picks any other backend.
EMAIL_BACKEND_PATH = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
        "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
        "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Exosite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TAGGIT_CASE_INSENSITIVE = True

# Content Security Policy (Django's own middleware). Scripts only from our origin or
# carrying the per-request nonce; no inline styles at all.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Powerful browser features the site never uses, denied to it and anything it could embed
# (exosite.kernel.security.SiteHeadersMiddleware); only names Chromium knows (156 warns in
# the console about any other, "bluetooth" for one).
EXOSITE_PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Other sites may link to our pages and files, not embed them in theirs.
EXOSITE_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# A refused form comes back on the site's own page, ready to send again.
CSRF_FAILURE_VIEW = "exosite.kernel.csrf.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    # Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=1.
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preload lists are a commitment that is slow to undo: opt in with
    # DJANGO_SECURE_HSTS_PRELOAD=1 (check --deploy's reminder of it is silenced below).
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

ADMINS = env_list("DJANGO_ADMINS")
MANAGERS = env_list("DJANGO_MANAGERS") or ADMINS

# Logs go to the console (stdout/stderr, collected by the process manager): one JSON
# object per line in production, with the request id on every record (exosite/kernel/logs.py).
# Errors are also mailed to DJANGO_ADMINS by Django's own "mail_admins" handler when DEBUG
# is off.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "exosite.kernel.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "exosite.kernel.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Task start/finish lines for every mention refresh are noise; failures still show.
        "django.tasks": {"level": "WARNING"},
        # Lock-outs are warnings; the start-up banner and each failed attempt are noise.
        "axes": {"level": "WARNING"},
    },
}

# Visitor questions (faq app) and feedback (trust app). Rates are "count/period": s, m, h or d.
EXOSITE_ASK_RATE = os.environ.get("EXOSITE_ASK_RATE", "5/h")
EXOSITE_FEEDBACK_RATE = os.environ.get("EXOSITE_FEEDBACK_RATE", "20/h")
EXOSITE_ASK_MIN_SECONDS = int(os.environ.get("EXOSITE_ASK_MIN_SECONDS", "3"))
EXOSITE_QUESTION_MAX_LENGTH = 2000
# Days after a question is closed before the visitor's name and email are erased.
EXOSITE_CONTACT_RETENTION_DAYS = int(os.environ.get("EXOSITE_CONTACT_RETENTION_DAYS", "90"))
# How many reverse proxies in front of the site append the client's address to
# X-Forwarded-For: the address that many entries from the right identifies the client
# (exosite/kernel/ratelimit.py). 0: the connection's own address; entries the client sent
# itself are never trusted. The older EXOSITE_TRUST_X_FORWARDED_FOR=1 means one proxy.
EXOSITE_TRUSTED_PROXIES = int(
    os.environ.get("EXOSITE_TRUSTED_PROXIES")
    or (1 if env_bool("EXOSITE_TRUST_X_FORWARDED_FOR") else 0)
)
# Where links in emails point (emails have no request to build absolute URLs from).
EXOSITE_BASE_URL = os.environ.get("EXOSITE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Background work (Django's tasks framework): re-linking after glossary changes, search
# indexing of bulk changes, emails, image renditions (exosite/kernel/tasks.py). "database"
# (production's default): tasks are rows in the database, written in the same transaction
# as the change that asked for them, and run by `manage.py db_worker` (started by
# `make serve`; its own process on a fleet), with retries. "immediate" (DEBUG's default,
# so `make run` is one process): run at once in the process that asked (emails and
# re-linking once its transaction has committed), without retries.
EXOSITE_TASK_BACKEND = os.environ.get("EXOSITE_TASK_BACKEND", "immediate" if DEBUG else "database")
task_backends = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if EXOSITE_TASK_BACKEND not in task_backends:
    raise ImproperlyConfigured(
        f"EXOSITE_TASK_BACKEND={EXOSITE_TASK_BACKEND!r}: use one of {', '.join(task_backends)}."
    )
TASKS = {"default": {"BACKEND": task_backends[EXOSITE_TASK_BACKEND]}}

# Spreadsheet import and export (exosite/kernel/importing.py). The uploaded file waits
# between the preview and the confirmation in the media storage, which every app server
# shares (a temporary folder is one machine's, a local-memory cache one process's). Who may
# import or export is the admin's own rule there (add and change; view), not a permission
# code of the library's. Each import is one transaction.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# The page cache (exosite/kernel/pagecache.py): anonymous GET pages, keyed by the content version.
EXOSITE_PAGE_CACHE = env_bool("EXOSITE_PAGE_CACHE", default=True)
EXOSITE_PAGE_CACHE_ALIAS = "default"
EXOSITE_PAGE_CACHE_TIMEOUT = int(os.environ.get("EXOSITE_PAGE_CACHE_TIMEOUT", "86400"))
# Insight (exosite/insight/): page views and searches counted per day, without cookies,
# addresses or user agents. Each process writes its counts every FLUSH_SECONDS or
# FLUSH_HITS, whichever comes first; daily rows older than RETENTION_DAYS are added up per
# month by `manage.py insight_rollup`.
EXOSITE_INSIGHT = env_bool("EXOSITE_INSIGHT", default=True)
EXOSITE_INSIGHT_FLUSH_SECONDS = int(os.environ.get("EXOSITE_INSIGHT_FLUSH_SECONDS", "30"))
EXOSITE_INSIGHT_FLUSH_HITS = int(os.environ.get("EXOSITE_INSIGHT_FLUSH_HITS", "1000"))
EXOSITE_INSIGHT_RETENTION_DAYS = int(os.environ.get("EXOSITE_INSIGHT_RETENTION_DAYS", "400"))
# The read API (exosite/api/): requests one client may make (count/period), the most items
# one page of a list may hold (larger asks are capped).
EXOSITE_API_RATE = os.environ.get("EXOSITE_API_RATE", "300/m")
EXOSITE_API_MAX_LIMIT = 100
# Never cached, whoever asks: the admin, previews, the ask form, the health check.
EXOSITE_PAGE_CACHE_SKIP = ("/admin/", "/preview/", "/faq/ask/", "/healthz")
# Seconds a CDN may serve a page without asking (s-maxage); 0: it revalidates every time.
EXOSITE_CACHE_SHARED_MAX_AGE = int(os.environ.get("EXOSITE_CACHE_SHARED_MAX_AGE", "0"))
# Identifies the deployed code in page-cache keys; by default a hash of the code itself.
EXOSITE_RELEASE = os.environ.get("EXOSITE_RELEASE", "")
# A glossary with more published terms than this gets an index page per letter.
EXOSITE_GLOSSARY_ONE_PAGE_LIMIT = int(os.environ.get("EXOSITE_GLOSSARY_ONE_PAGE_LIMIT", "600"))
# ... and a letter with more terms than this, pages of its own (?letter=B&page=2).
EXOSITE_GLOSSARY_PER_PAGE = int(os.environ.get("EXOSITE_GLOSSARY_PER_PAGE", "100"))
# The largest pronunciation recording a glossary term may have, in bytes (2 MB: a few
# seconds of speech is far less, even as WAV).
EXOSITE_AUDIO_MAX_BYTES = int(os.environ.get("EXOSITE_AUDIO_MAX_BYTES", str(2 * 2**20)))
# FAQ entries (with their answers) on each page of the FAQ index.
EXOSITE_FAQ_PER_PAGE = int(os.environ.get("EXOSITE_FAQ_PER_PAGE", "50"))
# Articles listed on each page of a person's profile, for those they wrote and reviewed.
EXOSITE_PERSON_PER_PAGE = int(os.environ.get("EXOSITE_PERSON_PER_PAGE", "20"))

# Admin logins (django-axes): after EXOSITE_LOGIN_FAILURE_LIMIT failed attempts from one
# client address, logins from it are refused for EXOSITE_LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("EXOSITE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("EXOSITE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "exosite.kernel.security.admin_lockout"
AXES_CLIENT_IP_CALLABLE = "exosite.kernel.ratelimit.client_address"
# Successful logins are not logged with their address (privacy); failures are, until the
# cool-off ends.
AXES_DISABLE_ACCESS_LOG = True

# Days a preview share link works (editors can revoke it sooner).
EXOSITE_SHARE_LINK_DAYS = int(os.environ.get("EXOSITE_SHARE_LINK_DAYS", "7"))

# Site identity used in templates, feeds and emails.
SITE_NAME = "Exosite"
SITE_CONTACT_EMAIL = os.environ.get("EXOSITE_CONTACT_EMAIL", "editors@exosite.example")

# The reference library's "Fill in the fields" (library/lookup.py): a pasted DOI or PubMed ID
# is looked up at Crossref and NCBI E-utilities (PubMed). Off: editors fill in by hand.
# The timeout is in seconds, per service asked; the addresses are settings so tests (or a
# mirror) can stand in for the services.
EXOSITE_REFERENCE_LOOKUP = env_bool("EXOSITE_REFERENCE_LOOKUP", default=True)
EXOSITE_LOOKUP_TIMEOUT = float(os.environ.get("EXOSITE_LOOKUP_TIMEOUT", "5"))
EXOSITE_CROSSREF_URL = os.environ.get("EXOSITE_CROSSREF_URL", "https://api.crossref.org")
EXOSITE_EUTILS_URL = os.environ.get(
    "EXOSITE_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
)
