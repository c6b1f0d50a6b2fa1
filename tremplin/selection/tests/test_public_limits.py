"""Anyone can start an application or have a resume link mailed, but not a hundred times a
minute from one connection, nor to one e-mail address. Requests are counted; the clock is
held still."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from conftest import World
from tremplin.selection.models import Application
from tremplin.selection.tests.builders import open_call
from tremplin.selection.tests.test_application_form import ABOUT, CONTACT, _step


@pytest.fixture(autouse=True)
def _clock_held_still(monkeypatch: pytest.MonkeyPatch) -> None:
    from allauth.core.internal import ratelimit

    frozen = SimpleNamespace(time=lambda: 1_000_000.0, monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(ratelimit, "time", frozen)


def _start(call: Any, address: str, language: str = "en") -> Any:
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
    return client, response


def test_drafts_from_one_address_are_limited_and_others_still_apply(world: World) -> None:
    call = open_call(world)
    # Coming back to one's own draft is never counted.
    client, _response = _start(call, "203.0.113.5")
    for _n in range(20):
        response = client.post(reverse("selection:apply-start", kwargs={"slug": call.slug}))
        assert response.status_code == 302
    for _n in range(9):  # the default: 10 new drafts a minute from one address
        _client, response = _start(call, "203.0.113.5")
        assert response.status_code == 302
    _client, refused = _start(call, "203.0.113.5", language="fr")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert 'lang="fr"' in page
    assert "Trop de tentatives" in page
    assert Application.objects.filter(call=call).count() == 10
    # Someone else, on another connection, starts as usual.
    _client, response = _start(call, "198.51.100.7")
    assert response.status_code == 302
    assert Application.objects.filter(call=call).count() == 11


def test_the_limit_page_is_in_arabic_for_an_arabic_reader(world: World) -> None:
    call = open_call(world)
    for _n in range(10):
        _start(call, "203.0.113.5")
    _client, refused = _start(call, "203.0.113.5", language="ar")
    assert refused.status_code == 429
    assert 'dir="rtl"' in refused.content.decode()


def _draft_with_email(call: Any, address: str, email: str) -> Client:
    client, _response = _start(call, address)
    client.post(_step(call, 1), ABOUT)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the link leaves after the commit
        response = client.post(_step(call, 2), {**CONTACT, "email": email})
    assert response.status_code == 302
    return client


def _resume_mails(email: str) -> int:
    return sum(1 for m in mail.outbox if email in m.to and "link" in m.subject.lower())


def test_resume_links_to_one_e_mail_address_are_limited(world: World) -> None:
    call = open_call(world)
    victim = "someone@example.org"
    for n in range(3):  # the default: 3 an hour to one address, from anywhere
        _draft_with_email(call, f"203.0.113.{n + 1}", victim)
    assert _resume_mails(victim) == 3
    client = _draft_with_email(call, "198.51.100.9", victim)
    assert _resume_mails(victim) == 3
    # The step is saved all the same, and the page says to keep the link it shows.
    page = client.get(_step(call, 3)).content.decode()
    assert "could not e-mail your link" in page
    assert "/selection/apply/" in page  # the resume link, on the page
    assert Application.objects.get(answers__email=victim, pk=_draft_id(client, call)).step == 3


def _draft_id(client: Client, call: Any) -> int:
    return int(client.session[f"apply:{call.pk}"]["id"])


def test_resume_links_from_one_address_are_limited(world: World) -> None:
    call = open_call(world)
    for n in range(5):  # the default: 5 a minute from one address
        _draft_with_email(call, "203.0.113.5", f"person{n}@example.org")
    _draft_with_email(call, "203.0.113.5", "person5@example.org")
    assert [_resume_mails(f"person{n}@example.org") for n in range(6)] == [1, 1, 1, 1, 1, 0]
    _draft_with_email(call, "198.51.100.9", "person6@example.org")
    assert _resume_mails("person6@example.org") == 1
