"""Settings for the test suite."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "x" * 40)

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, DEFAULT_SQLITE_PATH

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TREMPLIN_SMS_BACKEND = "memory"
TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA = False
if DATABASES["default"]["NAME"] == str(DEFAULT_SQLITE_PATH):
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["OPTIONS"] = {}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise looks there

# Uploaded files go to a directory of this test process (created at the first upload, removed
# at its end); tests that look at the files point MEDIA_ROOT at their own tmp_path.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"tremplin-test-media-{os.getpid()}"
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
