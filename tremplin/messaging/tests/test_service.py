"""The one notification service: e-mail and SMS by what the applicant gave, after the commit;
failures kept, shown and sent again."""

from __future__ import annotations

import socket
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import World
from tests.mail import Inbox, _free_port
from tests.sms import Gateway
from tremplin.core.audit import audit_events_for
from tremplin.core.audit_actions import AuditAction
from tremplin.messaging.models import Channel, Kind, Message
from tremplin.messaging.services import message_retry, send_to_applicant
from tremplin.people.models import Person
from tremplin.people.tests.factories import PersonFactory

TEMPLATE = "selection/mail/resume"


def _send(world: World, person: Person, **extra: Any) -> list[Message]:
    return send_to_applicant(
        site=world.north,
        kind=Kind.RESUME_LINK,
        template=TEMPLATE,
        context={
            "call": SimpleNamespace(title="Digital basics", site=world.north),
            "resume_url": "https://x/r/1",
        },
        language=extra.pop("language", "en"),
        person=person,
        **extra,
    )


def test_an_applicant_with_only_a_phone_gets_an_sms_through_the_gateway(
    world: World, sms_gateway: Gateway, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(world, person)
    assert [m.channel for m in sent] == [Channel.SMS]
    assert sms_gateway.received == [
        {
            "to": "+33611223344",
            "text": sent[0].body,
            "sender": "Tremplin",
        }
    ]
    assert "https://x/r/1" in sms_gateway.received[0]["text"]
    assert sms_gateway.headers[0]["Authorization"] == "Bearer test-token"
    assert smtp_inbox.messages == []
    message = Message.objects.get()
    assert (message.status, message.attempts, message.person) == ("sent", 1, person)
    assert message.sent_at is not None


def test_an_applicant_with_both_gets_an_email_and_an_sms(
    world: World, sms_gateway: Gateway, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(world, world.amina)
    assert sorted(m.channel for m in sent) == ["email", "sms"]
    assert [m["To"] for m in smtp_inbox.messages] == ["amina@example.org"]
    assert "application link" in smtp_inbox.messages[0]["Subject"]
    assert [s["to"] for s in sms_gateway.received] == ["+33612345678"]
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_an_applicant_who_gave_neither_gets_nothing(world: World, sms_gateway: Gateway) -> None:
    person = PersonFactory(site=world.north, phone="", email="")
    assert _send(world, person) == []
    assert not Message.objects.exists()


def test_nothing_leaves_when_the_transaction_is_rolled_back(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    def send_then_fail() -> None:
        with transaction.atomic():
            _send(world, world.amina)
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        send_then_fail()
    assert sms_gateway.received == []
    assert not Message.objects.exists()


def test_the_message_is_in_the_applicants_language(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, person, language="fr")
    assert "Pour revenir à votre candidature" in sms_gateway.received[0]["text"]
    assert Message.objects.get().language == "fr"


def test_a_gateway_error_is_kept_and_staff_send_it_again(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    sms_gateway.answer = 503
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, person)
    message = Message.objects.get()
    assert message.status == "failed"
    assert "503" in message.error
    assert sms_gateway.received == []

    sms_gateway.answer = 200
    with django_capture_on_commit_callbacks(execute=True):
        message_retry(actor=world.users["officer_a1"], message=message)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.error) == ("sent", 2, "")
    assert len(sms_gateway.received) == 1
    event = audit_events_for(message).get()
    assert (event.action, event.actor) == (AuditAction.MESSAGE_RETRIED, world.users["officer_a1"])
    with pytest.raises(ValidationError):
        message_retry(actor=world.users["officer_a1"], message=message)


def test_an_unreachable_gateway_is_a_failure_with_a_reason(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.TREMPLIN_SMS_BACKEND = "http"
    settings.TREMPLIN_SMS_URL = f"http://127.0.0.1:{port}/send"
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, person)
    message = Message.objects.get()
    assert message.status == "failed"
    assert "could not be reached" in message.error


def test_staff_of_another_site_cannot_send_again(world: World, sms_gateway: Gateway) -> None:
    sms_gateway.answer = 500
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    _send(world, person)
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status="failed")
    message.refresh_from_db()
    with pytest.raises(PermissionDenied):
        message_retry(actor=world.users["manager_b1"], message=message)
    response = world.client_for("manager_b1").post(
        reverse("messaging:message-retry", args=[message.pk])
    )
    assert response.status_code == 404


def test_the_failed_messages_page_lists_them_with_a_button(
    world: World, sms_gateway: Gateway, django_capture_on_commit_callbacks: Any
) -> None:
    sms_gateway.answer = 500
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, person)
    page = world.client_for("officer_a1").get(reverse("messaging:message-list")).content.decode()
    assert "+33611223344" in page
    assert "Not delivered" in page
    assert reverse("messaging:message-retry", args=[Message.objects.get().pk]) in page
    other = world.client_for("manager_b1").get(reverse("messaging:message-list")).content.decode()
    assert "+33611223344" not in other

    sms_gateway.answer = 200
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("officer_a1").post(
            reverse("messaging:message-retry", args=[Message.objects.get().pk]),
            {"next": "https://evil.example/"},
        )
    assert response["Location"] == reverse("messaging:message-list")
    assert Message.objects.get().status == "sent"


def test_the_messages_page_costs_the_same_queries_for_more_messages(world: World) -> None:
    officer = world.client_for("officer_a1")
    url = reverse("messaging:message-list")

    def add(count: int) -> None:
        for _n in range(count):
            Message.objects.create(
                site=world.north,
                person=PersonFactory(site=world.north),
                channel="sms",
                kind="decision",
                status="failed",
                recipient="+33611223344",
                language="fr",
                body="Bonjour",
                error="The SMS gateway answered 500.",
                attempts=1,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert officer.get(url).status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(10)
    assert queries() == few


def test_the_console_backend_prints_the_sms_for_development(
    world: World, settings: Any, capsys: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TREMPLIN_SMS_BACKEND = "console"
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, person)
    printed = capsys.readouterr().out
    assert "SMS to +33611223344 from Tremplin" in printed
    assert "https://x/r/1" in printed
    assert Message.objects.get().status == "sent"


def test_a_backend_is_also_named_by_its_class_path(
    world: World, settings: Any, sms_outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.TREMPLIN_SMS_BACKEND = "tremplin.messaging.sms.MemoryBackend"
    person = PersonFactory(site=world.north, phone="+33611223344", email="")
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, person)
    assert [sms.to for sms in sms_outbox] == ["+33611223344"]


def test_an_attachment_goes_with_the_email_only_and_again_when_sent_again(
    world: World,
    settings: Any,
    smtp_inbox: Inbox,
    sms_gateway: Gateway,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tremplin.messaging.services import Attachment

    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    person = PersonFactory(site=world.north, email="amina@example.org", phone="+33612345678")
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = _free_port()  # nothing listens there: the e-mail fails
    with django_capture_on_commit_callbacks(execute=True):
        _send(world, person, attachments=[Attachment("invitation.ics", ics, "text/calendar")])
    failed = Message.objects.get(channel=Channel.EMAIL)
    assert failed.status == "failed"
    assert len(sms_gateway.received) == 1  # the SMS left, without the file

    settings.EMAIL_PORT = port
    with django_capture_on_commit_callbacks(execute=True):
        message_retry(actor=world.users["officer_a1"], message=failed)

    [mail] = smtp_inbox.messages
    parts = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert [p.get_payload(decode=True) for p in parts] == [ics]
    assert parts[0].get_filename() == "invitation.ics"
