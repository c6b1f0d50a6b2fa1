"""Writes for a call's stages: adding, changing, reordering and removing them, and the
criteria of an interview."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.core.audit import audit_record
from tremplin.core.audit_actions import AuditAction
from tremplin.core.models import User
from tremplin.selection.models import Call, Criterion, Rating, Stage, StageKind
from tremplin.selection.need_index import questionnaire_validate
from tremplin.selection.processes import PROCESSES, StageTemplate
from tremplin.selection.selectors import can_manage_call
from tremplin.selection.services.guards import require


def criteria_copy(stage: Stage, template: StageTemplate) -> None:
    """A template's interview criteria, in the language of whoever opens the call."""
    Criterion.objects.bulk_create(
        Criterion(
            stage=stage,
            position=number,
            name=_(criterion.name),
            weight=Decimal(str(criterion.weight)),
            anchors=[_(a) for a in criterion.anchors],
        )
        for number, criterion in enumerate(template.criteria, start=1)
    )


def _has_results(stage: Stage) -> bool:
    return (
        stage.results.exists()
        or stage.assignments.exists()
        or stage.investigations.exists()
        or stage.checks.exists()
    )


def stage_add(*, actor: User, call: Call, kind: str, name: str) -> Stage:
    require(can_manage_call(actor, call))
    if kind not in StageKind.values:
        raise ValidationError({"kind": _("Choose a kind of stage.")})
    with transaction.atomic():
        last = call.stages.order_by("-position").values_list("position", flat=True).first() or 0
        # A new interview or home visit starts with the first reference process's criteria
        # or questionnaire of that kind.
        template = next((s for p in PROCESSES.values() for s in p.stages if s.kind == kind), None)
        stage = Stage(call=call, position=last + 1, kind=kind, name=name.strip())
        if kind == StageKind.WRITTEN_EXAM:
            stage.max_score = Decimal(100)
        if kind == StageKind.SOCIAL_INVESTIGATION and template is not None:
            stage.questionnaire = [dict(q) for q in template.questionnaire]
        stage.full_clean()
        stage.save()
        if kind == StageKind.INTERVIEW and template is not None:
            criteria_copy(stage, template)
        audit_record(
            actor=actor,
            action=AuditAction.CALL_STAGE_ADDED,
            subject=call,
            changes={"stage": {"from": None, "to": stage.name}},
        )
    return stage


STAGE_FIELDS = (
    "name",
    "max_score",
    "pass_mark",
    "raters_per_application",
    "standardise_raters",
    "placement_test",
    "questionnaire",
)


def stage_update(*, actor: User, stage: Stage, values: Mapping[str, Any]) -> Stage:
    require(can_manage_call(actor, stage.call))
    with transaction.atomic():
        changes = {}
        for name, value in values.items():
            if name not in STAGE_FIELDS:
                raise ValueError(name)
            if name == "questionnaire":
                value = questionnaire_validate(value)
            if getattr(stage, name) != value:
                changes[name] = {"from": str(getattr(stage, name)), "to": str(value)}
                setattr(stage, name, value)
        stage.full_clean()
        stage.save()
        if changes:
            audit_record(
                actor=actor, action=AuditAction.STAGE_UPDATED, subject=stage, changes=changes
            )
    return stage


def stage_move(*, actor: User, stage: Stage, up: bool) -> None:
    """Swap a stage with its neighbour, before any result is recorded in either."""
    require(can_manage_call(actor, stage.call))
    with transaction.atomic():
        stages = list(Stage.objects.select_for_update().filter(call=stage.call_id))
        stages.sort(key=lambda s: s.position)
        index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(stages):
            return
        other = stages[other_index]
        if _has_results(stage) or _has_results(other):
            raise ValidationError(_("Stages that already hold results cannot be reordered."))
        a, b = stage.position, other.position
        Stage.objects.filter(pk=stage.pk).update(position=0)
        Stage.objects.filter(pk=other.pk).update(position=a)
        Stage.objects.filter(pk=stage.pk).update(position=b)
        audit_record(
            actor=actor,
            action=AuditAction.CALL_STAGES_REORDERED,
            subject=stage.call,
            changes={"stage": {"from": a, "to": b}},
        )


def stage_remove(*, actor: User, stage: Stage) -> None:
    require(can_manage_call(actor, stage.call))
    with transaction.atomic():
        if _has_results(stage):
            raise ValidationError(_("This stage already holds results; it cannot be removed."))
        call = stage.call
        position = stage.position
        stage.delete()
        for later in call.stages.filter(position__gt=position).order_by("position"):
            Stage.objects.filter(pk=later.pk).update(position=later.position - 1)
        audit_record(
            actor=actor,
            action=AuditAction.CALL_STAGE_REMOVED,
            subject=call,
            changes={"stage": {"from": stage.name, "to": None}},
        )


def criteria_save(
    *, actor: User, stage: Stage, criteria: Sequence[tuple[str, Decimal, list[str]]]
) -> None:
    """Replace an interview stage's criteria (name, weight, five anchors), before any mark."""
    require(can_manage_call(actor, stage.call))
    if stage.kind != StageKind.INTERVIEW:
        raise ValidationError(_("Only interviews have criteria."))
    if not criteria:
        raise ValidationError(_("An interview needs at least one criterion."))
    with transaction.atomic():
        if Rating.objects.filter(criterion__stage=stage).exists():
            raise ValidationError(_("Interviews are already marked: the criteria are fixed."))
        stage.criteria.all().delete()
        for position, (name, weight, anchors) in enumerate(criteria, start=1):
            criterion = Criterion(
                stage=stage, position=position, name=name, weight=weight, anchors=anchors
            )
            criterion.full_clean()
            criterion.save()
        audit_record(
            actor=actor,
            action=AuditAction.STAGE_CRITERIA_SAVED,
            subject=stage,
            changes={"criteria": {"from": None, "to": ", ".join(c[0] for c in criteria)}},
        )
