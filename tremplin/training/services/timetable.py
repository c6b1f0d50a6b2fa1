"""Writing the timetable: sessions (checked for clashes), rooms and holidays.

Only those who manage the cohort's site change its timetable. Every check a session needs
(its date within the cohort's, its module, room, trainers and volunteers from the right
programme and site, no clash) is made here, inside the transaction that writes it; the weekly
pattern and the import use the same checks (``session_problems``, ``ClashFinder``)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.network.models import Organisation, Role, RoleAssignment, Site
from tremplin.network.selectors import can_manage_site, is_network_admin
from tremplin.people.models import Person
from tremplin.training.models import Cohort, Holiday, Module, Room, Session
from tremplin.training.selectors.access import can_manage_cohort
from tremplin.training.services.clashes import ClashFinder, Slot
from tremplin.training.services.recurrence import DayOff


@dataclass(frozen=True)
class SessionData:
    """A session as typed: a date and times at the site's local time."""

    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    module: Module | None = None
    room: Room | None = None
    video_link: str = ""
    trainers: Sequence[User] = field(default_factory=tuple)
    volunteers: Sequence[Person] = field(default_factory=tuple)
    title: str = ""


def local_datetime(site: Site, date: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=zoneinfo.ZoneInfo(site.timezone))


def site_trainer_ids(site: Site) -> set[int]:
    return set(
        RoleAssignment.objects.filter(site=site, role=Role.TRAINER).values_list(
            "user_id", flat=True
        )
    )


def _day(date: dt.date) -> str:
    return formats.date_format(date, "j F Y")


def session_problems(
    cohort: Cohort, data: SessionData, *, trainer_ids: set[int] | None = None
) -> dict[str, list[str]]:
    """What is wrong with a session of the cohort, by field; empty when nothing is.
    ``trainer_ids``: the site's trainers, when the caller has read them already."""
    site = cohort.run.site
    problems: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    if data.ends_at <= data.starts_at:
        add("ends_at", _("The session must end after it starts."))
    if not cohort.starts_on <= data.date <= cohort.ends_on:
        add(
            "date",
            _("This date is outside the cohort's dates (%(start)s to %(end)s).")
            % {"start": _day(cohort.starts_on), "end": _day(cohort.ends_on)},
        )
    if data.module is not None and data.module.programme_id != cohort.run.programme_id:
        add("module", _("This module is not part of the cohort's programme."))
    if data.room is not None and data.room.site_id != site.pk:
        add("room", _("This room is not at the cohort's site."))
    if data.room is None and not data.video_link:
        add("room", _("Choose a room or give a video link."))
    allowed = site_trainer_ids(site) if trainer_ids is None else trainer_ids
    outsiders = [t.display_name for t in data.trainers if t.pk not in allowed]
    if outsiders:
        add(
            "trainers",
            _("Not a trainer at %(site)s: %(names)s.")
            % {"site": site.name, "names": ", ".join(outsiders)},
        )
    strangers = [p.display_name for p in data.volunteers if p.site_id != site.pk]
    if strangers:
        add(
            "volunteers",
            _("Not a person of %(site)s: %(names)s.")
            % {"site": site.name, "names": ", ".join(strangers)},
        )
    return problems


def slot_of(site: Site, data: SessionData) -> Slot:
    return Slot(
        starts_at=local_datetime(site, data.date, data.starts_at),
        ends_at=local_datetime(site, data.date, data.ends_at),
        room=data.room,
        trainers=list(data.trainers),
    )


def site_lock(site: Site) -> None:
    """Timetable writes at a site wait for each other, so two clash checks never both pass."""
    Site.objects.select_for_update().filter(pk=site.pk).first()


