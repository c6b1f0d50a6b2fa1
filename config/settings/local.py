"""Development and demo: the embedded SQLite database, mail on the console."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from config.settings.base import *  # noqa: F403

# The printed demo logins may enter without enrolling an authenticator, so a newcomer
# can try the app at once. Production settings never allow this.
TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA = True

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise looks there
