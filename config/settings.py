"""Settings for the conference site.

Every value that differs between deployments comes from the environment (see
README.md). The defaults are safe for development: with DJANGO_DEBUG off the site
refuses to start unless a real secret key and the allowed hosts are given.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from conference.un_names import UN_STATE_NAMES

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

if not DEBUG:
    if SECRET_KEY == _DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
            "when DJANGO_DEBUG is off. Generate one with: python -c "
            "'from django.core.management.utils import get_random_secret_key as g; print(g())'"
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must list the host names the site answers to "
            "(comma-separated) when DJANGO_DEBUG is off."
        )

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, whose forms it extends with a field per language
    "secretariat.apps.SecretariatAdminConfig",  # Django's admin, behind the staff rule
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "bootstrap",
    "django_tasks",
    "django_tasks_db",
    "strategy",
    "conference",
    "registration",
    "secretariat",
]

MIDDLEWARE = [
    "config.middleware.RejectNulCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.secretariat_email",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: an SQLite file beside manage.py unless DATABASE_URL says otherwise
# (postgres://user:password@host:5432/name selects PostgreSQL through psycopg 3).
# In production a connection serves many requests (a new one costs more than most pages), and is
# checked before each request reuses it; the development server runs each request in a thread of
# its own, which would leave every connection open, so there each request has its own.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time; IMMEDIATE takes the write lock when a
    # transaction starts, so two requests cannot both read "one seat left".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, two-factor codes already used and cached pages must be the same for every
# worker and server: Redis when REDIS_URL is set, else a table of the database
# (`manage.py createcachetable`), never one process's memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "django_cache"}}

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

# Accounts: the email address is the login, and it must be verified. The account model
# has no username; the database keeps one account per address, whatever its case.
AUTH_USER_MODEL = "registration.User"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "registration.adapter.AccountAdapter"
# Behind N proxies (the TLS proxy of "Deploying" is 1), the client's address is the Nth from the
# end of X-Forwarded-For: rate limits then count per person, not for the proxy as a whole.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    # Delegates at the venue share its network's address: logins from one address are many.
    "login": "120/m/ip",
    "signup": "20/m/ip",
}
# Staff protect their accounts with a one-time code (TOTP) from an authenticator app.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "UN Counter-Terrorism Conferences")
LOGIN_REDIRECT_URL = "conference:home"
LOGIN_URL = "account_login"

# Internationalization: the six official languages of the United Nations.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own form (Russian months in the genitive, Chinese 年月日); English as the UN writes it.
FORMAT_MODULE_PATH = ["config.formats"]
# Content (titles, descriptions, names) is kept in each language; where a language has none, English shows.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
# The Member States and Observer States by the names the United Nations gives them, in its six
# languages, wherever a country is named (badges, lists, nationality): see conference/un_names.py.
COUNTRIES_OVERRIDE = UN_STATE_NAMES
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Nomination documents: outside MEDIA_ROOT so the web server never publishes them;
# they are served only through a view that checks who is asking.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("DJANGO_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
REGISTRATION_DOCUMENT_MAX_BYTES = env_int("REGISTRATION_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)
# How long a request waits for the seats' lock on PostgreSQL before the person is told to try again.
REGISTRATION_LOCK_TIMEOUT_MS = env_int("REGISTRATION_LOCK_TIMEOUT_MS", 5000)
# The address of the site in links sent by email.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Files: local folders by default; an S3-compatible bucket (AWS, MinIO, Ceph...) when
# DJANGO_S3_BUCKET is set, so that every app server and worker sees the same files. Private
# files (nomination documents, photos, prepared exports and badges) are never public: in the
# bucket they are private objects the app reads and serves after its own permission checks.
S3_BUCKET = os.environ.get("DJANGO_S3_BUCKET", "")
if S3_BUCKET:
    _S3_OPTIONS = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("DJANGO_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("DJANGO_S3_REGION") or None,
        "access_key": os.environ.get("DJANGO_S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("DJANGO_S3_SECRET_ACCESS_KEY") or None,
        "file_overwrite": False,
    }
    STORAGES = {
        # Conference resources (agendas, concept notes) are public documents.
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_S3_OPTIONS, "location": "public", "default_acl": None, "querystring_auth": False},
        },
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_S3_OPTIONS, "location": "private", "default_acl": "private", "querystring_auth": True},
        },
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "registration.storage.PrivateStorage"},
    }
STORAGES["staticfiles"] = {
    "BACKEND": (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
}
# Uploads: a request body other than files is refused above 2.5 MB; an uploaded file is
# written to a temporary file beyond 2.5 MB, and no file is kept past UPLOAD_MAX_BYTES (the
# rest is counted, not stored), so a 50 MB upload never fills memory or disk. Nomination
# documents and photos have their own, smaller limit.
UPLOAD_MAX_BYTES = env_int("DJANGO_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_HANDLERS = [
    "config.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Background work (emails, badge batches, exports, the retention purge) runs on Django's task
# framework with its database backend: `manage.py db_worker` runs the tasks, on as many
# machines as needed; the web request only writes a row.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# /health/ answers 503 when a task ready to run has waited longer than this (no worker running).
TASKS_BACKLOG_MAX_SECONDS = env_int("TASKS_BACKLOG_MAX_SECONDS", 300)

# Django 6 behaviour now: a URL typed without a scheme means https.
FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console in development unless an SMTP host is given.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Conference Secretariat <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to the Secretariat: the account pages that say "contact us" give it. The
# sender above is a no-reply address; without this setting in production no address is shown.
SECRETARIAT_EMAIL = os.environ.get("SECRETARIAT_EMAIL", "secretariat@localhost" if DEBUG else "")

# Production hardening; each can be relaxed from the environment when a proxy
# in front of the site already does the job.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # load balancers check over plain HTTP
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the site's own scripts, styles and fonts run (no inline code anywhere, the admin and the
# account pages included); images may also be data: URIs (QR codes, badge photos).
CONTENT_SECURITY_POLICY = {
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
    }
}
# The check-in desk reads badges with the camera, on our own pages only (no frame of another site);
# nothing needs the microphone, the position or payments.
PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}
