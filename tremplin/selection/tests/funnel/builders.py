"""Calls and applicants for the funnel tests: what the funnel reads, written in bulk."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils import timezone

from conftest import World
from tremplin.network.models import Region
from tremplin.outreach.models import InformationSession, Registration
from tremplin.people.models import Person
from tremplin.people.tests.factories import PersonFactory
from tremplin.selection.funnel.build import Funnel
from tremplin.selection.models import Application, Call
from tremplin.selection.services.calls import call_create

OPENS = dt.date(2026, 3, 1)
CLOSES = dt.date(2026, 4, 30)


def make_call(w: World, slug: str, *, process: str = "passerelles", run: str = "run_north") -> Call:
    actor = w.users["superuser"] if run != "run_north" else w.users["officer_a1"]
    return call_create(
        actor=actor,
        run=getattr(w, run),
        slug=slug,
        title=f"Call {slug}",
        opens_on=OPENS,
        closes_on=CLOSES,
        process=process,
    )


@dataclass(frozen=True)
class Applicant:
    """What the funnel reads of one application."""

    stages_passed: int = 0
    outcome: str = "in_progress"
    gender: str = "female"
    region: Region | None = None
    priority: bool = False
    age_band: str = "18_25"
    channel: str = "social_media"
    status: str = "submitted"


def apply(call: Call, applicants: list[Applicant]) -> list[Application]:
    people = [
        PersonFactory.build(site=call.site, gender=a.gender or "not_said") for a in applicants
    ]
    Person.objects.bulk_create(people)
    return Application.objects.bulk_create(
        Application(
            call=call,
            person=person,
            source=Application.Source.FORM,
            status=a.status,
            withdrawn_at=timezone.now() if a.status == "withdrawn" else None,
            outcome=a.outcome,
            stages_passed=a.stages_passed,
            gender=a.gender,
            region=a.region,
            priority_neighbourhood=a.priority,
            age_band=a.age_band,
            channel=a.channel,
            attended_information_session=a.stages_passed >= 1,
        )
        for person, a in zip(people, applicants, strict=True)
    )


def small_call(w: World, regions: dict[str, Region]) -> Call:
    """20 applicants: 16 came to the information session, 10 passed the written exams, 6
    the interview, 4 the home visit; 3 selected (2 women, 1 man), 1 on the waiting list."""
    call = make_call(w, "small")
    nord, pas = regions["59"], regions["62"]
    rows = (
        [Applicant(0, "rejected", "male", nord, channel="poster")] * 2
        + [Applicant(0, "in_progress", "", None, age_band="unknown", channel="")] * 2
        + [Applicant(1, "rejected", "female", nord, True)] * 3
        + [Applicant(1, "rejected", "male", pas, age_band="26_30")] * 3
        + [Applicant(2, "rejected", "female", pas, channel="partner")] * 4
        + [Applicant(3, "rejected", "male", nord, True)] * 1
        + [Applicant(3, "in_progress", "female", nord)] * 1
        + [Applicant(4, "selected", "female", nord)] * 2
        + [Applicant(4, "selected", "male", pas)] * 1
        + [Applicant(4, "waitlisted", "male", pas, True)] * 1
    )
    apply(call, rows)
    # Not counted: a draft.
    Application.objects.create(call=call, source=Application.Source.FORM)
    return call


def by_key(funnel: Funnel) -> dict[str, tuple[int, float | None, float | None]]:
    return {
        s.key: (s.total.count, s.total.from_previous, s.total.from_applied) for s in funnel.steps
    }


def session(
    w: World, *, day: dt.date, site: str = "north", cancelled: bool = False
) -> InformationSession:
    start = dt.datetime.combine(day, dt.time(14), tzinfo=dt.UTC)
    return InformationSession.objects.create(
        site=getattr(w, site),
        title="Discover",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=30,
        public_key=secrets.token_urlsafe(8),
        status="cancelled" if cancelled else "scheduled",
    )


def register(
    s: InformationSession, count: int, *, present: int = 0, status: str = "registered"
) -> None:
    Registration.objects.bulk_create(
        Registration(
            session=s,
            given_names="Rania",
            family_name=f"Haddad {index}",
            phone=f"+3361111{s.pk % 100:02d}{index:02d}",
            channel="social_media",
            status=status,
            checked_in_at=s.starts_at if index < present else None,
        )
        for index in range(count)
    )
