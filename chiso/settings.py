"""Django settings. Everything that differs between machines comes from the environment."""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("CHISO_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("CHISO_DEBUG", False)
SECRET_KEY = os.environ.get("CHISO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = [h for h in os.environ.get("CHISO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CHISO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

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
    "ninja",  # serves Swagger UI from its own static files: /api/docs works offline
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
    # A web server and a worker share one SQLite file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
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

TASKS = {
    "default": {
        "BACKEND": os.environ.get("CHISO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = os.environ.get("CHISO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("CHISO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CHISO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CHISO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CHISO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CHISO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("CHISO_DEFAULT_FROM_EMAIL", "chiso@localhost")

CHISO_MAX_UPLOAD_BYTES = int(os.environ.get("CHISO_MAX_UPLOAD_BYTES", str(25 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = CHISO_MAX_UPLOAD_BYTES + 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CHISO_LOG_LEVEL", "WARNING")},
}
WHITENOISE_USE_FINDERS = True  # the demo serves static files without a collectstatic step
