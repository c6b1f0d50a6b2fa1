"""Writes for interviews: raters asked, their marks, and the stage score worked out from
them (`scorecards.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection.models import (
    Application,
    Decision,
    InterviewAssignment,
    Rating,
    ReasonCode,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.scorecards import RaterMark, stage_scores, weighted_mark
from tremplin.selection.services.guards import check_reachable, check_stage_access


def interview_assign(
    *, actor: User, application: Application, stage: Stage, raters: Iterable[User]
) -> list[InterviewAssignment]:
    """Ask raters (interviewers or officers of the site) to interview an applicant."""
    check_stage_access(actor, application, stage)
    if stage.kind != StageKind.INTERVIEW:
        raise ValidationError(_("Only interviews have raters."))
    created = []
    with transaction.atomic():
        check_reachable(application, stage)
        for rater in raters:
            assignment, new = InterviewAssignment.objects.get_or_create(
                application=application, stage=stage, rater=rater
            )
            if new:
                created.append(assignment)
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.INTERVIEW_ASSIGNED,
                subject=application,
                changes={"raters": {"from": None, "to": ", ".join(a.rater.email for a in created)}},
            )
    return created


def interview_submit(
    *,
    actor: User,
    assignment: InterviewAssignment,
    marks: Mapping[int, int],
    comment: str = "",
) -> InterviewAssignment:
    """A rater's marks, once: after submitting they see the others' and cannot change theirs."""
    if assignment.rater_id != actor.pk:
        raise PermissionDenied
    if assignment.submitted_at is not None:
        raise ValidationError(_("You have already sent your marks for this interview."))
    criteria = list(assignment.stage.criteria.all())
    errors = {}
    for criterion in criteria:
        value = marks.get(criterion.pk)
        if value is None or not 1 <= int(value) <= 5:
            errors[f"criterion_{criterion.pk}"] = _("Give a mark from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assignment = InterviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.submitted_at is not None:
            raise ValidationError(_("You have already sent your marks for this interview."))
        Rating.objects.bulk_create(
            [Rating(assignment=assignment, criterion=c, value=int(marks[c.pk])) for c in criteria]
        )
        assignment.comment = comment.strip()
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["comment", "submitted_at"])
        audit_record(
            actor=actor, action=AuditAction.INTERVIEW_MARKED, subject=assignment.application
        )
        interview_scores_refresh(stage=assignment.stage)
    return assignment


def interview_marks(stage: Stage) -> list[RaterMark]:
    """Every submitted rater's weighted mark on the stage."""
    weights = {c.pk: float(c.weight) for c in stage.criteria.all()}
    per_assignment: dict[int, dict[int, int]] = {}
    owners: dict[int, tuple[int, int]] = {}
    for rating in Rating.objects.filter(
        assignment__stage=stage, assignment__submitted_at__isnull=False
    ).values(
        "assignment_id",
        "assignment__rater_id",
        "assignment__application_id",
        "criterion_id",
        "value",
    ):
        per_assignment.setdefault(rating["assignment_id"], {})[rating["criterion_id"]] = rating[
            "value"
        ]
        owners[rating["assignment_id"]] = (
            rating["assignment__rater_id"],
            rating["assignment__application_id"],
        )
    return [
        RaterMark(
            rater_id=owners[a][0], application_id=owners[a][1], mark=weighted_mark(m, weights)
        )
        for a, m in per_assignment.items()
        if set(m) == set(weights)
    ]


def interview_scores_refresh(*, stage: Stage) -> int:
    """The stage score of every applicant whose raters have all submitted: the mean of their
    weighted marks, standardised per rater when the stage asks for it. Recorded as pending
    until an officer decides (or applies the pass mark)."""
    marks = interview_marks(stage)
    complete = set(
        stage.assignments.values_list("application_id", flat=True).exclude(
            application_id__in=stage.assignments.filter(submitted_at__isnull=True).values(
                "application_id"
            )
        )
    )
    scores = stage_scores(marks, standardise=stage.standardise_raters)
    existing = {
        r.application_id: r
        for r in StageResult.objects.filter(stage=stage, application_id__in=complete)
    }
    now = timezone.now()
    created: list[StageResult] = []
    changed: list[StageResult] = []
    for application_id, score in scores.items():
        if application_id not in complete:
            continue
        value = Decimal(str(round(score, 2)))
        result = existing.get(application_id)
        if result is None:
            created.append(
                StageResult(
                    application_id=application_id,
                    stage=stage,
                    score=value,
                    decision=Decision.PENDING,
                    reason=ReasonCode.OTHER,
                )
            )
        elif result.score != value:
            result.score = value
            result.updated_at = now
            changed.append(result)
    StageResult.objects.bulk_create(created)
    StageResult.objects.bulk_update(changed, ["score", "updated_at"])
    return len(created) + len(changed)
