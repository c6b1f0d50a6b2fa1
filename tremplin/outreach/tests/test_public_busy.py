"""Registering for an information session while a large import holds SQLite's lock: the
registrant sees what they typed again with a word to send it in a minute (503), never a 500
(core.busy, as on the public application form)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.outreach import services
from tremplin.outreach.models import Registration
from tremplin.outreach.tests.test_pages import schedule

TYPED = {
    "given_names": "Sokha",
    "family_name": "Chan",
    "phone": "+33612345678",
    "email": "sokha@example.org",
    "channel": "social_media",
    "consent": "on",
}


def _locked(**_kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def test_a_locked_database_gives_a_busy_page_that_keeps_the_registration_typed(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = schedule(world, capacity=5)
    url = reverse("outreach:public-register", args=[session.public_key])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    monkeypatch.setattr(services, "registration_create", _locked)
    response = client.post(url, TYPED)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The site is very busy for a moment." in page
    assert "your answers are kept on this page" in page
    for typed in ("Sokha", "Chan", "sokha@example.org"):
        assert f'value="{typed}"' in page
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', page)
    assert consent is not None
    assert "checked" in consent.group(0)
    assert not Registration.objects.exists()
    # The database free again, the same answers go through.
    monkeypatch.undo()
    response = client.post(url, TYPED)
    assert response.status_code == 200
    assert "You are registered." in response.content.decode()
    assert Registration.objects.get(session=session).given_names == "Sokha"


def test_another_database_error_on_registration_is_not_taken_for_a_busy_database(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = schedule(world, capacity=5)
    url = reverse("outreach:public-register", args=[session.public_key])

    def broken(**_kwargs: Any) -> Any:
        raise OperationalError("no such table: outreach_registration")

    monkeypatch.setattr(services, "registration_create", broken)
    with pytest.raises(OperationalError):
        Client().post(url, TYPED)
