"""Settings shared by every environment. Values that differ come from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.settings.environment import (
    env_bool,
    env_fernet_keys,
    env_int,
    env_list,
    env_networks,
    env_rates,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("TREMPLIN_DATA_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "csp",
    "phonenumber_field",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "tremplin.core",
    "tremplin.network",
    "tremplin.people",
    "tremplin.messaging",
    "tremplin.outreach",
    "tremplin.selection",
    "tremplin.placement",
    "tremplin.training",
    "tremplin.partners",
    "tremplin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tremplin.core.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tremplin.core.middleware.NulRefusedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tremplin.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tremplin.network.middleware.MfaRequiredMiddleware",
    "tremplin.network.middleware.SiteTimezoneMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tremplin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tremplin.core.context_processors.navigation",
                "tremplin.core.context_processors.light_page",
                "tremplin.core.context_processors.languages",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL points to one.
DEFAULT_SQLITE_PATH = DATA_DIR / "tremplin.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] == str(DEFAULT_SQLITE_PATH):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    # A write waits this long for another's transaction (a large import holds the lock for
    # seconds) before "database is locked"; the public form then shows a page that keeps the
    # applicant's answers (docs/benchmarks.md, "An import and the public form").
    SQLITE_BUSY_SECONDS = env_int("TREMPLIN_SQLITE_BUSY_SECONDS", default=20)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": SQLITE_BUSY_SECONDS,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"

# django-allauth: e-mail login, no public sign-up (staff are invited), throttled failures.
ACCOUNT_ADAPTER = "tremplin.core.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
# Reverse proxies in front of the application: the client's address is read from
# X-Forwarded-For only through them (core.client_address, README "Behind a reverse proxy").
# Either how many proxies stand in front, or their addresses/networks (which wins if both).
TREMPLIN_TRUSTED_PROXY_HOPS = env_int("TREMPLIN_TRUSTED_PROXY_HOPS", default=0, minimum=0)
TREMPLIN_TRUSTED_PROXIES = env_networks("TREMPLIN_TRUSTED_PROXIES")
# Failed logins are limited per e-mail and per address, over a sliding window: an attacker
# can slow a user down for minutes, never lock them out for good.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_rates("TREMPLIN_LOGIN_RATE_LIMIT", "10/m/ip,5/5m/key"),
}
# What anyone can do without an account, limited per client address and, for the resume
# link, per e-mail address (core.throttling, the same mechanism as the sign-in limit).
TREMPLIN_RATE_LIMITS = {
    "application_start": env_rates("TREMPLIN_APPLICATION_RATE_LIMIT", "10/m/ip,100/h/ip"),
    "session_registration": env_rates("TREMPLIN_REGISTRATION_RATE_LIMIT", "10/m/ip,100/h/ip"),
    "resume_link_mail": env_rates("TREMPLIN_RESUME_MAIL_RATE_LIMIT", "5/m/ip,30/h/ip,3/h/key"),
    # training (sheets): a learner's room code; a whole room signs from one address.
    "attendance_sign": env_rates("TREMPLIN_SIGN_RATE_LIMIT", "60/m/ip,600/h/ip,8/10m/key"),
    # training: certificate verification pages (each answer reads one certificate)
    "certificate_verify": env_rates("TREMPLIN_CERTIFICATE_VERIFY_RATE_LIMIT", "30/m/ip,300/h/ip"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tremplin"

# Multi-factor authentication is required for every role that can see sensitive data.
# Only the demo settings may let the printed demo logins in without it.
TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA = False

# Idle session timeout: the session ends after this many seconds without a request.
SESSION_COOKIE_AGE = env_int("TREMPLIN_IDLE_TIMEOUT_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en"
# Every language the interface can speak. Staff pages are offered only STAFF_LANGUAGES; what
# an applicant sees (the public form, information-session registration, the placement test,
# the messages) is offered in the languages their organisation chose among LANGUAGES
# (tremplin/network/languages.py, docs/languages.md).
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ar", _("Arabic")),
    ("km", _("Khmer")),
    ("vi", _("Vietnamese")),
]
STAFF_LANGUAGES = ["en", "fr", "ar"]
LANGUAGE_COOKIE_NAME = "tremplin_language"
# Set by core.language_cookie (the switcher, an applicant's resume link); Secure in production.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [Path(env_str("TREMPLIN_LOCALE_DIR", str(BASE_DIR / "locale")))]
USE_I18N = True
# Dates in the reader's language, and never month/day/year: English uses day month year
# (config/formats/en). Inputs send ISO dates whatever the language (core.forms).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    # Khmer on phones without the script and in PDFs (docs/decisions/0019-khmer-font.md).
    ("vendor/noto-sans-khmer", NODE_MODULES / "@fontsource" / "noto-sans-khmer" / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Files uploaded by organisations (pictures and recordings of placement questions). Never
# served from here directly: placement:item-file checks who may see each file.
MEDIA_ROOT = DATA_DIR / "media"

# Sensitive fields are encrypted with the first key; the others still decrypt (rotation).
# Each key is checked here: a malformed one stops the start with a clear message.
TREMPLIN_ENCRYPTION_KEYS = env_fernet_keys(
    "TREMPLIN_ENCRYPTION_KEYS",
    # A fixed key for development and the demo only; production settings refuse it.
    "dHJlbXBsaW4tZGV2ZWxvcG1lbnQta2V5LW9ubHkhISE=",
)

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tremplin <no-reply@tremplin.example>")

# SMS to applicants (tremplin/messaging/sms.py): "console" prints them, "http" posts
# {"to", "text", "sender"} as JSON to TREMPLIN_SMS_URL with the bearer TREMPLIN_SMS_TOKEN.
TREMPLIN_SMS_BACKEND = env_str("TREMPLIN_SMS_BACKEND", "console")
TREMPLIN_SMS_URL = env_str("TREMPLIN_SMS_URL", "")
TREMPLIN_SMS_TOKEN = env_str("TREMPLIN_SMS_TOKEN", "")
TREMPLIN_SMS_SENDER = env_str("TREMPLIN_SMS_SENDER", "Tremplin")
TREMPLIN_SMS_TIMEOUT = env_int("TREMPLIN_SMS_TIMEOUT", default=10)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
    }

PHONENUMBER_DEFAULT_REGION = None
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# Lists paginate at this size.
TREMPLIN_PAGE_SIZE = 25
# Funder views hide any count below this size (small-cell suppression).
TREMPLIN_SMALL_CELL_THRESHOLD = 5
# Invitations sent to staff stay valid this many days.
TREMPLIN_INVITATION_DAYS = 14
# Files uploaded for an import wait here between the check and the import (personal data:
# each is deleted once imported, and any left behind after a day at the next upload).
TREMPLIN_IMPORT_DIR = Path(env_str("TREMPLIN_IMPORT_DIR", str(DATA_DIR / "imports")))

# training (alerts): the address of this installation, for links in messages sent with no
# request at hand (the end-of-course survey at graduation, alerts raised in the background).
TREMPLIN_BASE_URL = env_str("TREMPLIN_BASE_URL", "http://localhost:8000/")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_sensitive": {"()": "tremplin.core.logging.MaskSensitiveFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_sensitive"]},
    },
    "root": {"handlers": ["console"], "level": env_str("TREMPLIN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

FORM_RENDERER = "tremplin.core.forms.TremplinFormRenderer"

# A one-time code typed in the last seconds of its 30-second window still counts when it
# reaches the server just after (one step of tolerance, as RFC 6238 recommends).
MFA_TOTP_TOLERANCE = 1
