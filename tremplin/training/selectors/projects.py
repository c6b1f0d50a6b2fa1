"""Reads of projects: a cohort's projects, one project with its rubric and assignments, an
assignment to evaluate. A project of a cohort the user does not see is not found (404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from tremplin.core.models import User
from tremplin.training.models import (
    Cohort,
    Enrolment,
    Project,
    ProjectAssignment,
    ProjectEvaluation,
    ProjectRubricCriterion,
)
from tremplin.training.selectors.access import cohort_filter


def cohort_projects(*, cohort: Cohort) -> QuerySet[Project]:
    return cohort.projects.annotate(
        assignment_count=Count("assignments", distinct=True),
        criterion_count=Count("criteria", distinct=True),
    ).order_by("-starts_on", "title")


def project_get(*, user: User, project_id: int) -> Project:
    visible = Cohort.objects.filter(cohort_filter(user)).values("pk")
    project = (
        Project.objects.filter(pk=project_id, cohort_id__in=visible)
        .select_related("cohort__run__programme", "cohort__run__site")
        .first()
    )
    if project is None:
        raise Http404
    return project


def project_criteria(*, project: Project) -> list[ProjectRubricCriterion]:
    return list(project.criteria.select_related("competence__framework"))


@dataclass(frozen=True)
class AssignmentView:
    assignment: ProjectAssignment
    members: list[Enrolment]
    evaluations: dict[int, ProjectEvaluation]  # by criterion id
    weighted: float | None  # the weighted mean of the levels reached, when evaluated

    @property
    def label(self) -> str:
        return self.assignment.group_name or ", ".join(str(m.person) for m in self.members)


def project_assignments(
    *, project: Project, criteria: list[ProjectRubricCriterion]
) -> list[AssignmentView]:
    """The project's assignments with their learners and evaluations (three queries)."""
    weights = {c.pk: c.weight for c in criteria}
    rows = project.assignments.prefetch_related(
        Prefetch("members", queryset=Enrolment.objects.select_related("person")),
        Prefetch("evaluations", queryset=ProjectEvaluation.objects.order_by("criterion_id")),
    )
    found = []
    for assignment in rows:
        evaluations = {e.criterion_id: e for e in assignment.evaluations.all()}
        total = sum(weights.get(k, 0) for k in evaluations)
        weighted = (
            round(sum(e.level * weights.get(k, 0) for k, e in evaluations.items()) / total, 1)
            if total
            else None
        )
        members = list(assignment.members.all())
        found.append(AssignmentView(assignment, members, evaluations, weighted))
    return found


def assignment_get(*, user: User, assignment_id: int) -> ProjectAssignment:
    visible = Cohort.objects.filter(cohort_filter(user)).values("pk")
    assignment = (
        ProjectAssignment.objects.filter(pk=assignment_id, project__cohort_id__in=visible)
        .select_related("project__cohort__run__programme", "project__cohort__run__site")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment
