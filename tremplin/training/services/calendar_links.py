"""Calendar subscriptions: a private address per trainer and per cohort, and the iCalendar
feed behind it.

The address holds a random token; only its hash is kept (``core.tokens``), so the address is
shown once, when it is made or renewed, and renewing it ends the old one. The feed is built
with ``icalendar`` the way selection's invitations are (``selection.calendar``): one event per
session, with a UID that never changes and a SEQUENCE that rises with each change, at the
site's local time with its time zone."""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.core.tokens import token_hash
from tremplin.training.models import CalendarLink, Cohort, Session
from tremplin.training.selectors.access import can_manage_cohort, can_use_training

# The feed holds sessions from this many days ago, and every session after.
FEED_DAYS_BACK = 92


def calendar_link_renew(*, actor: User, cohort: Cohort | None = None) -> str:
    """A new address for the actor's own sessions (no cohort) or for the cohort's; the old
    address stops working. Returns the token, which is shown once."""
    if cohort is None and not can_use_training(actor):
        raise PermissionDenied
    if cohort is not None and not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        defaults = {"token_hash": token_hash(token), "renewed_at": timezone.now()}
        links = CalendarLink.objects.select_for_update()
        if cohort is not None:
            link, created = links.get_or_create(cohort=cohort, defaults=defaults)
        else:
            link, created = links.get_or_create(user=actor, defaults=defaults)
        if not created:
            link.token_hash = token_hash(token)
            link.renewed_at = timezone.now()
            link.save(update_fields=["token_hash", "renewed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CALENDAR_LINK_RENEWED,
            subject=link,
            changes={
                "created": created,
                "cohort": cohort.pk if cohort else None,
                "user": None if cohort else actor.pk,
            },
        )
    return token


def calendar_link_find(*, token: str) -> CalendarLink | None:
    if not token or len(token) > 100:
        return None
    return (
        CalendarLink.objects.filter(token_hash=token_hash(token))
        .select_related("user", "cohort")
        .first()
    )


def feed_sessions(link: CalendarLink) -> QuerySet[Session]:
    since = timezone.now() - dt.timedelta(days=FEED_DAYS_BACK)
    sessions = Session.objects.filter(ends_at__gte=since)
    if link.cohort_id is not None:
        sessions = sessions.filter(cohort_id=link.cohort_id)
    else:
        sessions = sessions.filter(trainers=link.user_id)
    return sessions.select_related("cohort", "cohort__run__site", "module", "room").order_by(
        "starts_at", "pk"
    )


def _event(session: Session, *, host: str, stamp: dt.datetime) -> Event:
    site = session.cohort.run.site
    zone = zoneinfo.ZoneInfo(site.timezone)
    event = Event()
    event.add("uid", f"training-session-{session.pk}@{host}")
    event.add("sequence", session.sequence)
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("last-modified", session.updated_at.astimezone(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    module = session.module.title if session.module else ""
    title = session.title or module
    event.add("summary", f"{session.cohort.title} — {title}" if title else session.cohort.title)
    where = [session.room.name] if session.room else []
    where.append(site.name)
    if session.video_link:
        where.append(session.video_link)
        event.add("url", session.video_link)
    event.add("location", ", ".join(where))
    lines = [_("Cohort: %(cohort)s") % {"cohort": session.cohort.title}]
    if module:
        lines.append(_("Module: %(module)s") % {"module": module})
    if session.room:
        lines.append(_("Room: %(room)s") % {"room": session.room.name})
    if session.video_link:
        lines.append(_("Video link: %(link)s") % {"link": session.video_link})
    event.add("description", "\n".join(lines))
    return event


def calendar_feed(*, link: CalendarLink, host: str) -> bytes:
    """The subscription's calendar (METHOD:PUBLISH) with its sessions."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tremplin//Training timetable//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    name = link.cohort.title if link.cohort else (link.user.display_name if link.user else "")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for session in feed_sessions(link).iterator(chunk_size=500):
        calendar.add_component(_event(session, host=host, stamp=stamp))
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
