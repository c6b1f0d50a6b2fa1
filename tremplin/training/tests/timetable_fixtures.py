"""What the timetable tests share: a cohort at Alpha North in October 2026 with Amina, its
module and rooms, and Awa Diop, a trainer of the site."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from conftest import World
from tremplin.core.models import User
from tremplin.network.models import Role
from tremplin.network.services import role_grant
from tremplin.network.tests.factories import UserFactory
from tremplin.training.models import Cohort, Enrolment, Module, Room
from tremplin.training.services.timetable import SessionData
from tremplin.training.tests.factories import CohortFactory, ModuleFactory, RoomFactory

MONDAY = dt.date(2026, 10, 5)
NINE, HALF_PAST_TWELVE = dt.time(9), dt.time(12, 30)


@dataclass
class Timetable:
    cohort: Cohort
    other: Cohort  # another cohort of the same site
    module: Module
    room: Room
    lab: Room
    awa: User
    manager: User


def timetable_world(w: World) -> Timetable:
    cohort = CohortFactory(
        run=w.run_north,
        title="Cohort X",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 12, 18),
    )
    other = CohortFactory(
        run=w.run_north,
        title="Cohort Y",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 12, 18),
    )
    Enrolment.objects.create(cohort=cohort, person=w.amina, joined_on=cohort.starts_on)
    awa = UserFactory(first_name="Awa", last_name="Diop", email="awa@example.org")
    role_grant(user=awa, role=Role.TRAINER, organisation_id=w.alpha.pk, site=w.north)
    cohort.trainers.add(awa)
    other.trainers.add(awa)
    return Timetable(
        cohort=cohort,
        other=other,
        module=ModuleFactory(programme=w.programme_alpha, title="HTML"),
        room=RoomFactory(site=w.north, name="Salle Hopper"),
        lab=RoomFactory(site=w.north, name="Lab"),
        awa=awa,
        manager=w.users["manager_a1"],
    )


def session_data(t: Timetable, **changes: object) -> SessionData:
    values: dict[str, object] = {
        "date": MONDAY,
        "starts_at": NINE,
        "ends_at": HALF_PAST_TWELVE,
        "module": t.module,
        "room": t.room,
        "trainers": [t.awa],
    }
    values.update(changes)
    return SessionData(**values)  # type: ignore[arg-type]
