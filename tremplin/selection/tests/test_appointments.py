"""Appointments: interviews, home visits and selection days at a date, time and place, with
the applicants and staff invited by e-mail, each with a calendar file (.ics)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from icalendar import Calendar

from conftest import World
from tests.mail import Inbox
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import AuditEvent
from tremplin.network.models import Site
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.models import Appointment, Call, StageKind
from tremplin.selection.tests.builders import applicant, open_call

DAY = dt.date(2027, 3, 15)


def _call(world: World) -> Call:
    Site.objects.filter(pk=world.north.pk).update(timezone="Europe/Paris")
    return open_call(world)


def _form(stage_kind: str, call: Call, applications: list[Any], staff: list[Any]) -> Any:
    return {
        "date": DAY.isoformat(),
        "starts_at": "09:30",
        "ends_at": "10:15",
        "place": "12 rue Nationale, Lille",
        "video_link": "",
        "note": "Bring your identity document.",
        "applications": [a.pk for a in applications],
        "staff": [u.pk for u in staff],
    }


def _ics(content: bytes) -> Any:
    return Calendar.from_ical(content).walk("VEVENT")[0]


def test_an_officer_sets_an_interview_and_everyone_gets_the_calendar_file_by_mail(
    world: World, smtp_inbox: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    call = _call(world)
    interview = call.stages.get(kind=StageKind.INTERVIEW)
    person = PersonFactory(site=world.north, email="sokha@example.org")
    application = applicant(call, person, through=interview.position - 1)
    interviewer = world.users["interviewer_a1"]
    url = reverse(
        "selection:appointment-list", kwargs={"call_id": call.pk, "stage_id": interview.pk}
    )
    officer = world.client_for("officer_a1")

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(url, _form("interview", call, [application], [interviewer]))

    assert response.status_code == 302, response.content.decode()[:2000]
    appointment = Appointment.objects.get()
    assert response["Location"] == reverse(
        "selection:appointment-detail", kwargs={"appointment_id": appointment.pk}
    )
    assert AuditEvent.objects.filter(action=AuditAction.APPOINTMENT_SCHEDULED).count() == 1
    assert appointment.invitations_sent_at is not None
    recipients = sorted(m["To"] for m in smtp_inbox.messages)
    assert recipients == sorted(["sokha@example.org", interviewer.email])
    for message in smtp_inbox.messages:
        parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert len(parts) == 1
        event = _ics(parts[0].get_payload(decode=True))
        start = event.decoded("dtstart")
        assert (start.date(), start.hour, start.minute) == (DAY, 9, 30)
        assert str(start.tzinfo) == "Europe/Paris"
        assert event.decoded("dtend").minute == 15
        assert str(event["location"]) == "12 rue Nationale, Lille"
        attendees = {str(a).removeprefix("mailto:") for a in event["attendee"]}
        assert attendees == {"sokha@example.org", interviewer.email}
    assert "9:30" in smtp_inbox.body(0) or "09:30" in smtp_inbox.body(0)


def test_the_calendar_file_downloads_for_those_invited_and_no_one_else(world: World) -> None:
    from tremplin.selection.services.appointments import appointment_schedule

    call = _call(world)
    interview = call.stages.get(kind=StageKind.INTERVIEW)
    application = applicant(call, PersonFactory(site=world.north, email="a@example.org"))
    appointment = appointment_schedule(
        actor=world.users["officer_a1"],
        stage=interview,
        date=DAY,
        starts_at=dt.time(14, 0),
        ends_at=dt.time(15, 0),
        video_link="https://meet.example.org/abc",
        applications=[application],
        staff=[world.users["investigator_a1"]],
    )
    url = reverse("selection:appointment-calendar", kwargs={"appointment_id": appointment.pk})
    response = world.client_for("investigator_a1").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = _ics(response.content)
    assert str(event["location"]) == "https://meet.example.org/abc"
    assert event.decoded("dtstart").hour == 14
    assert world.client_for("interviewer_a1").get(url).status_code == 404
    assert world.client_for("manager_b1").get(url).status_code == 404
    detail = reverse("selection:appointment-detail", kwargs={"appointment_id": appointment.pk})
    assert "calendar.ics" in world.client_for("officer_a1").get(detail).content.decode()


def test_a_field_investigator_sees_the_familys_address_village_and_phone_not_the_sensitive(
    world: World,
) -> None:
    from tremplin.selection.services.appointments import appointment_schedule

    call = _call(world)
    visit = call.stages.get(kind=StageKind.SOCIAL_INVESTIGATION)
    person = PersonFactory(
        site=world.north,
        address="Chemin des Rizières",
        city="Kampong Speu",
        phone="+85512345678",
        administrative_situation="refugee",
    )
    application = applicant(call, person, through=visit.position - 1)
    appointment = appointment_schedule(
        actor=world.users["officer_a1"],
        stage=visit,
        date=DAY,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(11, 0),
        place="Kampong Speu",
        applications=[application],
        staff=[world.users["investigator_a1"]],
    )
    url = reverse("selection:appointment-detail", kwargs={"appointment_id": appointment.pk})

    page = world.client_for("investigator_a1").get(url).content.decode()
    assert "Chemin des Rizières" in page
    assert "Kampong Speu" in page
    assert "tel:+85512345678" in page
    assert "Refugee" not in page
    assert "(sensitive: hidden)" in page

    officer_page = world.client_for("officer_a1").get(url).content.decode()
    assert "Refugee" in officer_page
    assert world.client_for("interviewer_a1").get(url).status_code == 404


def test_the_form_keeps_iso_dates_in_french_and_names_the_wrong_field(world: World) -> None:
    call = _call(world)
    interview = call.stages.get(kind=StageKind.INTERVIEW)
    application = applicant(call, through=interview.position - 1)
    url = reverse(
        "selection:appointment-list", kwargs={"call_id": call.pk, "stage_id": interview.pk}
    )
    officer = world.client_for("officer_a1")
    officer.cookies["django_language"] = "fr"
    data = _form("interview", call, [application], []) | {"ends_at": "09:00", "place": ""}

    response = officer.post(url, data, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="date"' in page
    assert f'value="{DAY.isoformat()}"' in page
    assert 'value="09:30"' in page
    form = response.context["form"]
    assert "ends_at" in form.errors
    assert "place" in form.errors
    assert not Appointment.objects.exists()


def test_the_staff_application_page_shows_the_declared_level_documents_and_appointments(
    world: World,
) -> None:
    from tremplin.selection.services.appointments import appointment_schedule

    call = _call(world)
    Call.objects.filter(pk=call.pk).update(required_language="fr", required_language_level="A2")
    call.refresh_from_db()
    application = applicant(
        call, answers={"language_level": "B1", "documents": ["Identity document"]}
    )
    appointment_schedule(
        actor=world.users["officer_a1"],
        stage=call.stages.get(kind=StageKind.INTERVIEW),
        date=DAY,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(10, 0),
        place="Lille",
        applications=[application],
    )
    url = reverse("selection:application-detail", kwargs={"application_id": application.pk})
    page = world.client_for("officer_a1").get(url).content.decode()
    assert "Declared language level" in page
    assert "B1 — I manage in everyday life" in page
    assert "Identity document" in page
    assert "the applicant says they have it" in page
    assert "Motivation interview" in page


def test_the_investigators_visit_page_shows_the_familys_address_village_and_phone(
    world: World,
) -> None:
    from tremplin.selection.services.appointments import appointment_schedule
    from tremplin.selection.services.investigations import investigation_assign

    call = _call(world)
    visit = call.stages.get(kind=StageKind.SOCIAL_INVESTIGATION)
    person = PersonFactory(
        site=world.north, address="Route 3, house 12", city="Kampong Speu", phone="+85512345678"
    )
    application = applicant(call, person, through=visit.position - 1)
    investigator = world.users["investigator_a1"]
    investigation = investigation_assign(
        actor=world.users["officer_a1"],
        application=application,
        stage=visit,
        investigator=investigator,
    )
    appointment_schedule(
        actor=world.users["officer_a1"],
        stage=visit,
        date=DAY,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(10, 0),
        place="At the family's home",
        applications=[application],
        staff=[investigator],
    )
    url = reverse("selection:investigation-fill", kwargs={"investigation_id": investigation.pk})
    page = world.client_for("investigator_a1").get(url).content.decode()
    assert "Route 3, house 12" in page
    assert "Kampong Speu" in page
    assert "tel:+85512345678" in page
    assert "At the family&#x27;s home" in page


def test_a_home_visit_scheduled_with_an_investigator_gives_them_the_visit_forms(
    world: World,
) -> None:
    """Issue 12 (tester): the investigator was invited, but their "Home visits" stayed empty
    until a separate assignment on the stage's table."""
    from tremplin.selection.models import SocialInvestigation
    from tremplin.selection.services.appointments import appointment_schedule

    call = _call(world)
    visit = call.stages.get(kind=StageKind.SOCIAL_INVESTIGATION)
    ready = [applicant(call, through=visit.position - 1) for _n in range(2)]
    early = applicant(call, through=0)  # not at the home visit yet
    investigator = world.users["investigator_a1"]
    appointment_schedule(
        actor=world.users["officer_a1"],
        stage=visit,
        date=DAY,
        starts_at=dt.time(9, 0),
        ends_at=dt.time(11, 0),
        place="Kampong Speu",
        applications=[*ready, early],
        staff=[investigator, world.users["officer_a1"]],
    )
    assigned = SocialInvestigation.objects.filter(stage=visit)
    assert {i.application_id for i in assigned} == {a.pk for a in ready}
    assert {i.investigator_id for i in assigned} == {investigator.pk}
