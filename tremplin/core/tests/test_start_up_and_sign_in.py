"""What the application refuses at start-up (a malformed encryption key), the language
cookie's flags, and the sign-in page of a service without public sign-up."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client, override_settings
from django.urls import reverse

GOOD_KEY = "u0zFQx4q9wKXH3bYJ1J2cJkq0x7y1Q8QK3G4o3Zx1mE="


def _start(keys: str) -> subprocess.CompletedProcess[str]:
    """Start Django (settings loaded, apps ready) with these keys in the environment."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TREMPLIN_ENCRYPTION_KEYS": keys,
        },
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("keys", "which"),
    [
        ("not-a-key", "key 1 of 1"),
        (f"{GOOD_KEY},{GOOD_KEY[:-2]}", "key 2 of 2"),  # cut short
        (f"{GOOD_KEY},{'é' * 44}", "key 2 of 2"),
        (" , ", "at least one key"),
    ],
)
def test_a_malformed_encryption_key_stops_the_start_with_a_clear_message(
    keys: str, which: str
) -> None:
    result = _start(keys)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured: TREMPLIN_ENCRYPTION_KEYS" in last_line
    assert which in last_line
    assert "generate-encryption-key" in last_line
    assert "not-a-key" not in result.stderr  # a key is never printed


def test_well_formed_keys_start() -> None:
    assert _start(f"{GOOD_KEY},{GOOD_KEY}").returncode == 0


def production_cookie_flags() -> dict[str, bool]:
    """The cookie flags of the production settings, loaded as production loads them."""
    code = (
        "import config.settings.production as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    env = {
        "DJANGO_SECRET_KEY": "p" * 64,
        "TREMPLIN_ENCRYPTION_KEYS": GOOD_KEY,
        "DATABASE_URL": "sqlite:////tmp/never-used.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    language, session, csrf = (word == "True" for word in result.stdout.split())
    return {
        "LANGUAGE_COOKIE_SECURE": language,
        "SESSION_COOKIE_SECURE": session,
        "CSRF_COOKIE_SECURE": csrf,
    }


def test_production_cookies_are_secure() -> None:
    assert all(production_cookie_flags().values())


@pytest.mark.django_db
def test_the_language_switcher_sets_a_secure_cookie_under_production_settings() -> None:
    with override_settings(**production_cookie_flags()):
        response = Client().post(reverse("core:set-language"), {"language": "fr", "next": "/"})
    cookie = response.cookies["tremplin_language"]
    assert cookie.value == "fr"
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_sign_in_page_does_not_ask_to_sign_up(language: str) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page
    assert "sign up" not in page.lower()
    assert "inscri" not in page.lower()  # "inscrivez-vous" in French
    assert 'name="password"' in page
