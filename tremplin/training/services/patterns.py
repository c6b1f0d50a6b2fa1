"""A weekly pattern ("Mon–Thu 9:00–12:30 for 6 weeks") and the sessions it generates.

``pattern_plan`` says what would happen, writing nothing: the dates, those holidays take (and
which holiday), and the clashes of each date. ``pattern_generate`` makes the plan again inside
its transaction and writes every session, or none: a date that clashes stops everything,
unless the user chose to leave the clashing dates out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.people.models import Person
from tremplin.training.models import Cohort, Module, Room, Session, WeeklyPattern
from tremplin.training.selectors.access import can_manage_cohort
from tremplin.training.services.clashes import Clash, ClashFinder
from tremplin.training.services.recurrence import (
    SkippedDate,
    holidays_skip,
    pattern_dates,
)
from tremplin.training.services.timetable import (
    SessionData,
    days_off,
    session_problems,
    site_lock,
    slot_of,
)


@dataclass(frozen=True)
class PatternData:
    weekdays: Sequence[int]
    starts_at: dt.time
    ends_at: dt.time
    starts_on: dt.date
    ends_on: dt.date
    module: Module | None = None
    room: Room | None = None
    video_link: str = ""
    trainers: Sequence[User] = field(default_factory=tuple)
    volunteers: Sequence[Person] = field(default_factory=tuple)

    def session(self, date: dt.date) -> SessionData:
        return SessionData(
            date=date,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            module=self.module,
            room=self.room,
            video_link=self.video_link,
            trainers=self.trainers,
            volunteers=self.volunteers,
        )


@dataclass
class PatternPlan:
    dates: list[dt.date] = field(default_factory=list)  # the sessions to generate
    holidays: list[SkippedDate] = field(default_factory=list)
    clashes: dict[dt.date, list[Clash]] = field(default_factory=dict)
    left_out: list[dt.date] = field(default_factory=list)  # clashing dates the user skips

    @property
    def clash_count(self) -> int:
        return len(self.clashes)


def _check(cohort: Cohort, data: PatternData) -> None:
    if data.ends_on < data.starts_on:
        raise ValidationError({"ends_on": [_("The last day comes before the first day.")]})
    if not data.weekdays:
        raise ValidationError({"weekdays": [_("Choose at least one day of the week.")]})
    problems = session_problems(cohort, data.session(cohort.starts_on))
    problems.pop("date", None)
    if data.starts_on < cohort.starts_on or data.ends_on > cohort.ends_on:
        problems["starts_on" if data.starts_on < cohort.starts_on else "ends_on"] = [
            _("The pattern must stay within the cohort's dates.")
        ]
    if problems:
        raise ValidationError(problems)


def pattern_plan(
    *, actor: User, cohort: Cohort, data: PatternData, skip_clashes: bool = False
) -> PatternPlan:
    """What generating would do; writes nothing. ValidationError by field for bad input."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    _check(cohort, data)
    site = cohort.run.site
    every = pattern_dates(weekdays=data.weekdays, starts_on=data.starts_on, ends_on=data.ends_on)
    kept, holidays = holidays_skip(
        every, days_off(site=site, starts_on=data.starts_on, ends_on=data.ends_on)
    )
    plan = PatternPlan(holidays=holidays)
    if not kept:
        return plan
    first, last = slot_of(site, data.session(kept[0])), slot_of(site, data.session(kept[-1]))
    finder = ClashFinder(
        cohort=cohort,
        starts_at=first.starts_at,
        ends_at=last.ends_at,
        trainer_ids=[t.pk for t in data.trainers],
        room_ids=[data.room.pk] if data.room else [],
    )
    for date in kept:
        slot = slot_of(site, data.session(date))
        clashes = finder.check(slot)
        if clashes:
            plan.clashes[date] = clashes
            if skip_clashes:
                plan.left_out.append(date)
            continue
        finder.add(slot)
        plan.dates.append(date)
    return plan


def pattern_generate(
    *, actor: User, cohort: Cohort, data: PatternData, skip_clashes: bool
) -> tuple[WeeklyPattern, PatternPlan]:
    """Write the pattern and all its sessions, or nothing: ValidationError when a date clashes
    (and the user did not choose to skip the clashing dates) or no date is left."""
    site = cohort.run.site
    with transaction.atomic():
        site_lock(site)
        plan = pattern_plan(actor=actor, cohort=cohort, data=data, skip_clashes=skip_clashes)
        if plan.clashes and not skip_clashes:
            raise ValidationError(
                ngettext(
                    "%(count)d date clashes: nothing was generated.",
                    "%(count)d dates clash: nothing was generated.",
                    plan.clash_count,
                )
                % {"count": plan.clash_count}
            )
        if not plan.dates:
            raise ValidationError(_("No date is left to generate a session on."))
        pattern = WeeklyPattern.objects.create(
            cohort=cohort,
            weekdays="".join(str(d) for d in sorted(set(data.weekdays))),
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            module=data.module,
            room=data.room,
            video_link=data.video_link,
            skipped=[d.isoformat() for d in plan.left_out]
            + [s.date.isoformat() for s in plan.holidays],
            created_by=actor,
        )
        pattern.trainers.set(data.trainers)
        pattern.volunteers.set(data.volunteers)
        sessions = Session.objects.bulk_create(
            [
                Session(
                    cohort=cohort,
                    pattern=pattern,
                    module=data.module,
                    room=data.room,
                    video_link=data.video_link,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                )
                for slot in (slot_of(site, data.session(d)) for d in plan.dates)
            ]
        )
        _people_set(sessions, data)
        audit_record(
            actor=actor,
            action=AuditAction.SESSIONS_GENERATED,
            subject=pattern,
            changes={
                "cohort": cohort.pk,
                "sessions": len(sessions),
                "holidays_skipped": [s.date.isoformat() for s in plan.holidays],
                "clashes_skipped": [d.isoformat() for d in plan.left_out],
            },
        )
    return pattern, plan


def _people_set(sessions: Sequence[Session], data: PatternData) -> None:
    """The trainers and volunteers of many new sessions, in two inserts."""
    trainers = Session.trainers.through
    trainers.objects.bulk_create(
        [trainers(session_id=s.pk, user_id=t.pk) for s in sessions for t in data.trainers]
    )
    volunteers = Session.volunteers.through
    volunteers.objects.bulk_create(
        [volunteers(session_id=s.pk, person_id=p.pk) for s in sessions for p in data.volunteers]
    )
