"""An appointment as a calendar file (.ics, RFC 5545), made with `icalendar`: one event at the
site's local time, with its place or video link and everyone invited as attendees."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, Event, vCalAddress, vText


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    timezone: str
    location: str
    url: str
    description: str
    organizer: Invitee | None
    attendees: Sequence[Invitee]
    stamp: dt.datetime
    sequence: int = 0
    cancelled: bool = False


def calendar_bytes(event: CalendarEvent) -> bytes:
    """The event as an invitation (METHOD:REQUEST) that calendar apps add in one tap, or, when
    `cancelled`, as its cancellation (METHOD:CANCEL, STATUS:CANCELLED). The UID stays the same
    and SEQUENCE rises at each change, so a calendar replaces the event it holds."""
    zone = zoneinfo.ZoneInfo(event.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//Tremplin//Selection appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.cancelled else "REQUEST")
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    if event.cancelled:
        vevent.add("status", "CANCELLED")
    vevent.add("dtstamp", event.stamp.astimezone(dt.UTC))
    vevent.add("dtstart", dt.datetime.combine(event.date, event.starts_at, tzinfo=zone))
    vevent.add("dtend", dt.datetime.combine(event.date, event.ends_at, tzinfo=zone))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.description:
        vevent.add("description", event.description)
    if event.organizer is not None:
        organizer = vCalAddress(f"mailto:{event.organizer.email}")
        organizer.params["cn"] = vText(event.organizer.name)
        vevent["organizer"] = organizer
    for invitee in event.attendees:
        attendee = vCalAddress(f"mailto:{invitee.email}")
        attendee.params["cn"] = vText(invitee.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["rsvp"] = vText("FALSE")
        vevent.add("attendee", attendee, encode=False)
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
