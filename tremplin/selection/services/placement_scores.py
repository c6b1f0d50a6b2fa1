"""A finished placement test's score in the call's placement stage: recorded by the system
(no one types it), idempotent, audited. The placement app calls this; selection does not read
the placement app (it is on its right)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.people.models import Person
from tremplin.selection.models import (
    Application,
    Decision,
    ReasonCode,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.services.stage_results import stages_passed_refresh_one


def placement_stage_of(*, person: Person, programme_id: int) -> tuple[Application, Stage] | None:
    """The person's latest submitted application to a call of this programme whose process has
    a stage scored by the placement test, and that stage; None when there is none."""
    application = (
        Application.objects.filter(
            person=person,
            status=Application.Status.SUBMITTED,
            call__run__programme_id=programme_id,
            call__stages__placement_test=True,
        )
        .select_related("call")
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if application is None:
        return None
    stage = application.call.stages.filter(placement_test=True).order_by("position").first()
    assert stage is not None
    return application, stage


def placement_score_record(
    *, application: Application, stage: Stage, score: Decimal, level: str
) -> StageResult | None:
    """Put the test's score (on the stage's scale) in the stage's result, the decision still to
    come. Idempotent: the same score again changes nothing and writes no audit row. A result
    that staff already decided keeps its decision; its score follows the test unless staff
    changed the score by hand after the test (then the attempt's page offers to record it)."""
    if stage.call_id != application.call_id or stage.kind != StageKind.WRITTEN_EXAM:
        return None
    with transaction.atomic():
        result = (
            StageResult.objects.select_for_update()
            .filter(application=application, stage=stage)
            .first()
        )
        if result is not None and result.score == score:
            return result
        if result is not None and result.decision != Decision.PENDING and result.score is not None:
            return result
        before = str(result.score) if result is not None else None
        level_before = result.level if result is not None else None
        if result is None:
            result = StageResult(
                application=application,
                stage=stage,
                decision=Decision.PENDING,
                reason=ReasonCode.OTHER,
            )
        result.score = score
        result.level = level
        result.recorded_by = None
        result.save()
        stages_passed_refresh_one(application)
        audit_record(
            actor=None,
            action=AuditAction.STAGE_RESULT_RECORDED,
            subject=application,
            changes={
                "score": {"from": before, "to": str(score)},
                "level": {"from": level_before, "to": level},
            },
            note=stage.name,
        )
    return result
