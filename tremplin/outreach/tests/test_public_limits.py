"""Registering for an information session is limited per connection: a script cannot fill a
session from one address. Requests are counted; the clock is held still."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.outreach.models import Registration
from tremplin.outreach.tests.test_pages import schedule


@pytest.fixture(autouse=True)
def _clock_held_still(monkeypatch: pytest.MonkeyPatch) -> None:
    from allauth.core.internal import ratelimit

    frozen = SimpleNamespace(time=lambda: 1_000_000.0, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(ratelimit, "time", frozen)


def _register(url: str, n: int, address: str, language: str = "en") -> int:
    response = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language).post(
        url,
        {
            "given_names": f"Person {n}",
            "family_name": "Test",
            "phone": f"+336123456{n:02d}",
            "channel": "social_media",
            "consent": "on",
        },
    )
    return response.status_code


def test_registrations_from_one_address_are_limited_and_others_still_register(
    world: World,
) -> None:
    session = schedule(world, capacity=50)
    url = reverse("outreach:public-register", args=[session.public_key])
    # A form sent back with mistakes is not counted.
    visitor = Client(REMOTE_ADDR="203.0.113.5")
    for _n in range(15):
        assert visitor.post(url, {"given_names": "Lina"}).status_code == 200
    assert [_register(url, n, "203.0.113.5") for n in range(10)] == [200] * 10
    response = Client(REMOTE_ADDR="203.0.113.5", HTTP_ACCEPT_LANGUAGE="fr").post(url, {})
    assert response.status_code == 200  # mistakes are shown, even past the limit
    assert _register(url, 10, "203.0.113.5", language="fr") == 429
    assert Registration.objects.filter(session=session).count() == 10
    assert _register(url, 11, "198.51.100.7") == 200
    assert Registration.objects.filter(session=session).count() == 11
