"""Those invited to an appointment are told wherever they are: applicants with only a phone by
SMS (with a private link to the appointment and its calendar file), applicants with an e-mail
address by e-mail with the .ics, staff by e-mail in their language. A change sends a
calendar file with the same UID and a higher SEQUENCE; a cancellation sends METHOD:CANCEL."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from icalendar import Calendar

from conftest import World
from tests.mail import Inbox
from tests.sms import Gateway
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent, User
from tremplin.network.models import Site
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Appointment, Call, StageKind
from tremplin.selection.services.appointments import (
    appointment_change,
    appointment_schedule,
)
from tremplin.selection.tests.builders import applicant, open_call

DAY = dt.date(2027, 3, 15)
BASE = "https://tremplin.example.org/"


def _call(world: World) -> Call:
    Site.objects.filter(pk=world.north.pk).update(timezone="Europe/Paris", default_language="fr")
    return open_call(world)


def _calendar(message: Any) -> Any:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def _schedule(world: World, call: Call, applications: list[Any], staff: list[User]) -> Appointment:
    interview = call.stages.get(kind=StageKind.INTERVIEW)
    return appointment_schedule(
        actor=world.users["officer_a1"],
        stage=interview,
        date=DAY,
        starts_at=dt.time(9, 30),
        ends_at=dt.time(10, 15),
        place="12 rue Nationale, Lille",
        applications=applications,
        staff=staff,
        base_url=BASE,
    )


def test_an_applicant_with_only_a_phone_gets_an_sms_with_a_link_to_the_appointment(
    world: World,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = _call(world)
    person = PersonFactory(site=world.north, email="", phone="+33612345678")
    application = applicant(call, person)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = _schedule(world, call, [application], [])

    assert smtp_inbox.messages == []
    [text] = sms_gateway.texts("+33612345678")
    assert "09:30" in text
    assert "12 rue Nationale, Lille" in text
    assert "15/03/2027" in text or "15/03/27" in text  # the applicant's language: French
    link = re.search(r"https://tremplin\.example\.org(/\S+)", text)
    assert link is not None
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "12 rue Nationale, Lille" in page.content.decode()
    ics = client.get(link.group(1) + "calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["uid"]) == appointment.uid
    assert client.get(link.group(1).replace("/appointment/", "/appointment/x")).status_code == 404


def test_an_applicant_with_an_address_gets_the_ics_by_email_through_the_service(
    world: World,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tremplin.messaging.models import Message

    call = _call(world)
    person = PersonFactory(site=world.north, email="sokha@example.org", phone="")
    application = applicant(call, person)

    with django_capture_on_commit_callbacks(execute=True):
        appointment = _schedule(world, call, [application], [])

    [mail] = smtp_inbox.messages
    assert mail["To"] == "sokha@example.org"
    assert str(_calendar(mail).walk("VEVENT")[0]["uid"]) == appointment.uid
    assert sms_gateway.received == []
    message = Message.objects.get(kind="invitation")
    assert message.status == Message.Status.SENT
    assert message.subject_id == application.pk


def test_a_staff_member_is_invited_in_their_language_else_the_sites(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = _call(world)
    application = applicant(call, PersonFactory(site=world.north, email="", phone=""))
    arabic = world.users["interviewer_a1"]
    User.objects.filter(pk=arabic.pk).update(preferred_language="ar")
    no_preference = world.users["investigator_a1"]
    User.objects.filter(pk=no_preference.pk).update(preferred_language="")

    with django_capture_on_commit_callbacks(execute=True):
        _schedule(world, call, [application], [arabic, no_preference])

    bodies = {m["To"]: m for m in smtp_inbox.messages}
    assert set(bodies) == {arabic.email, no_preference.email}
    for message in smtp_inbox.messages:
        _calendar(message)
    texts = {to: smtp_inbox.body(smtp_inbox.messages.index(m)) for to, m in bodies.items()}
    assert "مرحب" in texts[arabic.email] or "السلام" in texts[arabic.email]
    assert "Bonjour" in texts[no_preference.email]


def test_a_change_tells_everyone_with_the_same_uid_and_a_higher_sequence(
    world: World,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = _call(world)
    by_mail = applicant(call, PersonFactory(site=world.north, email="a@example.org", phone=""))
    by_sms = applicant(call, PersonFactory(site=world.north, email="", phone="+33611111111"))
    removed = applicant(call, PersonFactory(site=world.north, email="r@example.org", phone=""))
    interviewer = world.users["interviewer_a1"]
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _schedule(world, call, [by_mail, by_sms, removed], [interviewer])
    smtp_inbox.messages.clear()
    sms_gateway.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_change(
            actor=world.users["officer_a1"],
            appointment=appointment,
            date=DAY + dt.timedelta(days=1),
            starts_at=dt.time(14, 0),
            ends_at=dt.time(15, 0),
            place="Salle 4",
            applications=[by_mail, by_sms],
            staff=[interviewer],
            base_url=BASE,
        )

    by_to = {m["To"]: _calendar(m) for m in smtp_inbox.messages}
    assert set(by_to) == {"a@example.org", "r@example.org", interviewer.email}
    changed = by_to["a@example.org"].walk("VEVENT")[0]
    assert str(by_to["a@example.org"]["method"]) == "REQUEST"
    assert str(changed["uid"]) == appointment.uid
    assert int(changed["sequence"]) > 0
    assert changed.decoded("dtstart").hour == 14
    assert str(changed["location"]) == "Salle 4"
    assert str(by_to[interviewer.email]["method"]) == "REQUEST"
    cancelled = by_to["r@example.org"]
    assert str(cancelled["method"]) == "CANCEL"
    assert str(cancelled.walk("VEVENT")[0]["uid"]) == appointment.uid
    [text] = sms_gateway.texts("+33611111111")
    assert "14:00" in text
    assert "Salle 4" in text
    event = AuditEvent.objects.get(action=AuditAction.APPOINTMENT_CHANGED)
    assert event.changes["place"] == {"from": "12 rue Nationale, Lille", "to": "Salle 4"}
    assert event.changes["applicants"] == {"from": 3, "to": 2}


def test_a_cancellation_tells_everyone_by_email_and_sms(
    world: World,
    sms_gateway: Gateway,
    smtp_inbox: Inbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    call = _call(world)
    by_mail = applicant(call, PersonFactory(site=world.north, email="a@example.org", phone=""))
    by_sms = applicant(call, PersonFactory(site=world.north, email="", phone="+33622222222"))
    interviewer = world.users["interviewer_a1"]
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _schedule(world, call, [by_mail, by_sms], [interviewer])
    uid = appointment.uid
    smtp_inbox.messages.clear()
    sms_gateway.received.clear()
    url = reverse("selection:appointment-cancel", kwargs={"appointment_id": appointment.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for("officer_a1").post(url)

    assert response.status_code == 302
    assert not Appointment.objects.exists()
    calendars = [_calendar(m) for m in smtp_inbox.messages]
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(
        ["a@example.org", interviewer.email]
    )
    for calendar in calendars:
        assert str(calendar["method"]) == "CANCEL"
        event = calendar.walk("VEVENT")[0]
        assert str(event["uid"]) == uid
        assert int(event["sequence"]) == 1
        assert str(event["status"]) == "CANCELLED"
    [text] = sms_gateway.texts("+33622222222")
    assert "annul" in text.lower() or "cancel" in text.lower()
    assert AuditEvent.objects.filter(action=AuditAction.APPOINTMENT_CANCELLED).count() == 1


def test_the_change_page_saves_and_is_for_those_who_run_the_call(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = _call(world)
    application = applicant(call, PersonFactory(site=world.north, email="a@example.org"))
    appointment = _schedule(world, call, [application], [])
    url = reverse("selection:appointment-edit", kwargs={"appointment_id": appointment.pk})
    officer = world.client_for("officer_a1")
    page = officer.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert f'value="{DAY.isoformat()}"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            url,
            {
                "date": DAY.isoformat(),
                "starts_at": "11:00",
                "ends_at": "12:00",
                "place": "Salle 2",
                "video_link": "",
                "note": "",
                "applications": [application.pk],
                "staff": [],
            },
        )

    assert response.status_code == 302
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.place, appointment.sequence) == (
        dt.time(11, 0),
        "Salle 2",
        1,
    )
    assert len(smtp_inbox.messages) == 1
    assert world.client_for("interviewer_a1").get(url).status_code == 403
    assert world.client_for("manager_b1").get(url).status_code == 404


def test_saving_an_appointment_unchanged_tells_no_one(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = _call(world)
    application = applicant(call, PersonFactory(site=world.north, email="a@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        appointment = _schedule(world, call, [application], [])
    smtp_inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        appointment_change(
            actor=world.users["officer_a1"],
            appointment=appointment,
            date=DAY,
            starts_at=dt.time(9, 30),
            ends_at=dt.time(10, 15),
            place="12 rue Nationale, Lille",
            applications=[application],
        )

    assert smtp_inbox.messages == []
    appointment.refresh_from_db()
    assert appointment.sequence == 0
    assert not AuditEvent.objects.filter(action=AuditAction.APPOINTMENT_CHANGED).exists()