def session_save(
    *, actor: User, cohort: Cohort, data: SessionData, session: Session | None = None
) -> Session:
    """Create a session of the cohort, or change ``session``; refused (ValidationError by
    field) when a check fails or it clashes."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    if session is not None and session.cohort_id != cohort.pk:
        raise PermissionDenied
    problems = session_problems(cohort, data)
    if problems:
        raise ValidationError(problems)
    site = cohort.run.site
    slot = slot_of(site, data)
    with transaction.atomic():
        site_lock(site)
        finder = ClashFinder(
            cohort=cohort,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            trainer_ids=[t.pk for t in data.trainers],
            room_ids=[data.room.pk] if data.room else [],
            exclude_session_ids=[session.pk] if session else [],
        )
        clashes = finder.check(slot)
        if clashes:
            by_field: dict[str, list[str]] = {}
            for clash in clashes:
                by_field.setdefault(clash.field, []).append(clash.message)
            raise ValidationError(by_field)
        created = session is None
        if session is None:
            session = Session(cohort=cohort)
        else:
            session.sequence += 1
        session.starts_at, session.ends_at = slot.starts_at, slot.ends_at
        session.module, session.room = data.module, data.room
        session.video_link, session.title = data.video_link, data.title
        session.save()
        session.trainers.set(data.trainers)
        session.volunteers.set(data.volunteers)
        audit_record(
            actor=actor,
            action=AuditAction.SESSION_SAVED,
            subject=session,
            changes={
                "created": created,
                "cohort": cohort.pk,
                "starts_at": slot.starts_at.isoformat(),
                "ends_at": slot.ends_at.isoformat(),
                "room": data.room.pk if data.room else None,
                "module": data.module.pk if data.module else None,
                "trainers": sorted(t.pk for t in data.trainers),
            },
        )
    return session


def session_delete(*, actor: User, session: Session) -> None:
    """Remove a session; refused once roll call has been taken for it."""
    cohort = session.cohort
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    with transaction.atomic():
        if session.marks.exists():
            raise ValidationError(_("Roll call was taken for this session: it cannot be removed."))
        audit_record(
            actor=actor,
            action=AuditAction.SESSION_REMOVED,
            subject=session,
            changes={
                "cohort": cohort.pk,
                "starts_at": session.starts_at.isoformat(),
                "ends_at": session.ends_at.isoformat(),
            },
        )
        session.delete()


def room_save(
    *, actor: User, site: Site, name: str, capacity: int | None, room: Room | None = None
) -> Room:
    if not can_manage_site(actor, site) or (room is not None and room.site_id != site.pk):
        raise PermissionDenied
    name = name.strip()
    with transaction.atomic():
        same = Room.objects.filter(site=site, name__iexact=name)
        if room is not None:
            same = same.exclude(pk=room.pk)
        if same.exists():
            raise ValidationError(
                {"name": [_("%(site)s already has a room with this name.") % {"site": site.name}]}
            )
        created = room is None
        room = room or Room(site=site)
        room.name, room.capacity = name, capacity
        room.save()
        audit_record(
            actor=actor,
            action=AuditAction.ROOM_SAVED,
            subject=room,
            changes={"created": created, "name": name, "capacity": capacity},
        )
    return room


def holiday_create(
    *,
    actor: User,
    organisation: Organisation,
    site: Site | None,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Holiday:
    """A holiday at one site (its managers), or at every site of the organisation (its
    network admins)."""
    if site is not None:
        if site.organisation_id != organisation.pk or not can_manage_site(actor, site):
            raise PermissionDenied
    elif not (actor.is_superuser or is_network_admin(actor, organisation.pk)):
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The last day comes before the first day.")]})
    with transaction.atomic():
        holiday = Holiday.objects.create(
            organisation=organisation,
            site=site,
            name=name.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_record(
            actor=actor,
            action=AuditAction.HOLIDAY_SAVED,
            subject=holiday,
            changes={
                "site": site.pk if site else None,
                "name": holiday.name,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
    return holiday


def days_off(*, site: Site, starts_on: dt.date, ends_on: dt.date) -> list[DayOff]:
    """The holidays of the site and of its whole organisation that touch the dates."""
    holidays = Holiday.objects.filter(
        Q(site__isnull=True) | Q(site=site),
        organisation_id=site.organisation_id,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    return [DayOff(h.name, h.starts_on, h.ends_on) for h in holidays]
