"""Someone who registers for an information session is told by SMS or e-mail: their seat, or
their place on the waiting list, and later the seat that became free."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.messaging.models import Message
from tremplin.outreach.services import registration_cancel
from tremplin.outreach.tests.test_registrations import make_session, register


def test_a_public_registration_is_confirmed_by_sms_in_the_pages_language(
    world: World, sms_gateway: Gateway, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    session = make_session(world, capacity=5)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("outreach:public-register", kwargs={"key": session.public_key}),
            {
                "given_names": "Awa",
                "family_name": "Ndiaye",
                "phone": "+33 6 33 44 55 66",
                "channel": "word_of_mouth",
                "consent": "on",
            },
        )
    assert [s["to"] for s in sms_gateway.received] == ["+33633445566"]
    text = sms_gateway.texts()[0]
    assert "vous êtes inscrit à « Discover DigiConnect »" in text
    assert "12 rue Nationale, Lille" in text
    assert smtp_inbox.messages == []
    assert Message.objects.get().kind == "invitation"


def test_the_waiting_list_then_the_free_seat_are_told(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    session = make_session(world, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = register(session, 1, language="en")
        register(session, 2, language="en")
    assert "waiting list" in sms_gateway.texts("+33612345602")[0]
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    # the free seat is told in the session's language (French here)
    assert "vous êtes inscrit" in sms_gateway.texts("+33612345602")[-1]


def test_a_walk_in_gets_no_message(world: World, sms_gateway: Gateway) -> None:
    session = make_session(world, capacity=1)
    register(session, 1, walk_in=True)
    assert not Message.objects.exists()
