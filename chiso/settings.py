"""Django settings. Everything that differs between machines comes from the environment."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from chiso.common.secret_key import secret_key

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("CHISO_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: cần một số nguyên.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# -- where the site lives, and whether this is the local demo ------------------------------
# CHISO_SITE_URL is the address people use (it goes into reminder and invitation emails).
# Unset, or http:// on this machine, is the local demo / development mode (`make run`,
# `make test`): it needs no other setting. Any other address is a deployment, which must
# be configured (a secret key at least); https:// turns on every HTTPS protection.
CHISO_SITE_URL = (os.environ.get("CHISO_SITE_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(CHISO_SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured(f"CHISO_SITE_URL={CHISO_SITE_URL!r}: cần một địa chỉ đầy đủ, ví dụ https://chiso.example.gov.vn")
LOCAL_DEMO = _site.scheme == "http" and _site.hostname in {"127.0.0.1", "localhost", "::1"}
SERVED_OVER_HTTPS = _site.scheme == "https"

DEBUG = env_bool("CHISO_DEBUG", False)
SECRET_KEY = secret_key(os.environ.get("CHISO_SECRET_KEY", ""), local_demo=LOCAL_DEMO, var_dir=VAR_DIR)
ALLOWED_HOSTS = env_list("CHISO_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "testserver"] if LOCAL_DEMO else [_site.hostname])
CSRF_TRUSTED_ORIGINS = env_list("CHISO_CSRF_TRUSTED_ORIGINS") + ([] if LOCAL_DEMO else [f"{_site.scheme}://{_site.netloc}"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "chiso.common",
    "chiso.accounts",
    "chiso.units",
    "chiso.frameworks",
    "chiso.scores",
    "chiso.plans",
    "chiso.web",
    "chiso.ingest",
    "chiso.progress",
    "chiso.analysis",
    "chiso.surveys",
    "chiso.appraisal",
    "ninja",  # serves Swagger UI from its own static files: /api/docs works offline
    "axes",  # login lock-outs (below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chiso.web.middleware.RequestBodyMiddleware",  # the size limit, before anything reads a body
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "chiso.urls"
WSGI_APPLICATION = "chiso.wsgi.application"

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
                "chiso.web.context.navigation",
            ],
            "builtins": ["chiso.web.templatetags.chiso", "template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("CHISO_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chiso.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded database (the demo, one small office). Web workers and the background
    # worker share one file: WAL lets readers go on while one writes, and IMMEDIATE takes the
    # write lock when a transaction starts, so concurrent writers queue (for up to `timeout`
    # seconds) instead of failing with "database is locked" when a reader turns writer.
    # PostgreSQL is the production database (docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "chiso.accounts.lockout.LockoutBackend",  # refuses a locked-out login before the password is checked
    "chiso.accounts.backends.UserBackend",  # ModelBackend reading the user with their unit (one query)
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["chiso.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves from the finders without collectstatic; an existing (even empty)
# STATIC_ROOT keeps it from warning on every start.
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
except OSError:  # a read-only deployment has run collectstatic already
    pass
import xstatic.pkg.bootstrap as _bootstrap  # noqa: E402  (front-end code comes from a pip package)

STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", _bootstrap.BASE_DIR)]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("CHISO_S3_BUCKET"):
    # Evidence and uploaded documents on S3-compatible storage in production.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["CHISO_S3_BUCKET"],
            "endpoint_url": os.environ.get("CHISO_S3_ENDPOINT_URL"),
            "default_acl": None,
            "querystring_auth": True,
        },
    }

# -- Background tasks, cache and sessions. One machine: the task queue is a database table
# and the cache is in each process. Several machines (docs/deploy.md): CHISO_REDIS_URL puts
# the task queue on Redis (RQ; any number of `chiso worker` machines) and the cache there too,
# with sessions cached in it in front of the database, so that web processes keep no state.
CHISO_REDIS_URL = os.environ.get("CHISO_REDIS_URL", "").strip()
TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}
_tasks_backend = os.environ.get("CHISO_TASKS_BACKEND", "").strip() or ("rq" if CHISO_REDIS_URL else "database")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_tasks_backend, _tasks_backend)}}
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["rq"]:
    if not CHISO_REDIS_URL:
        raise ImproperlyConfigured("CHISO_TASKS_BACKEND=rq cần CHISO_REDIS_URL (ví dụ redis://127.0.0.1:6379/0).")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": CHISO_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
    TASKS["default"]["QUEUES"] = ["default"]
# The cache holds the pages' rendered fragments (chiso.common.fragments): a plan's tables, a
# unit-year's gap analysis, some 10-70 KB each.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}}
if CHISO_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CHISO_REDIS_URL,
                          "KEY_PREFIX": "chiso"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Unset: each email is written as a file under var/mail/ (the local demo's reminders and
# invitations can be read there, and do not flood the terminal that shows the address and
# logins); a deployment sets the SMTP backend (docs/deploy.md).
EMAIL_BACKEND = os.environ.get("CHISO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("CHISO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CHISO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CHISO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CHISO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHISO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("CHISO_DEFAULT_FROM_EMAIL", "chiso@localhost")

MB = 1024 * 1024
CHISO_MAX_UPLOAD_BYTES = env_int("CHISO_MAX_UPLOAD_BYTES", 25 * MB)  # one uploaded file
# One request's body, refused (413) from its Content-Length before anything reads it: a
# progress report may carry several evidence files. Requests with no session and no API
# token (the login and password-reset forms) get far less. nginx's client_max_body_size
# should equal CHISO_MAX_REQUEST_BYTES (docs/deploy.md).
CHISO_MAX_REQUEST_BYTES = env_int("CHISO_MAX_REQUEST_BYTES", max(100 * MB, CHISO_MAX_UPLOAD_BYTES + MB))
CHISO_MAX_ANONYMOUS_REQUEST_BYTES = env_int("CHISO_MAX_ANONYMOUS_REQUEST_BYTES", MB)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * MB + CHISO_MAX_UPLOAD_BYTES  # form fields and JSON bodies held in memory
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * MB  # larger files are streamed to a temporary file

# -- HTTPS: on whenever the site is served over https:// (behind nginx, which sets
# X-Forwarded-Proto; gunicorn only listens on 127.0.0.1).
if SERVED_OVER_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("CHISO_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe over plain HTTP
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("CHISO_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CHISO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("CHISO_HSTS_PRELOAD", True)
SESSION_COOKIE_AGE = env_int("CHISO_SESSION_HOURS", 12) * 3600  # a working day, not Django's two weeks
# How many proxies (nginx, a load balancer) stand in front of gunicorn: the client's address
# is that many entries from the right of X-Forwarded-For (lockouts are per user and address).
CHISO_TRUSTED_PROXIES = env_int("CHISO_TRUSTED_PROXIES", 1)

# -- Brute force: a username is locked, from one client address, after this many wrong
# passwords in a row; it unlocks by itself after the lock-out period (0: only an
# administrator unlocks, on /tai-khoan/khoa-dang-nhap/ or with `chiso axes_reset_username`).
AXES_FAILURE_LIMIT = env_int("CHISO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("CHISO_LOGIN_LOCKOUT_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "chiso.common.http.client_ip"
AXES_LOCKOUT_CALLABLE = "chiso.accounts.lockout.lockout_response"
AXES_VERBOSE = False
CHISO_PASSWORD_RESETS_PER_HOUR = env_int("CHISO_PASSWORD_RESETS_PER_HOUR", 3)  # per address; 4× that per client

# -- Content Security Policy: scripts, styles, fonts and images only from this site; no
# inline script or style (templates use classes from chiso.css), no framing.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons as data: SVG
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# -- the production web server (`chiso serve`: gunicorn, see chiso/web/server.py)
WEB_SERVER = {
    # One process per core (at least 2, so that one restarting never leaves none), 8 threads
    # each: on 2 cores under bench/load.py, 2 × 8 kept p95 at 87 ms where 4 × 4 gave 340 ms
    # (fewer processes switching on the cores, and each process's fragment cache warms once).
    "workers": env_int("CHISO_WEB_WORKERS", min(max(os.cpu_count() or 1, 2), 8)),
    "threads": env_int("CHISO_WEB_THREADS", 8),
    "timeout": env_int("CHISO_WEB_TIMEOUT", 60),  # a silent worker is killed and replaced
    "graceful_timeout": 30,
    "keepalive": 5,
    "max_requests": 2000,  # workers are recycled now and then: memory never creeps up
    "max_requests_jitter": 200,
    "limit_request_line": 8190,  # the longest URL (search, filters)
    "limit_request_fields": 60,
    "limit_request_field_size": 8190,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHISO_LOG_LEVEL", "WARNING")},
}
WHITENOISE_USE_FINDERS = True  # the demo serves static files without a collectstatic step
