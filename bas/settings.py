"""Settings for the BAS survey system, read from the environment (12-factor).

DATABASE_URL  default: a SQLite file in the project directory (zero set-up)
SECRET_KEY    required unless DEBUG is on
DEBUG         "1"/"true"/"yes" to turn on; default off (manage.py and the tests turn it on
              in a checkout with no SECRET_KEY: bas/dev_environment.py)
ALLOWED_HOSTS comma-separated; default localhost names when DEBUG is on
"""

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in _TRUE


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Only an explicit DEBUG=1 turns it on (manage.py and the tests set it for a checkout with
# no SECRET_KEY: bas/dev_environment.py); a server with neither refuses to start.
DEBUG = _env_flag("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "survey",
    "sampling",
    "questionnaires",
    "analysis",
    "exports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bas.cache_headers.PrivateForUsersMiddleware",
    "bas.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.audit.CurrentUserMiddleware",
    "bas.web_errors.ErrorPagesMiddleware",
]

# A failed CSRF check shows the styled 403 page (bas.web_errors).
CSRF_FAILURE_VIEW = "bas.views.csrf_failure"

ROOT_URLCONF = "bas.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bas" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "bas.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Every login (page, admin, HTTP Basic) goes through the login limit (accounts/login_limit.py).
# Django's ModelBackend stays second only so that sessions made before the limit moved into
# the backend still resolve their user: the first backend never lets authentication reach it.
AUTHENTICATION_BACKENDS = ["accounts.login_limit.LoginLimitedModelBackend",
                           "django.contrib.auth.backends.ModelBackend"]
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "bas" / "static"]
# The app servers serve their own static files (WhiteNoise), with DEBUG off too: from
# STATIC_ROOT after `collectstatic`, else straight from the apps' static folders.
WHITENOISE_USE_FINDERS = True
# Without `collectstatic` there is no STATIC_ROOT folder; WhiteNoise would warn at every start.
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
MEDIA_ROOT = BASE_DIR / "media"
# Every upload is cut off at its size limit as it arrives (bas/upload_limits.py).
FILE_UPLOAD_HANDLERS = [
    "bas.upload_handlers.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Shared by every app server: a table in the database (made by a migration).
    "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
               "LOCATION": "bas_shared_cache"},
}


def _rate(name: str, default: str) -> str | None:
    value = os.environ.get(name, default).strip().lower()
    if value in {"", "off", "none"}:
        return None
    count, _, period = value.partition("/")
    if not count.isdigit() or period not in {"s", "sec", "m", "min", "h", "hour", "d", "day"}:
        raise ImproperlyConfigured(f"{name}: '{value}' is not a rate such as 120/min "
                                   "(or off)")
    return value


# The public API's limit per client address; behind a proxy set NUM_PROXIES so the
# client's own address (from X-Forwarded-For) is counted, not the proxy's.
PUBLIC_API_RATE = _rate("PUBLIC_API_RATE", "120/min")
# Trusted proxies in front of the app servers: the client address of the login limit, the
# audit log and the public API's limit is then taken from X-Forwarded-For
# (accounts.addresses.client_ip); with 0 that header is ignored.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

REST_FRAMEWORK = {
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.api.authentication.LimitedBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bas.api.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "BAS survey system API",
    "DESCRIPTION": "Questionnaires, sampling, CATI fieldwork, weighting and publication "
    "for the London Business Attitudes Survey.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the project's own static files: these machines have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A login lasts a working day (seconds; SESSION_COOKIE_AGE in the environment).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(9 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # the interviewing page's script reads it for its API calls
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Everything from this site only; no inline script or style (bas/csp.py).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers (a 4xx is a warning of django.request) at the same level, through
    # the same handler: its default debug-only console handler would print them twice.
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
}

AUTH_USER_MODEL = "accounts.User"
