"""Invitations to an appointment, and the news when it changes or is cancelled.

Applicants are told through the one notification service (`messaging.send_to_applicant`):
an e-mail with the calendar file attached when they gave an address, an SMS with the date,
time, place and a private link to the appointment's page (which offers the .ics) when they
gave a phone, both when both. Their messages are written inside the caller's transaction and
leave after the commit. Staff invited get an e-mail with the .ics in their own language (else
the site's), after the commit. Every calendar file of one appointment has the same UID and
the appointment's SEQUENCE, so a change or a cancellation replaces the event in a calendar.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.messaging.models import Kind
from tremplin.messaging.services import Attachment, send_to_applicant
from tremplin.network.models import Site
from tremplin.selection.calendar import CalendarEvent, Invitee, calendar_bytes
from tremplin.selection.models import Application, Appointment, AppointmentLink

logger = logging.getLogger(__name__)

ICS_TYPE = "text/calendar; method=REQUEST; charset=UTF-8"
CANCEL_TYPE = "text/calendar; method=CANCEL; charset=UTF-8"

# Why those invited are written to: a new appointment, a change, a cancellation.
NEW, CHANGED, CANCELLED = "new", "changed", "cancelled"


def appointment_event(appointment: Appointment, *, cancelled: bool = False) -> CalendarEvent:
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
        sequence=appointment.sequence,
        cancelled=cancelled,
    )


def appointment_calendar(appointment: Appointment, *, cancelled: bool = False) -> bytes:
    return calendar_bytes(appointment_event(appointment, cancelled=cancelled))


def staff_language(user: User, *, site: Site) -> str:
    """The staff member's language, else the site's if staff pages speak it, else the
    project's."""
    for candidate in (user.preferred_language, site.default_language):
        if candidate in settings.STAFF_LANGUAGES:
            return candidate
    return str(settings.LANGUAGE_CODE)


def appointment_link_issue(*, appointment: Appointment, application: Application) -> str:
    """A new private token for the applicant's page of the appointment (only its hash is
    kept)."""
    token = secrets.token_urlsafe(24)
    AppointmentLink.objects.create(
        appointment=appointment, application=application, token_hash=token_hash(token)
    )
    return token


@dataclass(frozen=True)
class _StaffMail:
    to: str
    subject: str
    body: str


def _staff_mails(
    appointment: Appointment, users: Iterable[User], *, occasion: str
) -> list[_StaffMail]:
    call = appointment.stage.call
    mails = []
    for user in users:
        if not user.email:
            continue
        context = {
            "appointment": appointment,
            "call": call,
            "name": user.get_full_name() or user.email,
            "staff": True,
            "occasion": occasion,
        }
        with translation.override(staff_language(user, site=call.site)):
            subject = render_to_string("selection/mail/appointment_subject.txt", context)
            body = render_to_string("selection/mail/appointment.txt", context)
        mails.append(_StaffMail(user.email, " ".join(subject.split()), body))
    return mails


def _staff_send(mails: list[_StaffMail], *, ics: bytes, mimetype: str) -> None:
    for mail in mails:
        message = EmailMessage(mail.subject, mail.body, None, [mail.to])
        message.attach("invitation.ics", ics, mimetype)
        try:
            message.send()
        except OSError:
            logger.exception("appointment e-mail to %s failed", mail.to)


def invitations_send(
    *,
    appointment: Appointment,
    occasion: str = NEW,
    applications: Iterable[Application] | None = None,
    staff: Iterable[User] | None = None,
    base_url: str = "",
) -> int:
    """Tell the applicants and staff of the appointment (or only those given) about it: a new
    appointment, a change, or its cancellation. Call inside the transaction that made the
    change, before a cancelled appointment is deleted: the messages leave after the commit.
    `base_url` ("https://host/") puts a private link to the appointment's page in each
    applicant's SMS. Returns how many people are written to."""
    cancelled = occasion == CANCELLED
    ics = appointment_calendar(appointment, cancelled=cancelled)
    mimetype = CANCEL_TYPE if cancelled else ICS_TYPE
    call = appointment.stage.call
    if applications is None:
        applications = appointment.applications.select_related("person")
    if staff is None:
        staff = appointment.staff.all()
    told = 0
    for application in applications:
        person = application.person
        if person is None or not (person.email or person.phone):
            continue
        link = ""
        if base_url and person.phone and not cancelled:
            token = appointment_link_issue(appointment=appointment, application=application)
            link = base_url.rstrip("/") + reverse(
                "selection:appointment-public", kwargs={"token": token}
            )
        sent = send_to_applicant(
            site=call.site,
            kind=Kind.INVITATION,
            template="selection/mail/appointment",
            context={
                "appointment": appointment,
                "call": call,
                "name": person.display_name,
                "occasion": occasion,
                "link": link,
            },
            language=application.language,
            person=person,
            about=application,
            attachments=[Attachment(f"{occasion}.ics", ics, mimetype)],
        )
        told += bool(sent)
    mails = _staff_mails(appointment, staff, occasion=occasion)
    told += len(mails)
    if mails:
        transaction.on_commit(lambda: _staff_send(mails, ics=ics, mimetype=mimetype))
    if told and not cancelled:
        Appointment.objects.filter(pk=appointment.pk).update(invitations_sent_at=timezone.now())
    return told
