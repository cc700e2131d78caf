"""Navigator settings, read from the environment.

NAVIGATOR_ENV=production selects production behaviour: no defaults for secrets, secure cookies,
HSTS, and a refusal to start without encryption keys.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("NAVIGATOR_VAR_DIR", PROJECT_DIR / "var"))

ENVIRONMENT = os.environ.get("NAVIGATOR_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = os.environ.get("NAVIGATOR_DEBUG", "0") == "1" and not PRODUCTION


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when NAVIGATOR_ENV=production")
    return value


if PRODUCTION:
    SECRET_KEY = _required("NAVIGATOR_SECRET_KEY")
    ALLOWED_HOSTS = [h.strip() for h in _required("NAVIGATOR_ALLOWED_HOSTS").split(",") if h.strip()]
    _required("NAVIGATOR_KEYRING")
    _required("NAVIGATOR_BLIND_INDEX_KEY")
else:
    SECRET_KEY = os.environ.get("NAVIGATOR_SECRET_KEY", "development-only-not-secret-" + "x" * 40)
    ALLOWED_HOSTS = [
        h.strip() for h in os.environ.get("NAVIGATOR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    ]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "navigator.core",
    "navigator.victims",
    "navigator.screening",
    "navigator.estimation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "navigator.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "navigator.core.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "navigator.urls"
WSGI_APPLICATION = "navigator.wsgi.application"

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
                "navigator.core.context_processors.navigator",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'navigator.sqlite3'}"),
        conn_max_age=0 if not PRODUCTION else 60,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the worker and the web server write without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # A file, not memory, so tests can prove no plaintext reaches the disk.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-navigator.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Idle sessions expire: every request renews the cookie, silence lets it lapse.
SESSION_COOKIE_AGE = int(os.environ.get("NAVIGATOR_IDLE_TIMEOUT_SECONDS", 30 * 60))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = int(os.environ.get("NAVIGATOR_LOCKOUT_FAILURES", 5))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Navigator"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Outside production static files come from the apps (finders); the empty root keeps WhiteNoise quiet.
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

REST_FRAMEWORK = {
    # The token class first: a request without valid credentials is answered 401 with a WWW-Authenticate header
    # (the session class has none to offer, and DRF answers 403 after it), whichever way the client signs in.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "navigator.core.authentication.VerifiedTokenAuthentication",
        "navigator.core.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["navigator.core.authentication.IsVerified"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "navigator.core.pagination.BoundedLimitOffsetPagination",
    "EXCEPTION_HANDLER": "navigator.core.api.api_exception_handler",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Navigator API",
    "DESCRIPTION": "Case management for Victim Navigators. Every record is scoped to the caller's forces.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["navigator.core.authentication.IsVerified"],
    "SERVE_AUTHENTICATION": ["navigator.core.authentication.VerifiedSessionAuthentication",
                             "navigator.core.authentication.VerifiedTokenAuthentication"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

NAVIGATOR_KEYRING = os.environ.get("NAVIGATOR_KEYRING", "")
NAVIGATOR_BLIND_INDEX_KEY = os.environ.get("NAVIGATOR_BLIND_INDEX_KEY", "")
NAVIGATOR_KEY_FILE = Path(os.environ.get("NAVIGATOR_KEY_FILE", VAR_DIR / "keys.json"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NAVIGATOR_LOG_LEVEL", "WARNING")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("NAVIGATOR_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]
