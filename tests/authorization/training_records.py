"""The training records the matrix's URLs point at (see records.py).

``cohort_at("north")`` is a cohort of Alpha North's run, taught by trainer_a1, with Amina
enrolled; ``cohort_at("north", taught=False)`` one that trainer_a1 does not teach (a trainer
sees only their own cohorts: 404); the South and Beta cohorts hold Bilal and Chen.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from conftest import World
from tests.authorization.rows import Kwargs
from tremplin.network.models import Programme
from tremplin.selection.models import Call
from tremplin.training.models import (
    Assessment,
    AssessmentKind,
    Cohort,
    Enrolment,
    Module,
    ModuleKind,
    Period,
    Session,
)

LEARNER_AT = {"north": "amina", "south": "bilal", "beta_site": "chen"}
RUN_AT = {"north": "run_north", "south": "run_south", "beta_site": "run_beta"}


def make_cohort(w: World, site_attr: str, *, taught: bool = True) -> Cohort:
    run = getattr(w, RUN_AT[site_attr])
    title = f"Cohort {site_attr}{'' if taught else ' (other trainer)'}"
    # Several rows may build in one world (people's test of every page): one title each.
    taken = Cohort.objects.filter(run=run, title__startswith=title).count()
    cohort = Cohort.objects.create(
        run=run,
        title=f"{title} {taken + 1}" if taken else title,
        starts_on=run.starts_on,
        ends_on=run.ends_on,
        seats=12,
    )
    if taught and site_attr == "north":
        cohort.trainers.add(w.users["trainer_a1"])
    if taught:
        person = getattr(w, LEARNER_AT[site_attr])
        Enrolment.objects.create(cohort=cohort, person=person, joined_on=run.starts_on)
    return cohort


def make_session(w: World, site_attr: str, *, taught: bool = True) -> Session:
    cohort = make_cohort(w, site_attr, taught=taught)
    start = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    session = Session.objects.create(
        cohort=cohort, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    if taught and site_attr == "north":
        session.trainers.add(w.users["trainer_a1"])
    return session


def cohort_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        return {"cohort_id": make_cohort(w, site_attr, taught=taught).pk}

    return make


def enrolment_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        cohort = make_cohort(w, site_attr, taught=True)
        if not taught:
            cohort.trainers.clear()
        return {"enrolment_id": cohort.enrolments.get().pk}

    return make


def session_of_cohort_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        return {"session_id": make_session(w, site_attr, taught=taught).pk}

    return make


# --- structure: periods, modules, assessments (tests/authorization/training_structure.py) --


def period_of(programme_attr: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        return {"period_id": _new_period(getattr(w, programme_attr)).pk}

    return make


def module_of(programme_attr: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        programme = getattr(w, programme_attr)
        module = Module.objects.create(
            programme=programme,
            title=f"Office tools {programme.modules.count() + 1}",
            kind=ModuleKind.DIGITAL,
            hours=20,
            position=1,
        )
        return {"module_id": module.pk}

    return make


def _new_period(programme: Programme) -> Period:
    """Another period of the programme (a world may need several: the bad-input test)."""
    number = programme.periods.count() + 1
    return Period.objects.create(
        programme=programme, title=f"Term {number}", position=number, weeks=12
    )


def _assessment(programme: Programme) -> Assessment:
    period = _new_period(programme)
    return Assessment.objects.create(
        programme=programme,
        period=period,
        title=f"{period.title} exam",
        kind=AssessmentKind.WRITTEN_EXAM,
        max_score=Decimal(20),
        pass_mark=Decimal(10),
    )


def assessment_of(programme_attr: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        return {"assessment_id": _assessment(getattr(w, programme_attr)).pk}

    return make


def _cohort_once(w: World, site_attr: str, *, taught: bool) -> Cohort:
    """``make_cohort``'s cohort, made once per world (the pages-with-dates test builds every
    row's record in one world)."""
    title = f"Cohort {site_attr}{'' if taught else ' (other trainer)'}"
    existing = Cohort.objects.filter(run=getattr(w, RUN_AT[site_attr]), title=title).first()
    return existing or make_cohort(w, site_attr, taught=taught)


def cohort_once_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        return {"cohort_id": _cohort_once(w, site_attr, taught=taught).pk}

    return make


def learner_once_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    """The enrolment of the site's learner in that cohort."""

    def make(w: World) -> dict[str, Any]:
        cohort = _cohort_once(w, site_attr, taught=taught)
        enrolment, _new = Enrolment.objects.get_or_create(
            cohort=cohort,
            person=getattr(w, LEARNER_AT[site_attr]),
            defaults={"joined_on": cohort.starts_on},
        )
        return {"enrolment_id": enrolment.pk}

    return make


def cohort_assessment_at(site_attr: str, *, taught: bool = True) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        cohort = _cohort_once(w, site_attr, taught=taught)
        assessment = _assessment(cohort.run.programme)
        return {"cohort_id": cohort.pk, "assessment_id": assessment.pk}

    return make


# --- cohorts and learners (cohorts) ----------------------------------------------------------


def learner_of_trainer(w: World) -> dict[str, Any]:
    """Amina, enrolled in a cohort of Alpha North that trainer_a1 teaches."""
    make_cohort(w, "north")
    return {"person_id": w.amina.pk}


def learner_of_other_trainer(w: World) -> dict[str, Any]:
    """Amina, enrolled in a cohort of Alpha North that trainer_a1 does not teach."""
    cohort = make_cohort(w, "north", taught=False)
    Enrolment.objects.create(cohort=cohort, person=w.amina, joined_on=cohort.starts_on)
    return {"person_id": w.amina.pk}


def open_entry_cohort_at(site_attr: str) -> Kwargs:
    def make(w: World) -> dict[str, Any]:
        cohort = make_cohort(w, site_attr)
        cohort.open_entry = True
        cohort.save(update_fields=["open_entry"])
        return {"cohort_id": cohort.pk}

    return make


def cohort_with_call_at(site_attr: str) -> Kwargs:
    """A cohort with a call for applications of its run (trainer_a1 teaches North's)."""

    def make(w: World) -> dict[str, Any]:
        cohort = make_cohort(w, site_attr)
        run = cohort.run
        cohort.call = Call.objects.create(
            run=run,
            site=run.site,
            slug=f"call-{site_attr}-{cohort.pk}",
            title=f"Call {site_attr}",
            opens_on=run.starts_on - dt.timedelta(days=60),
            closes_on=run.starts_on - dt.timedelta(days=30),
            age_reference_date=run.starts_on,
        )
        cohort.save(update_fields=["call"])
        return {"cohort_id": cohort.pk}

    return make


def learner_token(w: World) -> dict[str, Any]:
    """The private link of Amina, a learner of North's cohort."""
    from tremplin.core.tokens import token_hash

    enrolment = make_cohort(w, "north").enrolments.get()
    enrolment.token_hash = token_hash("learner-token-of-amina")
    enrolment.save(update_fields=["token_hash"])
    return {"token": "learner-token-of-amina"}
