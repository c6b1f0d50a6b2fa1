"""Writes of projects: saving a project and its rubric, giving it to a learner or a group,
and evaluating an assignment against the rubric, which records evidence of competence for
each learner of the assignment (source "project", source_ref "project_evaluation:<id>")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.placement.models import Competence
from tremplin.training.models import (
    Cohort,
    CompetenceEvidence,
    Enrolment,
    EvidenceSource,
    Project,
    ProjectAssignment,
    ProjectEvaluation,
    ProjectRubricCriterion,
)
from tremplin.training.selectors.access import teaches
from tremplin.training.selectors.progress import framework_levels


@dataclass(frozen=True)
class ProjectData:
    title: str
    brief: str
    commissioned_by: str
    commissioner_contact: str
    starts_on: dt.date
    due_on: dt.date


@dataclass(frozen=True)
class CriterionData:
    competence: Competence
    weight: int
    descriptors: dict[str, str]


@dataclass(frozen=True)
class Result:
    criterion: ProjectRubricCriterion
    level: int
    comment: str


def _check_criteria(criteria: Sequence[CriterionData]) -> None:
    problems = []
    seen: set[int] = set()
    for number, row in enumerate(criteria, start=1):
        if row.competence.pk in seen:
            problems.append(
                _("Criterion %(number)s: %(code)s is already in the rubric.")
                % {"number": number, "code": row.competence.code}
            )
        seen.add(row.competence.pk)
        allowed = {str(level.number) for level in framework_levels(row.competence.framework)}
        for level in row.descriptors:
            if level not in allowed:
                problems.append(
                    _("Criterion %(number)s: level %(level)s is not a level of the framework.")
                    % {"number": number, "level": level}
                )
    if not criteria:
        problems.append(_("Give the rubric at least one criterion."))
    if problems:
        raise ValidationError(problems)


def project_save(
    *,
    actor: User,
    cohort: Cohort,
    data: ProjectData,
    criteria: Sequence[CriterionData],
    project: Project | None = None,
) -> Project:
    """Create or change a project and replace its rubric. A criterion already evaluated
    keeps its evaluations (its weight and descriptions change); one removed loses them."""
    if not teaches(actor, cohort):
        raise PermissionDenied
    if data.due_on < data.starts_on:
        raise ValidationError({"due_on": _("The project is due before it starts.")})
    _check_criteria(criteria)
    creating = project is None
    project = project or Project(cohort=cohort, created_by=actor)
    before = {f: getattr(project, f) for f in data.__dataclass_fields__} if not creating else {}
    for name in data.__dataclass_fields__:
        setattr(project, name, getattr(data, name))
    try:
        with transaction.atomic():
            project.save()
            kept = {c.competence_id: c for c in project.criteria.all()}
            wanted = {row.competence.pk for row in criteria}
            project.criteria.exclude(competence_id__in=wanted).delete()
            for position, row in enumerate(criteria, start=1):
                criterion = kept.get(row.competence.pk) or ProjectRubricCriterion(
                    project=project, competence=row.competence
                )
                criterion.weight, criterion.descriptors = row.weight, row.descriptors
                criterion.position = position
                criterion.save()
            changes: dict[str, Any] = {
                f: {"from": str(before.get(f, "")), "to": str(getattr(project, f))}
                for f in data.__dataclass_fields__
                if creating or before.get(f) != getattr(project, f)
            }
            changes["criteria"] = [row.competence.code for row in criteria]
            audit_record(
                actor=actor, action=AuditAction.PROJECT_SAVED, subject=project, changes=changes
            )
    except IntegrityError as error:
        raise ValidationError(
            {"title": _("This cohort already has a project with this title.")}
        ) from error
    return project


def project_assign(
    *, actor: User, project: Project, enrolment_ids: Sequence[int], group_name: str = ""
) -> ProjectAssignment:
    """Give the project to one learner, or to several under a group name."""
    if not teaches(actor, project.cohort):
        raise PermissionDenied
    group_name = group_name.strip()
    learners = list(
        project.cohort.enrolments.filter(
            pk__in=enrolment_ids, status=Enrolment.Status.ACTIVE
        ).select_related("person")
    )
    if not enrolment_ids:
        raise ValidationError({"learners": _("Choose at least one learner.")})
    if len(learners) != len(set(enrolment_ids)):
        raise ValidationError({"learners": _("Choose learners in training in this cohort.")})
    if len(learners) > 1 and not group_name:
        raise ValidationError({"group_name": _("Name the group: several learners are chosen.")})
    try:
        with transaction.atomic():
            assignment = ProjectAssignment.objects.create(
                project=project, group_name=group_name, assigned_by=actor
            )
            assignment.members.set(learners)
            audit_record(
                actor=actor,
                action=AuditAction.PROJECT_ASSIGNED,
                subject=project,
                changes={
                    "assignment": assignment.pk,
                    "group_name": group_name,
                    "learners": [e.pk for e in learners],
                },
            )
    except IntegrityError as error:
        raise ValidationError(
            {"group_name": _("A group of this project already has this name.")}
        ) from error
    return assignment


def assignment_evaluate(
    *,
    actor: User,
    assignment: ProjectAssignment,
    results: Sequence[Result],
    evaluated_on: dt.date,
) -> list[ProjectEvaluation]:
    """Record the level reached on each criterion given; each writes (or brings up to date)
    one piece of evidence per learner of the assignment."""
    project = assignment.project
    if not teaches(actor, project.cohort):
        raise PermissionDenied
    problems = []
    if evaluated_on > timezone.localdate():
        problems.append(_("Evaluated on: the date is in the future."))
    if evaluated_on < project.starts_on:
        problems.append(_("Evaluated on: the date is before the project starts."))
    for result in results:
        if result.criterion.project_id != project.pk:
            problems.append(_("A criterion of another project was given."))
            continue
        allowed = {lv.number for lv in framework_levels(result.criterion.competence.framework)}
        if result.level not in allowed:
            problems.append(
                _("%(code)s: level %(level)s is not a level of the framework.")
                % {"code": result.criterion.competence.code, "level": result.level}
            )
    if not results:
        problems.append(_("Choose a level for at least one criterion."))
    if problems:
        raise ValidationError(problems)
    members = list(assignment.members.all())
    saved = []
    with transaction.atomic():
        for result in results:
            evaluation, _created = ProjectEvaluation.objects.update_or_create(
                assignment=assignment,
                criterion=result.criterion,
                defaults={
                    "level": result.level,
                    "comment": result.comment,
                    "evaluated_by": actor,
                    "evaluated_on": evaluated_on,
                },
            )
            ref = f"project_evaluation:{evaluation.pk}"
            CompetenceEvidence.objects.filter(source_ref=ref).delete()
            CompetenceEvidence.objects.bulk_create(
                CompetenceEvidence(
                    enrolment=member,
                    competence_id=result.criterion.competence_id,
                    level=result.level,
                    source=EvidenceSource.PROJECT,
                    source_ref=ref,
                    assessed_on=evaluated_on,
                    note=project.title,
                    recorded_by=actor,
                )
                for member in members
            )
            saved.append(evaluation)
        audit_record(
            actor=actor,
            action=AuditAction.PROJECT_EVALUATED,
            subject=project,
            changes={
                "assignment": assignment.pk,
                "levels": {r.criterion.competence.code: r.level for r in results},
                "evaluated_on": evaluated_on.isoformat(),
                "evidence": len(results) * len(members),
            },
        )
    return saved
