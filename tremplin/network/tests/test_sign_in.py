"""Signing in: MFA for sensitive roles, throttling that never locks out for good, idle
timeout, languages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import World, make_user
from tremplin.network.models import Role
from tremplin.network.services import role_grant


def test_a_manager_without_an_authenticator_is_sent_to_enrol_one(world: World) -> None:
    user, _secret = make_user("new.manager@example.org", mfa=False)
    role_grant(user=user, role=Role.SITE_MANAGER, organisation_id=world.alpha.pk, site=world.north)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("people:person-list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_trainer_is_not_forced_to_enrol(world: World) -> None:
    user, _secret = make_user("new.trainer@example.org", mfa=False)
    role_grant(user=user, role=Role.TRAINER, organisation_id=world.alpha.pk, site=world.north)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("people:person-list")).status_code == 200


def test_demo_logins_skip_mfa_only_under_demo_settings(world: World) -> None:
    user, _secret = make_user("demo.manager@example.org", mfa=False, is_demo_account=True)
    role_grant(user=user, role=Role.SITE_MANAGER, organisation_id=world.alpha.pk, site=world.north)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("people:person-list")).status_code == 302
    with override_settings(TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA=True):
        assert client.get(reverse("people:person-list")).status_code == 200


def _setting_under(module: str, env: dict[str, str]) -> str:
    code = f"import {module} as s; print(s.TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_settings_never_let_demo_logins_skip_mfa() -> None:
    env = {
        "DJANGO_SECRET_KEY": "p" * 64,
        "TREMPLIN_ENCRYPTION_KEYS": "u0zFQx4q9wKXH3bYJ1J2cJkq0x7y1Q8QK3G4o3Zx1mE=",
        "DATABASE_URL": "sqlite:////tmp/never-used.sqlite3",
        "TREMPLIN_DEMO_ACCOUNTS_SKIP_MFA": "true",
    }
    assert _setting_under("config.settings.production", env) == "False"
    assert _setting_under("config.settings.local", env) == "True"


def test_production_settings_refuse_the_development_key() -> None:
    env = {
        "DJANGO_SECRET_KEY": "p" * 64,
        "DATABASE_URL": "sqlite:////tmp/never-used.sqlite3",
        "TREMPLIN_ENCRYPTION_KEYS": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


def _sign_in(client: Client, email: str, password: str) -> int:
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    return response.status_code


def test_failed_sign_ins_slow_down_but_never_lock_out_for_good(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allauth.core.internal import ratelimit
    from django.core.cache import cache

    cache.clear()
    now = [time.time()]
    fake_time = SimpleNamespace(time=lambda: now[0], monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(ratelimit, "time", fake_time)
    client = Client()
    email = "trainer_a1@example.org"
    for _attempt in range(5):
        assert _sign_in(client, email, "wrong password") == 200
    # Throttled: even the right password is refused for now.
    blocked = client.post(
        reverse("account_login"), {"login": email, "password": "a-long-test-password"}
    )
    assert blocked.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
    # Five minutes later the user signs in again.
    now[0] += 5 * 60 + 1
    response = client.post(
        reverse("account_login"), {"login": email, "password": "a-long-test-password"}
    )
    assert response.status_code == 302


def test_the_session_ends_after_idle_time(world: World, settings: object) -> None:
    client = world.client_for("trainer_a1")
    assert client.get(reverse("core:dashboard")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_each_request_pushes_the_idle_deadline(world: World) -> None:
    client = world.client_for("trainer_a1")
    client.get(reverse("core:dashboard"))
    soon = timezone.now() + timezone.timedelta(seconds=60)
    Session.objects.update(expire_date=soon)
    client.get(reverse("core:dashboard"))
    assert Session.objects.get().expire_date > soon


def test_the_preferred_language_wins_over_the_browser(world: World) -> None:
    user = world.users["trainer_a1"]
    user.preferred_language = "fr"
    user.save()
    client = world.client_for("trainer_a1")
    response = client.get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "fr"
    assert 'lang="fr"' in response.content.decode()


def test_the_browser_language_applies_before_sign_in_and_arabic_is_right_to_left() -> None:
    response = Client().get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ar")
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "bootstrap.rtl.min.css" in html
    response = Client().get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="fr"' in response.content.decode()


def test_choosing_a_language_is_remembered_for_the_user(world: World) -> None:
    client = world.client_for("coach_a1")
    client.post(reverse("core:set-language"), {"language": "ar", "next": "/dashboard/"})
    world.users["coach_a1"].refresh_from_db()
    assert world.users["coach_a1"].preferred_language == "ar"
    assert 'dir="rtl"' in client.get(reverse("core:dashboard")).content.decode()


def test_an_unknown_language_is_refused(world: World) -> None:
    response = world.client_for("coach_a1").post(reverse("core:set-language"), {"language": "xx"})
    assert response.status_code == 400
