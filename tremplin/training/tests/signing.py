"""What the signature, sheet and rate tests share: a cohort at Alpha North taught by
trainer_a1, sessions around now, learners with private links, canvas drawings."""

from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
from zoneinfo import ZoneInfo

from django.utils import timezone
from PIL import Image, ImageDraw

from conftest import World
from tremplin.core.tokens import token_hash
from tremplin.training.models import Cohort, Enrolment, Session
from tremplin.training.tests.factories import CohortFactory, EnrolmentFactory, SessionFactory

PARIS = ZoneInfo("Europe/Paris")


def drawing(*, width: int = 360, height: int = 180, ink: bool = True) -> str:
    """A canvas's PNG data URL, as signature.js sends it."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if ink:
        ImageDraw.Draw(image).line(
            [(20, 120), (90, 40), (160, 130), (300, 50)], fill="#111", width=3
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def cohort_north(world: World, *, learners: int = 3, title: str = "Web developers") -> Cohort:
    today = timezone.localdate()
    cohort = CohortFactory(
        run=world.run_north,
        title=title,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=60),
    )
    cohort.trainers.add(world.users["trainer_a1"])
    if learners:
        EnrolmentFactory(cohort=cohort, person=world.amina)
    for _ in range(learners - 1):
        EnrolmentFactory(cohort=cohort)
    return cohort


def session_at(
    cohort: Cohort, *, day: dt.date | None = None, start: int = 9, end: int = 12
) -> Session:
    """A session of the cohort, ``start`` to ``end`` o'clock in Paris (yesterday by
    default: over, whatever the time the tests run)."""
    day = day or timezone.localdate() - dt.timedelta(days=1)
    session = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime.combine(day, dt.time(start), PARIS),
        ends_at=dt.datetime.combine(day, dt.time(end), PARIS),
    )
    session.trainers.add(*cohort.trainers.all())
    return session


def session_now(cohort: Cohort) -> Session:
    """A session running now (one hour ago to one hour ahead)."""
    now = timezone.now()
    session = SessionFactory(
        cohort=cohort, starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=1)
    )
    session.trainers.add(*cohort.trainers.all())
    return session


def private_link(enrolment: Enrolment) -> str:
    token = secrets.token_urlsafe(24)
    enrolment.token_hash = token_hash(token)
    enrolment.save(update_fields=["token_hash"])
    return token
