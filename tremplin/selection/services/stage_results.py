"""Writes for what each stage decided: a result per application, the pass mark, and the
`stages_passed` count the funnel reads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection.models import (
    Application,
    Call,
    Decision,
    ReasonCode,
    Stage,
    StageKind,
    StageResult,
)
from tremplin.selection.selectors import can_manage_call
from tremplin.selection.services.guards import check_reachable, check_stage_access, require


def stages_passed_count(positions: Sequence[int], decisions: Mapping[int, str]) -> int:
    """How many stages in a row, from the first, the application went through."""
    count = 0
    for position in positions:
        if decisions.get(position) != Decision.ADVANCE:
            break
        count += 1
    return count


# Ids per query when refreshing many applications (SQLite takes up to 32,766 parameters).
REFRESH_CHUNK = 5000


def stages_passed_refresh(*, call: Call, application_ids: Collection[int]) -> dict[int, int]:
    """Recount `stages_passed` for applications of a call from their results, in a handful of
    queries whatever their number; returns each application's count."""
    positions = list(call.stages.values_list("position", flat=True))
    counts: dict[int, int] = {}
    ids = list(application_ids)
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start : start + REFRESH_CHUNK]
        decisions: dict[int, dict[int, str]] = defaultdict(dict)
        for application_id, position, decision in StageResult.objects.filter(
            application_id__in=chunk
        ).values_list("application_id", "stage__position", "decision"):
            decisions[application_id][position] = decision
        changed: dict[int, list[int]] = defaultdict(list)
        for application_id, before in Application.objects.filter(pk__in=chunk).values_list(
            "pk", "stages_passed"
        ):
            after = stages_passed_count(positions, decisions[application_id])
            counts[application_id] = after
            if after != before:
                changed[after].append(application_id)
        for passed, changed_ids in changed.items():
            Application.objects.filter(pk__in=changed_ids).update(stages_passed=passed)
    return counts


def stages_passed_refresh_one(application: Application) -> None:
    """Recount one application's `stages_passed`, on the row and on the instance."""
    counts = stages_passed_refresh(call=application.call, application_ids=[application.pk])
    application.stages_passed = counts[application.pk]


def stage_result_record(
    *,
    actor: User,
    application: Application,
    stage: Stage,
    decision: str,
    reason: str,
    score: Decimal | None = None,
    note: str = "",
    level: str | None = None,
) -> StageResult:
    """Record (or correct) what a stage decided for an application. `level` is the level
    group a placement test gave; None keeps the one recorded."""
    check_stage_access(actor, application, stage)
    if stage.is_scored and score is None and decision != Decision.REJECT:
        raise ValidationError({"score": _("Enter the score.")})
    if score is not None and stage.kind == StageKind.INTERVIEW and not 1 <= score <= 5:
        raise ValidationError(
            {"score": _("An interview score is the mean of its 1–5 marks: between 1 and 5.")}
        )
    if (
        score is not None
        and stage.kind != StageKind.INTERVIEW
        and stage.max_score is not None
        and not 0 <= score <= stage.max_score
    ):
        raise ValidationError(
            {"score": _("The score must be between 0 and %(max)s.") % {"max": stage.max_score}}
        )
    with transaction.atomic():
        check_reachable(application, stage)
        result = StageResult.objects.filter(application=application, stage=stage).first()
        before = (
            {"score": str(result.score), "decision": result.decision, "reason": result.reason}
            if result
            else {}
        )
        if result is None:
            result = StageResult(application=application, stage=stage)
        result.score = score
        result.decision = decision
        result.reason = reason
        result.note = note
        if level is not None:
            result.level = level
        result.recorded_by = actor
        result.full_clean()
        result.save()
        stages_passed_refresh_one(application)
        after = {"score": str(score), "decision": decision, "reason": reason}
        audit_record(
            actor=actor,
            action=AuditAction.STAGE_RESULT_RECORDED,
            subject=application,
            changes={
                k: {"from": before.get(k), "to": v} for k, v in after.items() if before.get(k) != v
            },
            note=stage.name,
        )
    return result


def pass_mark_apply(*, actor: User, stage: Stage) -> int:
    """Turn every pending scored result of a stage into a decision by the pass mark."""
    require(can_manage_call(actor, stage.call))
    if stage.pass_mark is None:
        raise ValidationError(_("Set a pass mark for this stage first."))
    with transaction.atomic():
        pending = list(stage.results.filter(decision=Decision.PENDING, score__isnull=False))
        for result in pending:
            passed = result.score is not None and result.score >= stage.pass_mark
            result.decision = Decision.ADVANCE if passed else Decision.REJECT
            result.reason = ReasonCode.PASSED if passed else ReasonCode.BELOW_PASS_MARK
            result.recorded_by = actor
        StageResult.objects.bulk_update(pending, ["decision", "reason", "recorded_by"])
        stages_passed_refresh(call=stage.call, application_ids=[r.application_id for r in pending])
        audit_record(
            actor=actor,
            action=AuditAction.STAGE_PASS_MARK_APPLIED,
            subject=stage,
            changes={"decided": {"from": None, "to": len(pending)}},
        )
    return len(pending)


COMMITTEE_NOTE = gettext_noop("Went on to the committee, which chose this applicant.")


def last_stage_close(*, actor: User | None, applications: Sequence[Application]) -> int:
    """The committee's choice closes the last stage: an applicant it selects or puts on the
    waiting list, who had passed every stage before the last, passes the last stage too when
    its result is missing or still waiting (a decided result is left as it is). Without this
    the funnel counted nobody through the last stage of a call whose cohort was chosen on the
    cohort page (docs/architecture.md). Called inside the committee's transaction; returns how
    many results it changed."""
    chosen = [
        a
        for a in applications
        if a.outcome in (Application.Outcome.SELECTED, Application.Outcome.WAITLISTED)
    ]
    changed = 0
    by_call: dict[int, list[Application]] = defaultdict(list)
    for application in chosen:
        by_call[application.call_id].append(application)
    for call_id, members in by_call.items():
        last = Stage.objects.filter(call_id=call_id).order_by("-position").first()
        if last is None:
            continue
        ready = [a for a in members if a.stages_passed >= last.position - 1]
        results = {
            r.application_id: r
            for r in StageResult.objects.filter(stage=last, application__in=ready)
        }
        note = _(COMMITTEE_NOTE)
        now = timezone.now()
        created: list[StageResult] = []
        updated: list[StageResult] = []
        for application in ready:
            result = results.get(application.pk)
            if result is None:
                result = StageResult(application=application, stage=last)
                created.append(result)
            elif result.decision == Decision.PENDING:
                updated.append(result)
            else:
                continue
            result.decision = Decision.ADVANCE
            result.reason = ReasonCode.OTHER
            result.note = note
            result.recorded_by = actor
            result.updated_at = now
            audit_record(
                actor=actor,
                action=AuditAction.STAGE_RESULT_RECORDED,
                subject=application,
                changes={"decision": {"from": Decision.PENDING, "to": Decision.ADVANCE}},
                note=f"{last.name}: {note}",
            )
        StageResult.objects.bulk_create(created)
        StageResult.objects.bulk_update(
            updated, ["decision", "reason", "note", "recorded_by", "updated_at"]
        )
        if created or updated:
            counts = stages_passed_refresh(
                call=last.call, application_ids=[r.application_id for r in created + updated]
            )
            for application in ready:
                application.stages_passed = counts.get(application.pk, application.stages_passed)
        changed += len(created) + len(updated)
    return changed
