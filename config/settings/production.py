"""Production: every secret from the environment, HTTPS only, MFA always required."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["DJANGO_DEBUG"] = "false"

from config.settings.base import *  # noqa: F403
from config.settings.base import (
    SECRET_KEY,
    STORAGES,
    TREMPLIN_ENCRYPTION_KEYS,
)
from config.settings.environment import env_bool, env_int, env_str

DEBUG = False
if SECRET_KEY.startswith("insecure-") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a long random value.")
if "dHJlbXBsaW4tZGV2ZWxvcG1lbnQta2V5LW9ubHkhISE=" in TREMPLIN_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("TREMPLIN_ENCRYPTION_KEYS must not contain the development key.")
env_str("DATABASE_URL")  # production names its database explicitly
if env_str("TREMPLIN_SMS_BACKEND", "console") == "http":
    env_str("TREMPLIN_SMS_URL")  # the gateway's address, or the app does not start

# Never: every role that can see sensitive data enrols an authenticator.
TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA = False

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
