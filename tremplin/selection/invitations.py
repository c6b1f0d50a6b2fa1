"""Invitations to an appointment: to each applicant by e-mail (with the calendar file) and/or
SMS, whatever they gave, through the notification service (messaging), in their language;
to each staff member invited by e-mail in theirs, with the calendar file. Sent after the
transaction commits."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tremplin.core.models import User
from tremplin.messaging.models import Kind
from tremplin.messaging.services import send_to_applicant
from tremplin.selection.calendar import CalendarEvent, Invitee, calendar_bytes
from tremplin.selection.models import Appointment

logger = logging.getLogger(__name__)

ICS_TYPE = "text/calendar; method=REQUEST; charset=UTF-8"


def appointment_event(appointment: Appointment) -> CalendarEvent:
    """The appointment as a calendar event, everyone with an e-mail address as attendee."""
    stage = appointment.stage
    call = stage.call
    attendees = [
        Invitee(a.person.display_name, a.person.email)
        for a in appointment.applications.select_related("person")
        if a.person is not None and a.person.email
    ]
    attendees += [
        Invitee(u.get_full_name() or u.email, u.email) for u in appointment.staff.all() if u.email
    ]
    return CalendarEvent(
        uid=appointment.uid,
        summary=f"{stage.name} — {call.title}",
        date=appointment.date,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        timezone=call.site.timezone or "UTC",
        location=appointment.place or appointment.video_link,
        url=appointment.video_link,
        description=appointment.note,
        organizer=Invitee(call.site.name, call.contact_email) if call.contact_email else None,
        attendees=attendees,
        stamp=appointment.updated_at or timezone.now(),
    )


def appointment_calendar(appointment: Appointment) -> bytes:
    return calendar_bytes(appointment_event(appointment))


def _language(code: str) -> str:
    codes = {c for c, _name in settings.LANGUAGES}
    return code if code in codes else settings.LANGUAGE_CODE


def _send(*, to: str, language: str, context: dict[str, object], ics: bytes) -> bool:
    with translation.override(_language(language)):
        subject = render_to_string("selection/mail/appointment_subject.txt", context).strip()
        body = render_to_string("selection/mail/appointment.txt", context)
    message = EmailMessage(subject, body, None, [to])
    message.attach("invitation.ics", ics, ICS_TYPE)
    try:
        message.send()
    except OSError:
        logger.exception("appointment invitation to %s failed", to)
        return False
    return True


def invitations_send(*, appointment_id: int) -> int:
    """Mail every applicant and staff member invited who has an e-mail address; returns how
    many were sent."""
    appointment = (
        Appointment.objects.select_related("stage__call__site").filter(pk=appointment_id).first()
    )
    if appointment is None:
        return 0
    ics = appointment_calendar(appointment)
    call = appointment.stage.call
    sent = 0
    for application in appointment.applications.select_related("person"):
        person = application.person
        if person is None:
            continue
        messages = send_to_applicant(
            site=call.site,
            kind=Kind.INVITATION,
            template="selection/mail/appointment",
            context={"appointment": appointment, "call": call, "name": person.display_name},
            language=application.language,
            person=person,
            about=application,
            attachments=[("invitation.ics", ics, ICS_TYPE)],
        )
        # Written and leaving after the commit; a failure shows on the messages pages.
        sent += len(messages)
    staff: list[User] = list(appointment.staff.all())
    for user in staff:
        if not user.email:
            continue
        context = {
            "appointment": appointment,
            "call": call,
            "name": user.get_full_name() or user.email,
            "staff": True,
        }
        sent += _send(to=user.email, language=user.preferred_language, context=context, ics=ics)
    if sent:
        Appointment.objects.filter(pk=appointment.pk).update(invitations_sent_at=timezone.now())
    return sent
