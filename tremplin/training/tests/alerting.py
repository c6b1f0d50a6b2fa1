"""Shared set-up of the early-warning tests: a cohort at Alpha North coached by coach_a1 and
taught by trainer_a1, with Amina in it, and her marks one session a day up to now."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from conftest import World
from tremplin.training.models import Cohort, Enrolment, Mark, Session


def north_cohort(world: World, *, title: str = "Web North") -> Cohort:
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        run=world.run_north,
        title=title,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=60),
        seats=12,
        coach=world.users["coach_a1"],
    )
    cohort.trainers.add(world.users["trainer_a1"])
    return cohort


def enrol(cohort: Cohort, person: object) -> Enrolment:
    return Enrolment.objects.create(cohort=cohort, person=person, joined_on=cohort.starts_on)


def attend(enrolment: Enrolment, *statuses: str) -> list[Mark]:
    """One session a day, the last one ended an hour ago, marked with `statuses` (oldest
    first). Sessions are shared by the cohort's learners (one per day)."""
    now = timezone.now()
    marks = []
    for index, status in enumerate(statuses):
        starts = (now - dt.timedelta(days=len(statuses) - 1 - index, hours=4)).replace(
            second=0, microsecond=0
        )
        session, _created = Session.objects.get_or_create(
            cohort=enrolment.cohort,
            starts_at=starts,
            defaults={"ends_at": starts + dt.timedelta(hours=3)},
        )
        marks.append(
            Mark.objects.create(
                session=session, enrolment=enrolment, status=status, recorded_at=now
            )
        )
    return marks
