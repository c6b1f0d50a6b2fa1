"""The placement test's private link goes to the applicant by e-mail or SMS when staff start
the test, is shown to staff, and is sent again (a new link) from the application page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.messaging.models import Message
from tremplin.people.tests.factories import PersonFactory
from tremplin.placement.bank import bank_install_shipped
from tremplin.placement.models import Attempt
from tremplin.placement.services import attempts as services
from tremplin.selection.tests.builders import applicant, open_call

LINK = re.compile(r"https?://testserver/placement/test/[\w-]+/")


@pytest.fixture
def bank(world: World) -> None:
    bank_install_shipped(world.alpha)


def test_starting_a_test_sends_the_link_by_sms_and_shows_it(
    world: World,
    bank: None,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        page = world.client_for("officer_a1").post(
            reverse("placement:attempt-start"),
            {"person": person.pk, "programme": world.programme_alpha.pk, "language": "fr"},
        )
    shown = LINK.findall(page.content.decode())
    assert shown
    assert [s["to"] for s in sms_gateway.received] == ["+33611223344"]
    assert shown[0] in sms_gateway.texts()[0]
    assert "test de positionnement" in sms_gateway.texts()[0]
    assert smtp_inbox.messages == []
    assert Message.objects.get().kind == "test_link"


def test_staff_send_a_new_link_from_the_application_page_and_the_old_one_stops(
    world: World,
    bank: None,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = open_call(world)
    application = applicant(call, world.amina)
    started = services.attempt_start(
        actor=world.users["officer_a1"],
        person=world.amina,
        programme=world.programme_alpha,
        application_id=application.pk,
    )
    officer = world.client_for("officer_a1")
    page = officer.get(reverse("selection:application-detail", args=[application.pk]))
    send = reverse("placement:attempt-link-send", args=[started.attempt.pk])
    assert send in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        page = officer.post(send)
    new_link = LINK.findall(page.content.decode())[0]
    assert started.token not in new_link
    assert [m["To"] for m in smtp_inbox.messages] == ["amina@example.org"]
    assert new_link in smtp_inbox.body(0)
    assert [s["to"] for s in sms_gateway.received] == ["+33612345678"]
    assert new_link in sms_gateway.texts()[0]
    assert _status_of_link(world, started.token) == 404
    assert _status_of_link(world, new_link.rsplit("/", 2)[-2]) == 200
    event = audit_events_for(started.attempt).filter(action=AuditAction.ATTEMPT_LINK_ISSUED).get()
    assert event.actor == world.users["officer_a1"]
    # the messages show on the application page
    page = officer.get(reverse("selection:application-detail", args=[application.pk]))
    assert "Placement test link" in page.content.decode()


def _status_of_link(world: World, token: str) -> int:
    from django.test import Client

    return Client().get(reverse("placement:take", kwargs={"token": token})).status_code


def test_no_link_for_a_finished_test_nor_for_another_organisation(world: World, bank: None) -> None:
    started = services.attempt_start(
        actor=world.users["officer_a1"], person=world.amina, programme=world.programme_alpha
    )
    with pytest.raises(PermissionDenied):
        services.attempt_link_send(
            actor=world.users["manager_b1"], attempt=started.attempt, base_url="http://x/"
        )
    Attempt.objects.filter(pk=started.attempt.pk).update(
        state="finished", next_item=None, finished_at=timezone.now()
    )
    started.attempt.refresh_from_db()
    with pytest.raises(ValidationError):
        services.attempt_link_send(
            actor=world.users["officer_a1"], attempt=started.attempt, base_url="http://x/"
        )
