"""The client's address is read through the trusted proxies only, and the sign-in throttle
counts per client, not per proxy."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from conftest import World
from tremplin.core.client_address import client_address

PROXY = "10.0.0.2"


def _address(remote: str, forwarded: str | None = None, **settings: object) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    defaults: dict[str, object] = {"TREMPLIN_TRUSTED_PROXY_HOPS": 0, "TREMPLIN_TRUSTED_PROXIES": []}
    with override_settings(**{**defaults, **settings}):
        return client_address(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_forwarded_header_is_ignored() -> None:
    assert _address("198.51.100.9", "203.0.113.7") == "198.51.100.9"


def test_one_hop_takes_the_address_the_proxy_saw_not_what_the_client_wrote() -> None:
    assert _address(PROXY, "203.0.113.7", TREMPLIN_TRUSTED_PROXY_HOPS=1) == "203.0.113.7"
    # A client that sends its own header cannot choose its address: the proxy appends.
    forged = "1.2.3.4, 203.0.113.7"
    assert _address(PROXY, forged, TREMPLIN_TRUSTED_PROXY_HOPS=1) == "203.0.113.7"


def test_two_hops() -> None:
    chain = "1.2.3.4, 203.0.113.7, 10.0.0.9"
    assert _address(PROXY, chain, TREMPLIN_TRUSTED_PROXY_HOPS=2) == "203.0.113.7"
    # Fewer entries than proxies: the farthest address known.
    assert _address(PROXY, "203.0.113.7", TREMPLIN_TRUSTED_PROXY_HOPS=3) == "203.0.113.7"
    assert _address(PROXY, None, TREMPLIN_TRUSTED_PROXY_HOPS=2) == PROXY


def test_a_list_of_proxies_skips_each_of_ours_from_the_right() -> None:
    ours = ["10.0.0.0/8", "2001:db8::1"]
    chain = "1.2.3.4, 203.0.113.7, 10.0.0.9"
    assert _address(PROXY, chain, TREMPLIN_TRUSTED_PROXIES=ours) == "203.0.113.7"
    assert _address("2001:db8::1", "[2001:db8::2]:443", TREMPLIN_TRUSTED_PROXIES=ours) == (
        "2001:db8::2"
    )
    # A request from outside the list comes straight from the client: no header believed.
    assert _address("198.51.100.9", "1.2.3.4", TREMPLIN_TRUSTED_PROXIES=ours) == "198.51.100.9"
    # Every hop ours: the farthest.
    assert _address(PROXY, "10.1.1.1", TREMPLIN_TRUSTED_PROXIES=ours) == "10.1.1.1"


@pytest.mark.parametrize("forwarded", ["", "not an address", ",,,", "203.0.113.7:80"])
def test_odd_headers_give_an_address(forwarded: str) -> None:
    address = _address(PROXY, forwarded, TREMPLIN_TRUSTED_PROXY_HOPS=1)
    assert address in {PROXY, "203.0.113.7"}


def _fail_sign_in(client: Client, number: int, address: str) -> None:
    client.post(
        reverse("account_login"),
        {"login": f"nobody{number}@example.org", "password": "wrong password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@override_settings(TREMPLIN_TRUSTED_PROXY_HOPS=1)
def test_behind_a_proxy_failed_sign_ins_slow_down_one_client_not_everyone(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allauth.core.internal import ratelimit

    cache.clear()
    frozen = SimpleNamespace(time=lambda: 1_000_000.0, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(ratelimit, "time", frozen)
    attacker = Client()
    for number in range(10):  # the limit per address: 10 a minute
        _fail_sign_in(attacker, number, "203.0.113.66")
    # The attacker's address is slowed down, even with the right password...
    attacker.post(
        reverse("account_login"),
        {"login": "trainer_a1@example.org", "password": "a-long-test-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert "_auth_user_id" not in attacker.session
    # ...and forging the header does not help...
    attacker.post(
        reverse("account_login"),
        {"login": "trainer_a1@example.org", "password": "a-long-test-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.66",
    )
    assert "_auth_user_id" not in attacker.session
    # ...while a trainer signing in through the same proxy from elsewhere gets in.
    trainer = Client()
    response = trainer.post(
        reverse("account_login"),
        {"login": "trainer_a1@example.org", "password": "a-long-test-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TREMPLIN_TRUSTED_PROXIES", "10.0.0.0/8,proxy.example.org", "'proxy.example.org'"),
        ("TREMPLIN_TRUSTED_PROXY_HOPS", "-1", "at least 0"),
        ("TREMPLIN_TRUSTED_PROXY_HOPS", "two", "whole number"),
    ],
)
def test_a_malformed_proxy_setting_stops_the_start(variable: str, value: str, message: str) -> None:
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", variable: value},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert variable in last_line
    assert message in last_line
