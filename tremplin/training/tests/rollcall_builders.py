"""A session of Alpha North taught by trainer_a1, with as many learners as a test asks for,
and the JSON a phone sends (tests only)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo
from typing import Any

from django.test import Client
from django.urls import reverse

from conftest import World
from tremplin.people.tests.factories import PersonFactory
from tremplin.training.models import Cohort, Enrolment, Session
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory, SessionFactory

DAY = dt.date(2026, 3, 2)


def taught_session(w: World, *, learners: int = 3, day: dt.date = DAY) -> Session:
    """A 9:00 session (the site's time) on ``day`` of a North cohort that trainer_a1 teaches."""
    cohort: Cohort = CohortFactory(
        run=w.run_north, starts_on=day - dt.timedelta(days=30), ends_on=day + dt.timedelta(days=60)
    )
    cohort.trainers.add(w.users["trainer_a1"])
    for n in range(learners):
        EnrolmentFactory(
            cohort=cohort,
            person=PersonFactory(
                site=w.north,
                legal_given_names=f"Learner{n:02d}",
                legal_family_name="Test",
                email=f"learner{n:02d}@example.org",
            ),
        )
    start = dt.datetime.combine(day, dt.time(9), tzinfo=zoneinfo.ZoneInfo(w.north.timezone))
    session: Session = SessionFactory(
        cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    session.trainers.add(w.users["trainer_a1"])
    return session


def enrolments(session: Session) -> list[Enrolment]:
    return list(session.cohort.enrolments.order_by("pk"))


def tap(
    enrolment: Enrolment | int,
    status: str,
    *,
    at: dt.datetime | None = None,
    op_id: str | None = None,
) -> dict[str, Any]:
    return {
        "op_id": op_id or str(uuid.uuid4()),
        "enrolment_id": enrolment if isinstance(enrolment, int) else enrolment.pk,
        "status": status,
        "tapped_at": (at or dt.datetime(2026, 3, 2, 9, 5, tzinfo=dt.UTC)).isoformat(),
    }


def send(client: Client, session: Session, *operations: dict[str, Any]) -> Any:
    return client.post(
        reverse("training:session-marks", args=[session.pk]),
        json.dumps({"operations": list(operations)}),
        content_type="application/json",
    )
