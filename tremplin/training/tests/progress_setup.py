"""What the progress and project tests build on: Alpha's programme aims at three DigComp
competences (placement's targets and a module's), and Alpha North's cohort, taught by
trainer_a1, holds Amina and two more learners."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils import timezone

from conftest import World
from tests.authorization.training_records import make_cohort
from tremplin.core.tokens import token_hash
from tremplin.people.tests.factories import PersonFactory
from tremplin.placement.models import Attempt, Competence, ProgrammeTarget
from tremplin.training.models import Cohort, Enrolment, ModuleCompetence
from tremplin.training.tests.factories import ModuleFactory


def digcomp(code: str) -> Competence:
    return Competence.objects.get(framework__code="digcomp-2.2", code=code)


@dataclass
class Setup:
    cohort: Cohort
    amina: Enrolment
    others: list[Enrolment]
    c11: Competence  # aimed at level 5 (placement's 4, the module's 5)
    c21: Competence  # level 3
    c31: Competence  # level 2 (the module's)

    @property
    def learners(self) -> list[Enrolment]:
        return [self.amina, *self.others]


def programme_aims(w: World) -> tuple[Competence, Competence, Competence]:
    c11, c21, c31 = digcomp("1.1"), digcomp("2.1"), digcomp("3.1")
    ProgrammeTarget.objects.create(programme=w.programme_alpha, competence=c11, level=4)
    ProgrammeTarget.objects.create(programme=w.programme_alpha, competence=c21, level=3)
    module = ModuleFactory(programme=w.programme_alpha, title="Web pages")
    ModuleCompetence.objects.create(module=module, competence=c11, level=5)
    ModuleCompetence.objects.create(module=module, competence=c31, level=2)
    return c11, c21, c31


def learners_add(cohort: Cohort, count: int) -> list[Enrolment]:
    return [
        Enrolment.objects.create(
            cohort=cohort,
            person=PersonFactory(site=cohort.run.site),
            joined_on=cohort.starts_on,
        )
        for _ in range(count)
    ]


def setup(w: World, *, others: int = 2) -> Setup:
    c11, c21, c31 = programme_aims(w)
    cohort = make_cohort(w, "north")
    amina = cohort.enrolments.get(person=w.amina)
    return Setup(cohort, amina, learners_add(cohort, others), c11, c21, c31)


def token_for(enrolment: Enrolment) -> str:
    token = secrets.token_urlsafe(24)
    enrolment.token_hash = token_hash(token)
    enrolment.save(update_fields=["token_hash"])
    return token


def finished_attempt(
    enrolment: Enrolment,
    *,
    band: str,
    on: dt.date,
    areas: dict[str, tuple[str, bool]] | None = None,
) -> Attempt:
    """A finished placement test of the learner: its overall group, the day it ended, and
    per DigComp area the group shown and whether the test was sure of it."""
    finished = timezone.make_aware(dt.datetime.combine(on, dt.time(11)))
    return Attempt.objects.create(
        person=enrolment.person,
        site=enrolment.cohort.run.site,
        programme=enrolment.cohort.run.programme,
        token_hash=secrets.token_hex(32),
        seed=1,
        state=Attempt.State.FINISHED,
        finished_at=finished,
        theta=0.0,
        se=0.3,
        band=band,
        profile=[
            {"area": code, "answered": 4, "right": 2, "band": group, "sure": sure}
            for code, (group, sure) in (areas or {}).items()
        ],
    )
