"""Matrix rows for training's progress and projects (issue 13, items 6 and 7).

Reading a cohort's heat map, a learner's profile and the projects is for whoever sees the
cohort: network admins, the site's manager and job coach, and the trainers who teach it (a
cohort they do not teach: 404). Assessing, removing evidence and writing projects is for
those who teach it or manage its site (a job coach: 403). Beta's manager never finds
Alpha's records (404). The learner's page is public on its private link.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from conftest import World
from tests.authorization.rows import PUBLIC, Row, answers
from tests.authorization.training_records import cohort_at, enrolment_at, make_cohort
from tremplin.core.tokens import token_hash
from tremplin.placement.models import Competence
from tremplin.training.models import (
    CompetenceEvidence,
    Project,
    ProjectAssignment,
    ProjectRubricCriterion,
)


def _competence() -> Competence:
    return Competence.objects.get(framework__code="digcomp-2.2", code="1.1")


def evidence_north(w: World) -> dict[str, Any]:
    enrolment = make_cohort(w, "north").enrolments.get()
    row = CompetenceEvidence.objects.create(
        enrolment=enrolment,
        competence=_competence(),
        level=3,
        source="trainer",
        assessed_on=dt.date(2026, 10, 1),
    )
    return {"evidence_id": row.pk}


def _project(w: World, site_attr: str) -> Project:
    cohort = make_cohort(w, site_attr)
    project = Project.objects.create(
        cohort=cohort,
        title="Website for the bakery",
        brief="A one-page site.",
        commissioned_by="Boulangerie Martin",
        starts_on=cohort.starts_on,
        due_on=cohort.ends_on,
    )
    ProjectRubricCriterion.objects.create(project=project, competence=_competence(), weight=1)
    return project


def project_at(site_attr: str) -> Any:
    def make(w: World) -> dict[str, Any]:
        return {"project_id": _project(w, site_attr).pk}

    return make


def assignment_north(w: World) -> dict[str, Any]:
    project = _project(w, "north")
    assignment = ProjectAssignment.objects.create(project=project)
    assignment.members.set(project.cohort.enrolments.all())
    return {"assignment_id": assignment.pk}


def learner_token(w: World) -> dict[str, Any]:
    enrolment = make_cohort(w, "north").enrolments.get()
    token = secrets.token_urlsafe(24)
    enrolment.token_hash = token_hash(token)
    enrolment.save(update_fields=["token_hash"])
    return {"token": token}


# fmt: off
SEE = {"superuser", "admin_a", "manager_a1", "trainer_a1", "coach_a1"}
TEACH = {"superuser", "admin_a", "manager_a1", "trainer_a1"}
READ = answers(ok=SEE, not_found={"manager_b1"})
READ_UNTAUGHT = answers(ok=SEE - {"trainer_a1"}, not_found={"manager_b1", "trainer_a1"})
READ_BETA = answers(ok={"superuser", "manager_b1"}, not_found={"admin_a", "manager_a1", "trainer_a1", "coach_a1"})
WRITE = answers(ok=TEACH, refused={"coach_a1"}, not_found={"manager_b1"})
WRITE_REDIRECT = answers(redirected=TEACH, refused={"coach_a1"}, not_found={"manager_b1"})
WRITE_UNTAUGHT = answers(ok=TEACH - {"trainer_a1"}, refused={"coach_a1"}, not_found={"manager_b1", "trainer_a1"})

ROWS: list[Row] = [
    Row("training:cohort-heatmap", cohort_at("north"), READ),
    Row("training:cohort-heatmap", cohort_at("north", taught=False), READ_UNTAUGHT),
    Row("training:cohort-heatmap", cohort_at("beta_site"), READ_BETA),
    Row("training:cohort-assess", cohort_at("north"), WRITE),
    Row("training:cohort-assess", cohort_at("north", taught=False), WRITE_UNTAUGHT),
    # an empty grid: the page again, with "choose a level" (nothing saved)
    Row("training:cohort-assess", cohort_at("north"), WRITE, post={"assessed_on": "2026-10-01"}),
    Row("training:enrolment-progress", enrolment_at("north"), READ),
    Row("training:enrolment-progress", enrolment_at("north", taught=False), READ_UNTAUGHT),
    Row("training:evidence-remove", evidence_north, WRITE_REDIRECT, post={"reason": "Typed by mistake"}),
    Row("training:learner-progress", learner_token, PUBLIC),
    Row("training:project-list", cohort_at("north"), READ),
    Row("training:project-list", cohort_at("north", taught=False), READ_UNTAUGHT),
    Row("training:project-new", cohort_at("north"), WRITE),
    Row("training:project-new", cohort_at("north"), WRITE, post={}),  # errors, shown again
    Row("training:project-detail", project_at("north"), READ),
    Row("training:project-detail", project_at("beta_site"), READ_BETA),
    Row("training:project-detail", project_at("north"), WRITE, post={}),  # no learner: errors
    Row("training:project-edit", project_at("north"), WRITE),
    Row("training:project-edit", project_at("north"), WRITE, post={}),
    Row("training:assignment-evaluate", assignment_north, WRITE),
    Row("training:assignment-evaluate", assignment_north, WRITE, post={}),
]
# fmt: on
