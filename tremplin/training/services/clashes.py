"""Clashes: a trainer, a room or a learner booked twice at the same time.

One ``ClashFinder`` reads, in a few queries, every session that could clash with the slots
being planned (one session, a weekly pattern or an imported file), then checks each slot in
memory. Slots accepted one after another are added to it, so that a pattern or a file cannot
clash with itself either. Every message names the clash, at the site's local time:
"Awa Diop already teaches Cohort X from 9:00 to 12:30 on Monday 5 October."
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.core.models import User
from tremplin.training.models import Cohort, Enrolment, Room, Session


@dataclass(frozen=True)
class Slot:
    """A session being planned: when, where, who teaches."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    room: Room | None
    trainers: Sequence[User]


@dataclass(frozen=True)
class Clash:
    """What a slot clashes with; ``field`` is the input it is about (trainers, room, date)."""

    field: str
    message: str


@dataclass(frozen=True)
class _Booked:
    starts_at: dt.datetime
    ends_at: dt.datetime
    cohort_id: int
    cohort_title: str
    room_id: int | None
    trainer_ids: frozenset[int]


def session_window(starts_at: dt.datetime, ends_at: dt.datetime) -> Q:
    return Q(starts_at__lt=ends_at, ends_at__gt=starts_at)


class ClashFinder:
    def __init__(
        self,
        *,
        cohort: Cohort,
        starts_at: dt.datetime,
        ends_at: dt.datetime,
        trainer_ids: Collection[int],
        room_ids: Collection[int],
        exclude_session_ids: Collection[int] = (),
    ) -> None:
        self.cohort = cohort
        self.zone = zoneinfo.ZoneInfo(cohort.run.site.timezone)
        ours = Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.ACTIVE)
        # Other cohorts where a learner of this one is also active: {cohort id: person ids}.
        self.shared: dict[int, set[int]] = defaultdict(set)
        for cohort_id, person_id in (
            Enrolment.objects.filter(
                status=Enrolment.Status.ACTIVE, person_id__in=ours.values("person_id")
            )
            .exclude(cohort=cohort)
            .values_list("cohort_id", "person_id")
        ):
            self.shared[cohort_id].add(person_id)
        self.names: dict[int, str] = {}
        if self.shared:
            wanted = set().union(*self.shared.values())
            self.names = {
                e.person_id: e.person.display_name
                for e in ours.filter(person_id__in=wanted).select_related("person")
            }
        near = Q(cohort=cohort) | Q(cohort_id__in=list(self.shared))
        if trainer_ids:
            near |= Q(trainers__in=list(trainer_ids))
        if room_ids:
            near |= Q(room_id__in=list(room_ids))
        ids = (
            Session.objects.filter(near, session_window(starts_at, ends_at))
            .exclude(pk__in=list(exclude_session_ids))
            .values("pk")
        )
        self.trainer_names: dict[int, str] = {}
        self.room_names: dict[int, str] = {}
        self.booked: list[_Booked] = []
        sessions = (
            Session.objects.filter(pk__in=ids)
            .select_related("cohort", "room")
            .prefetch_related("trainers")
        )
        for session in sessions:
            self.booked.append(
                _Booked(
                    session.starts_at,
                    session.ends_at,
                    session.cohort_id,
                    session.cohort.title,
                    session.room_id,
                    frozenset(t.pk for t in session.trainers.all()),
                )
            )

    def _when(self, booked: _Booked) -> dict[str, str]:
        start = booked.starts_at.astimezone(self.zone)
        end = booked.ends_at.astimezone(self.zone)
        return {
            "cohort": booked.cohort_title,
            "start": formats.time_format(start, "G:i"),
            "end": formats.time_format(end, "G:i"),
            "day": formats.date_format(start, "l j F"),
        }

    def check(self, slot: Slot) -> list[Clash]:
        """What the slot clashes with; an empty list when it fits."""
        clashes: list[Clash] = []
        trainers = {t.pk: t for t in slot.trainers}
        for booked in self.booked:
            if not (booked.starts_at < slot.ends_at and booked.ends_at > slot.starts_at):
                continue
            when = self._when(booked)
            for trainer_id in sorted(booked.trainer_ids & set(trainers)):
                clashes.append(
                    Clash(
                        "trainers",
                        _(
                            "%(trainer)s already teaches %(cohort)s from %(start)s to %(end)s "
                            "on %(day)s."
                        )
                        % {**when, "trainer": trainers[trainer_id].display_name},
                    )
                )
            if slot.room is not None and booked.room_id == slot.room.pk:
                clashes.append(
                    Clash(
                        "room",
                        _(
                            "%(room)s is already booked for %(cohort)s from %(start)s to %(end)s "
                            "on %(day)s."
                        )
                        % {**when, "room": slot.room.name},
                    )
                )
            if booked.cohort_id == self.cohort.pk:
                clashes.append(
                    Clash(
                        "date",
                        _("%(cohort)s already has a session from %(start)s to %(end)s on %(day)s.")
                        % when,
                    )
                )
            elif booked.cohort_id in self.shared:
                clashes.append(Clash("date", self._learners_message(booked, when)))
        return clashes

    def _learners_message(self, booked: _Booked, when: dict[str, str]) -> str:
        names = sorted(self.names.get(p, "") for p in self.shared[booked.cohort_id])
        more = len(names) - 1
        if more == 0:
            return _(
                "%(learner)s, a learner of this cohort, is also in %(cohort)s from %(start)s "
                "to %(end)s on %(day)s."
            ) % {**when, "learner": names[0]}
        return ngettext(
            "%(learner)s and %(more)d other learner of this cohort are also in %(cohort)s "
            "from %(start)s to %(end)s on %(day)s.",
            "%(learner)s and %(more)d other learners of this cohort are also in %(cohort)s "
            "from %(start)s to %(end)s on %(day)s.",
            more,
        ) % {**when, "learner": names[0], "more": more}

    def add(self, slot: Slot) -> None:
        """Count a planned slot as booked (for this cohort), for the slots checked after it."""
        self.booked.append(
            _Booked(
                slot.starts_at,
                slot.ends_at,
                self.cohort.pk,
                self.cohort.title,
                slot.room.pk if slot.room is not None else None,
                frozenset(t.pk for t in slot.trainers),
            )
        )
