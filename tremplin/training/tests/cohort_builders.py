"""What the cohort tests build: a current run at Alpha North, cohorts in it, selected
applicants of a call (tests only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from conftest import World
from tremplin.network.models import ProgrammeRun
from tremplin.people.models import Person
from tremplin.people.tests.factories import PersonFactory
from tremplin.placement.models import Attempt
from tremplin.selection.models import Application, Call
from tremplin.training.models import Cohort


def current_run(w: World, *, levels: list[str] | None = None) -> ProgrammeRun:
    """Alpha North's run, moved to run from a month ago to two months ahead."""
    today = timezone.localdate()
    run = w.run_north
    run.starts_on, run.ends_on = today - dt.timedelta(days=30), today + dt.timedelta(days=60)
    run.save(update_fields=["starts_on", "ends_on"])
    if levels is not None:
        run.programme.levels = levels
        run.programme.save(update_fields=["levels"])
    return run


def cohort(
    run: ProgrammeRun,
    *,
    title: str = "Group A",
    seats: int = 12,
    trainer: Any = None,
    **values: Any,
) -> Cohort:
    made = Cohort.objects.create(
        run=run,
        title=title,
        starts_on=values.pop("starts_on", run.starts_on),
        ends_on=values.pop("ends_on", run.ends_on),
        seats=seats,
        **values,
    )
    if trainer is not None:
        made.trainers.add(trainer)
    return made


def call_of(run: ProgrammeRun, *, slug: str = "call-north") -> Call:
    return Call.objects.create(
        run=run,
        site=run.site,
        slug=slug,
        title=f"Call {slug}",
        opens_on=run.starts_on - dt.timedelta(days=60),
        closes_on=run.starts_on - dt.timedelta(days=30),
        age_reference_date=run.starts_on,
    )


def application(
    call: Call,
    person: Person | None = None,
    *,
    outcome: str = Application.Outcome.SELECTED,
    withdrawn: bool = False,
    language: str = "fr",
    **person_values: Any,
) -> Application:
    person = person or PersonFactory(site=call.site, **person_values)
    return Application.objects.create(
        call=call,
        person=person,
        site=call.site,
        source=Application.Source.STAFF,
        status=Application.Status.WITHDRAWN if withdrawn else Application.Status.SUBMITTED,
        withdrawn_at=timezone.now() if withdrawn else None,
        outcome=outcome,
        language=language,
        submitted_at=timezone.now(),
    )


def placed(w: World, person: Person, band: str, *, n: int = 0) -> Attempt:
    """A finished placement test for Alpha's programme that gives ``band``."""
    return Attempt.objects.create(
        person=person,
        site=w.north,
        programme=w.programme_alpha,
        token_hash=f"{person.pk:032d}{n:032d}",
        state=Attempt.State.FINISHED,
        finished_at=timezone.now(),
        seed=person.pk,
        band=band,
    )
